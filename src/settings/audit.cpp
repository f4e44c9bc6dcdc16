#include "settings/audit.hpp"

#include "util/ascii.hpp"
#include "util/utf16.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace gpokit::settings {

namespace {

constexpr std::array<std::string_view, 7> k_header{"Machine Name",     "Policy Target",     "Subcategory",
                                                   "Subcategory GUID", "Inclusion Setting", "Exclusion Setting",
                                                   "Setting Value"};

// No audit.csv comes near this (there are fewer than 70 subcategories).
constexpr std::uint64_t k_max_audit_size = 16ull << 20;

// One code point of UTF-8 at `i` (advancing `i`), or nullopt for bytes that are not
// UTF-8: a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate, a value above U+10FFFF.
std::optional<char32_t> next_utf8(util::ByteView bytes, std::size_t& i)
{
    const auto b0 = std::to_integer<unsigned>(bytes[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xe0) == 0xc0) {
        len = 2, cp = b0 & 0x1f, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
        len = 3, cp = b0 & 0x0f, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return std::nullopt;
    }
    if (bytes.size() - i < len)
        return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = std::to_integer<unsigned>(bytes[i + k]);
        if ((b & 0xc0) != 0x80)
            return std::nullopt;
        cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return std::nullopt;
    i += len;
    return cp;
}

// The file's text as lines of UTF-8 (line ends dropped: CRLF, LF or CR), line i + 1 at
// index i. A file that ends with a line end has no empty last line.
std::vector<std::string> decode_lines(util::ByteView bytes, AuditEncoding encoding, const std::string& origin)
{
    const bool wide = encoding == AuditEncoding::utf16le;
    std::size_t i = encoding == AuditEncoding::utf8 ? 0 : (wide ? 2 : 3);
    std::vector<std::string> lines(1);
    std::size_t column = 1;
    const auto fail = [&](std::string_view what) {
        return util::ParseError(util::Position::at_line(origin, lines.size(), column), what);
    };
    while (i < bytes.size()) {
        char32_t cp = 0;
        if (wide) {
            if (bytes.size() - i < 2)
                throw fail("UTF-16 text with an odd number of bytes");
            const char16_t unit = static_cast<char16_t>(util::load_u16le(bytes.data() + i));
            i += 2;
            if (unit >= 0xd800 && unit <= 0xdbff && bytes.size() - i >= 2) {
                const char16_t low = static_cast<char16_t>(util::load_u16le(bytes.data() + i));
                if (low >= 0xdc00 && low <= 0xdfff) {
                    i += 2;
                    cp = 0x10000 + ((char32_t{unit} - 0xd800) << 10) + (char32_t{low} - 0xdc00);
                } else {
                    throw fail("a lone UTF-16 surrogate: the file is not UTF-16 text");
                }
            } else if (unit >= 0xd800 && unit <= 0xdfff) {
                throw fail("a lone UTF-16 surrogate: the file is not UTF-16 text");
            } else {
                cp = unit;
            }
        } else {
            const auto decoded = next_utf8(bytes, i);
            if (!decoded)
                throw fail(
                    fmt::format("byte 0x{:02x} is not UTF-8 (audit.csv is UTF-8 or UTF-16 with a byte-order mark)",
                                std::to_integer<unsigned>(bytes[i])));
            cp = *decoded;
        }
        if (cp == 0)
            throw fail("a NUL character (UTF-16 text without a byte-order mark?)");
        if (cp == '\r' || cp == '\n') {
            // CR LF is one line end.
            const std::size_t unit = wide ? 2 : 1;
            if (cp == '\r' && bytes.size() - i >= unit && std::to_integer<unsigned>(bytes[i]) == '\n' &&
                (!wide || std::to_integer<unsigned>(bytes[i + 1]) == 0))
                i += unit;
            if (i < bytes.size())
                lines.emplace_back();
            column = 1;
            continue;
        }
        util::append_utf8(lines.back(), cp);
        ++column;
    }
    return lines;
}

struct Field {
    std::string text;
    std::size_t column = 1; // 1-based, in characters
};

// Splits one line of CSV: fields separated by ',', a field in quotes may hold ',' and
// "" (a quote). A quote inside an unquoted field is taken as it is.
std::vector<Field> split_line(std::string_view line, std::size_t number, const std::string& origin)
{
    std::size_t counted = 0; // columns are characters: count the lead bytes before `at`
    std::size_t column = 1;
    const auto column_at = [&](std::size_t at) {
        for (; counted < at && counted < line.size(); ++counted)
            if ((static_cast<unsigned char>(line[counted]) & 0xc0u) != 0x80u)
                ++column;
        return column;
    };
    const auto fail = [&](std::size_t at, std::string_view what) {
        return util::ParseError(util::Position::at_line(origin, number, column_at(at)), what);
    };
    std::vector<Field> fields;
    std::size_t i = 0;
    for (;;) {
        Field field;
        field.column = column_at(i);
        if (i < line.size() && line[i] == '"') {
            const std::size_t open = i++;
            for (;;) {
                if (i >= line.size())
                    throw fail(open, "this quote is not closed on its line");
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field.text += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.text += line[i++];
            }
            if (i < line.size() && line[i] != ',')
                throw fail(i, "text after a closing quote (a quoted field ends at a comma)");
        } else {
            const std::size_t comma = line.find(',', i);
            const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
            field.text.assign(line.substr(i, end - i));
            i = end;
        }
        fields.push_back(std::move(field));
        if (i >= line.size())
            break;
        ++i; // the comma
    }
    return fields;
}

std::size_t end_column(std::string_view line)
{
    std::size_t column = 1;
    for (const char c : line)
        if ((static_cast<unsigned char>(c) & 0xc0u) != 0x80u)
            ++column;
    return column;
}

std::optional<std::uint32_t> parse_number(std::string_view s)
{
    std::uint32_t v = 0;
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace

AuditFile AuditFile::parse(util::ByteView bytes, std::string origin)
{
    AuditFile f;
    f.m_origin = std::move(origin);
    f.m_bytes.assign(bytes.begin(), bytes.end());
    if (bytes.size() > k_max_audit_size)
        throw util::ParseError(util::Position::of_file(f.m_origin), "larger than 16 MiB; not an audit.csv");
    const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(bytes[i]); };
    if (bytes.size() >= 2 && byte(0) == 0xff && byte(1) == 0xfe)
        f.m_encoding = AuditEncoding::utf16le;
    else if (bytes.size() >= 2 && byte(0) == 0xfe && byte(1) == 0xff)
        throw util::ParseError(util::Position::at_line(f.m_origin, 1, 1), "UTF-16 big-endian text is not supported");
    else if (bytes.size() >= 3 && byte(0) == 0xef && byte(1) == 0xbb && byte(2) == 0xbf)
        f.m_encoding = AuditEncoding::utf8_bom;

    const auto lines = decode_lines(bytes, f.m_encoding, f.m_origin);
    if (lines.size() == 1 && lines[0].empty())
        throw util::ParseError(util::Position::at_line(f.m_origin, 1, 1),
                               "empty file: an audit.csv starts with its header line");
    const auto header = split_line(lines[0], 1, f.m_origin);
    for (std::size_t c = 0; c < k_header.size(); ++c) {
        if (c >= header.size())
            throw util::ParseError(util::Position::at_line(f.m_origin, 1, end_column(lines[0])),
                                   fmt::format("the header has {} columns; audit.csv's has 7 (\"{}\" is missing)",
                                               header.size(), k_header[c]));
        if (!util::iequal_ascii(header[c].text, k_header[c]))
            throw util::ParseError(util::Position::at_line(f.m_origin, 1, header[c].column),
                                   fmt::format("not an audit.csv header: column {} is \"{}\", expected \"{}\"", c + 1,
                                               header[c].text, k_header[c]));
    }
    if (header.size() > k_header.size())
        throw util::ParseError(util::Position::at_line(f.m_origin, 1, header[k_header.size()].column),
                               fmt::format("the header has {} columns; audit.csv's has 7", header.size()));

    for (std::size_t n = 1; n < lines.size(); ++n) {
        const std::string& line = lines[n];
        const std::size_t line_number = n + 1;
        if (line.empty())
            continue;
        auto fields = split_line(line, line_number, f.m_origin);
        const auto at = [&](std::size_t column) { return util::Position::at_line(f.m_origin, line_number, column); };
        if (fields.size() != 7)
            throw util::ParseError(at(fields.size() > 7 ? fields[7].column : end_column(line)),
                                   fmt::format("{} columns; an audit.csv row has 7", fields.size()));
        AuditSetting s;
        s.line = line_number;
        s.machine_name = std::move(fields[0].text);
        s.policy_target = std::move(fields[1].text);
        s.subcategory = std::move(fields[2].text);
        s.guid = std::move(fields[3].text);
        s.inclusion = std::move(fields[4].text);
        s.exclusion = std::move(fields[5].text);
        s.value_text = std::move(fields[6].text);
        if (s.subcategory.size() >= 7 && util::iequal_ascii(std::string_view(s.subcategory).substr(0, 7), "Option:")) {
            s.kind = AuditSetting::Kind::option;
        } else if (util::iequal_ascii(s.subcategory, "FileGlobalSacl") ||
                   util::iequal_ascii(s.subcategory, "RegistryGlobalSacl")) {
            s.kind = AuditSetting::Kind::global_sacl;
        } else {
            s.kind = AuditSetting::Kind::subcategory;
            if (!util::is_guid(s.guid))
                throw util::ParseError(at(fields[3].column),
                                       fmt::format("Subcategory GUID \"{}\" is not a GUID ({{xxxxxxxx-xxxx-xxxx-xxxx-"
                                                   "xxxxxxxxxxxx}})",
                                                   s.guid));
        }
        if (s.kind != AuditSetting::Kind::global_sacl) {
            const auto v = parse_number(s.value_text);
            if (!v)
                throw util::ParseError(
                    at(fields[6].column),
                    fmt::format("Setting Value \"{}\" is not a number (0 to 4294967295)", s.value_text));
            s.value = *v;
        }
        f.m_settings.push_back(std::move(s));
    }
    return f;
}

AuditFile AuditFile::load(const std::filesystem::path& path, std::string origin)
{
    const auto bytes = util::read_file(path, origin, k_max_audit_size);
    return parse(bytes, std::move(origin));
}

std::vector<AuditSetting> audit_settings(const AuditFile& file)
{
    return file.settings();
}

} // namespace gpokit::settings
