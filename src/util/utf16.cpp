#include "util/utf16.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <locale.h>
#include <wctype.h>

namespace gpokit::util {

namespace {

bool is_high(char16_t c) { return c >= 0xd800 && c <= 0xdbff; }
bool is_low(char16_t c) { return c >= 0xdc00 && c <= 0xdfff; }

// Decodes code units; on a lone surrogate either fails or substitutes U+FFFD.
template <typename Units>
std::optional<std::string> decode(const Units& units, std::size_t n, bool lossy)
{
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const char16_t c = units(i);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (is_high(c) && i + 1 < n && is_low(units(i + 1))) {
            const char16_t lo = units(++i);
            append_utf8(out, 0x10000 + ((char32_t{c} - 0xd800) << 10) + (char32_t{lo} - 0xdc00));
        } else if (is_high(c) || is_low(c)) {
            if (!lossy)
                return std::nullopt;
            append_utf8(out, 0xfffd);
        } else {
            append_utf8(out, c);
        }
    }
    return out;
}

} // namespace

std::optional<std::string> utf16le_to_utf8(ByteView bytes)
{
    if (bytes.size() % 2 != 0)
        return std::nullopt;
    return decode([&](std::size_t i) { return unit_at(bytes, i); }, bytes.size() / 2, false);
}

std::string utf16le_to_utf8_lossy(ByteView bytes)
{
    auto out = *decode([&](std::size_t i) { return unit_at(bytes, i); }, bytes.size() / 2, true);
    if (bytes.size() % 2 != 0)
        append_utf8(out, 0xfffd);
    return out;
}

std::string u16_to_utf8_lossy(std::u16string_view text)
{
    return *decode([&](std::size_t i) { return text[i]; }, text.size(), true);
}

namespace {

// Length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t i)
{
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b0 < 0x80)
        return 1;
    if ((b0 & 0xe0) == 0xc0) {
        len = 2;
        cp = b0 & 0x1fu;
    } else if ((b0 & 0xf0) == 0xe0) {
        len = 3;
        cp = b0 & 0x0fu;
    } else if ((b0 & 0xf8) == 0xf0) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > text.size())
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3fu);
    }
    static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < k_min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

} // namespace

std::size_t valid_utf8_prefix(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t len = utf8_sequence(text, i);
        if (len == 0)
            break;
        i += len;
    }
    return i;
}

std::string printable(std::string_view text)
{
    std::size_t i = valid_utf8_prefix(text);
    if (i == text.size())
        return std::string(text);
    std::string out(text.substr(0, i));
    while (i < text.size()) {
        const std::size_t len = utf8_sequence(text, i);
        if (len == 0) {
            append_utf8(out, 0xfffd);
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::u16string utf8_to_u16(std::string_view text)
{
    std::u16string out;
    out.reserve(text.size());
    std::size_t i = 0;
    auto bad = [&](std::size_t at) {
        if (text.size() <= 60)
            return Error(fmt::format("invalid UTF-8 at byte {} of \"{}\"", at + 1, printable(text)));
        return Error(fmt::format("invalid UTF-8 at byte {}", at + 1));
    };
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        char32_t cp = 0;
        std::size_t len = 0;
        if (b0 < 0x80) {
            cp = b0;
            len = 1;
        } else if ((b0 & 0xe0) == 0xc0) {
            cp = b0 & 0x1fu;
            len = 2;
        } else if ((b0 & 0xf0) == 0xe0) {
            cp = b0 & 0x0fu;
            len = 3;
        } else if ((b0 & 0xf8) == 0xf0) {
            cp = b0 & 0x07u;
            len = 4;
        } else {
            throw bad(i);
        }
        if (i + len > text.size())
            throw bad(i);
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xc0) != 0x80)
                throw bad(i);
            cp = (cp << 6) | (b & 0x3fu);
        }
        static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < k_min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            throw bad(i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
        i += len;
    }
    return out;
}

Bytes utf8_to_utf16le(std::string_view text)
{
    return u16_to_utf16le(utf8_to_u16(text));
}

std::u16string utf16le_to_u16(ByteView bytes)
{
    std::u16string out(bytes.size() / 2, u'\0');
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = unit_at(bytes, i);
    return out;
}

Bytes u16_to_utf16le(std::u16string_view text)
{
    Bytes out;
    out.reserve(text.size() * 2);
    for (char16_t c : text)
        append_u16le(out, static_cast<std::uint16_t>(c));
    return out;
}

char16_t fold_unit(char16_t c)
{
    if (c < 0x80)
        return (c >= u'a' && c <= u'z') ? static_cast<char16_t>(c - 0x20) : c;
    // Unicode's simple upper-case mapping, from the C library's own C.UTF-8 tables (the
    // locale object is created once and never changed; no process-wide locale is set).
    static const locale_t k_utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (k_utf8 != static_cast<locale_t>(nullptr)) {
        const wint_t upper = ::towupper_l(static_cast<wint_t>(c), k_utf8);
        return upper <= 0xffff ? static_cast<char16_t>(upper) : c;
    }
    // Without C.UTF-8: Latin-1 at least.
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
        return static_cast<char16_t>(c - 0x20);
    return c;
}

std::u16string fold(std::u16string_view text)
{
    std::u16string out(text);
    for (auto& c : out)
        c = fold_unit(c);
    return out;
}

bool iequals(std::u16string_view a, std::u16string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (fold_unit(a[i]) != fold_unit(b[i]))
            return false;
    return true;
}

bool istarts_with(std::u16string_view text, std::u16string_view prefix)
{
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

int compare_key_paths(std::u16string_view a, std::u16string_view b)
{
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        // The separator sorts before every other unit so that components compare whole.
        const char16_t ca = a[i] == u'\\' ? char16_t{0} : fold_unit(a[i]);
        const char16_t cb = b[i] == u'\\' ? char16_t{0} : fold_unit(b[i]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    if (a.size() == b.size())
        return 0;
    return a.size() < b.size() ? -1 : 1;
}

std::u16string key_path_sort_key(std::u16string_view path)
{
    std::u16string out = fold(path);
    std::replace(out.begin(), out.end(), u'\\', char16_t{0});
    return out;
}

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

} // namespace gpokit::util
