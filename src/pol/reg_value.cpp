#include "pol/reg_value.hpp"

#include "pol/reg_type.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <charconv>

namespace gpokit::pol {

using util::ByteView;
using util::Bytes;

namespace {

Bytes encode_string(std::string_view text)
{
    if (text.find('\0') != std::string::npos)
        throw util::Error("a registry string cannot contain a NUL character");
    Bytes out = util::utf8_to_utf16le(text);
    util::append_u16le(out, 0);
    return out;
}

Bytes encode_strings(const Strings& items)
{
    Bytes out;
    for (const auto& s : items) {
        if (s.empty() || s.find('\0') != std::string::npos)
            throw util::Error("a REG_MULTI_SZ string cannot be empty or contain a NUL character");
        const Bytes one = encode_string(s);
        out.insert(out.end(), one.begin(), one.end());
    }
    util::append_u16le(out, 0);
    return out;
}

std::optional<Value> decode_typed(std::uint32_t type, ByteView data)
{
    switch (type) {
    case k_reg_sz:
    case k_reg_expand_sz: {
        if (data.size() < 2 || data.size() % 2 != 0)
            return std::nullopt;
        auto text = util::utf16le_to_utf8(data.first(data.size() - 2));
        if (!text || text->find('\0') != std::string::npos) // extra NULs: keep raw
            return std::nullopt;
        return Value{std::move(*text)};
    }
    case k_reg_dword:
        if (data.size() != 4)
            return std::nullopt;
        return Value{std::uint64_t{util::load_u32le(data.data())}};
    case k_reg_dword_big_endian:
        if (data.size() != 4)
            return std::nullopt;
        return Value{std::uint64_t{util::load_u32be(data.data())}};
    case k_reg_qword:
        if (data.size() != 8)
            return std::nullopt;
        return Value{util::load_u64le(data.data())};
    case k_reg_multi_sz: {
        if (data.size() < 2 || data.size() % 2 != 0)
            return std::nullopt;
        const ByteView body = data.first(data.size() - 2);
        Strings items;
        std::size_t start = 0;
        for (std::size_t i = 0; i < body.size(); i += 2) {
            if (util::unit_at(body, i / 2) != 0)
                continue;
            auto text = util::utf16le_to_utf8(body.subspan(start, i - start));
            if (!text || text->empty()) // an empty string ends a MULTI_SZ early: keep raw
                return std::nullopt;
            items.push_back(std::move(*text));
            start = i + 2;
        }
        if (start != body.size()) // last string not terminated
            return std::nullopt;
        return Value{std::move(items)};
    }
    default:
        return std::nullopt;
    }
}

} // namespace

bool has_typed_form(std::uint32_t type)
{
    return type == k_reg_sz || type == k_reg_expand_sz || type == k_reg_dword ||
           type == k_reg_dword_big_endian || type == k_reg_qword || type == k_reg_multi_sz;
}

Value decode(std::uint32_t type, ByteView data)
{
    if (auto typed = decode_typed(type, data)) {
        // Keep the typed form only if it gives back the same bytes (a string with an
        // embedded NUL, for one, would not).
        if (util::equal(encode(type, *typed), data))
            return std::move(*typed);
    }
    return RawData{Bytes(data.begin(), data.end())};
}

Bytes encode(std::uint32_t type, const Value& value)
{
    if (const auto* raw = std::get_if<RawData>(&value))
        return raw->bytes;
    const auto mismatch = [&](std::string_view what) {
        return util::Error(fmt::format("{} data must be {}", type_name(type), what));
    };
    switch (type) {
    case k_reg_sz:
    case k_reg_expand_sz:
        if (const auto* s = std::get_if<std::string>(&value))
            return encode_string(*s);
        throw mismatch("a string");
    case k_reg_multi_sz:
        if (const auto* list = std::get_if<Strings>(&value))
            return encode_strings(*list);
        throw mismatch("a list of strings");
    case k_reg_dword:
    case k_reg_dword_big_endian:
    case k_reg_qword: {
        const auto* n = std::get_if<std::uint64_t>(&value);
        if (n == nullptr)
            throw mismatch("a number");
        Bytes out;
        if (type == k_reg_qword) {
            util::append_u64le(out, *n);
            return out;
        }
        if (*n > 0xffffffffu)
            throw mismatch("a number from 0 to 4294967295");
        if (type == k_reg_dword)
            util::append_u32le(out, static_cast<std::uint32_t>(*n));
        else
            util::append_u32be(out, static_cast<std::uint32_t>(*n));
        return out;
    }
    default:
        throw mismatch("hex bytes");
    }
}

std::uint64_t parse_unsigned(std::string_view text, int bits)
{
    std::string_view digits = text;
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
    }
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
    const std::uint64_t max = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || n > max)
        throw util::Error(fmt::format("\"{}\" is not a number from 0 to {} (decimal or 0x-hex)", text, max));
    return n;
}

Bytes encode_text(std::uint32_t type, const std::vector<std::string>& items)
{
    if (type == k_reg_multi_sz)
        return encode_strings(items);
    if (items.size() != 1)
        throw util::Error(fmt::format("{} takes exactly one --data value (got {})", type_name(type), items.size()));
    const std::string& text = items.front();
    switch (type) {
    case k_reg_sz:
    case k_reg_expand_sz:
        return encode_string(text);
    case k_reg_dword:
    case k_reg_dword_big_endian:
        return encode(type, Value{parse_unsigned(text, 32)});
    case k_reg_qword:
        return encode(type, Value{parse_unsigned(text, 64)});
    default:
        return util::from_hex(text);
    }
}

} // namespace gpokit::pol
