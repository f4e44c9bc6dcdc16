#include "settings/inf_file.hpp"

#include "util/ascii.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace gpokit::settings {

namespace {

constexpr std::array<std::string_view, 11> k_key_value_sections{
    "Unicode", "Version", "System Access", "Kerberos Policy", "Event Audit", "Privilege Rights", "Registry Values",
    "Group Membership", "System Log", "Security Log", "Application Log"};
// Sections of quoted, comma-separated lines ("NAME",MODE,"SDDL"), which may hold '='.
constexpr std::array<std::string_view, 3> k_list_sections{"Service General Setting", "Registry Keys",
                                                          "File Security"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name)
{
    return std::any_of(names.begin(), names.end(), [&](auto n) { return util::iequal_ascii(n, name); });
}

bool blank_char(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && blank_char(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank_char(s.back()))
        s.remove_suffix(1);
    return s;
}

// 1-based column of byte `at` in UTF-8 `text`: characters, not bytes.
std::size_t column_of(std::string_view text, std::size_t at)
{
    std::size_t column = 1;
    for (std::size_t i = 0; i < at && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u)
            ++column;
    return column;
}

// 1-based column (in characters) of the first surrogate code unit in UTF-16LE `raw` that
// is not half of a pair, or 0 when every surrogate is paired.
std::size_t lone_surrogate_column(util::ByteView raw)
{
    const auto high = [](char16_t c) { return c >= 0xD800 && c <= 0xDBFF; };
    const auto low = [](char16_t c) { return c >= 0xDC00 && c <= 0xDFFF; };
    const std::size_t n = raw.size() / 2;
    std::size_t column = 1;
    for (std::size_t i = 0; i < n; ++i, ++column) {
        const char16_t c = util::unit_at(raw, i);
        if (high(c) && i + 1 < n && low(util::unit_at(raw, i + 1)))
            ++i;
        else if (high(c) || low(c))
            return column;
    }
    return 0;
}

bool valid_utf8(std::string_view s)
{
    return util::printable(s) == s && s.find("\xEF\xBF\xBD") == std::string_view::npos;
}

std::string latin1_to_utf8(std::string_view s)
{
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += ch;
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::string utf8_to_latin1(std::string_view s, const std::string& origin)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += s[i];
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
            out += static_cast<char>(((c & 0x03u) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu));
            ++i;
        } else {
            throw util::Error(origin + ": the file is ANSI text, which cannot hold \"" + std::string(s) + "\"");
        }
    }
    return out;
}

} // namespace

bool is_key_value_section(std::string_view section)
{
    return one_of(k_key_value_sections, section);
}

InfFile InfFile::parse(util::ByteView bytes, std::string origin)
{
    InfFile f;
    f.m_origin = std::move(origin);
    f.m_original.assign(bytes.begin(), bytes.end());
    const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(bytes[i]); };
    std::size_t start = 0;
    std::size_t unit = 1;
    std::size_t size = bytes.size(); // the bytes read as lines: UTF-16 without an odd last byte
    if (bytes.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE) {
        f.m_encoding = InfEncoding::utf16le;
        start = 2;
        unit = 2;
        size -= bytes.size() % 2;
    } else if (bytes.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) {
        f.m_encoding = InfEncoding::utf8;
        start = 3;
    } else {
        f.m_bom = false;
        const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        f.m_encoding = valid_utf8(all) ? InfEncoding::utf8 : InfEncoding::ansi;
    }
    const auto at = [&](std::size_t i) -> unsigned {
        return unit == 2 ? unsigned{util::load_u16le(bytes.data() + i)} : byte(i);
    };
    std::string section;
    bool eol_seen = false;
    std::size_t number = 0;
    for (std::size_t i = start; i < size;) {
        InfLine line;
        line.number = ++number;
        const std::size_t begin = i;
        while (i < size && at(i) != '\r' && at(i) != '\n')
            i += unit;
        const std::size_t end = i;
        if (i < size && at(i) == '\r') {
            line.eol += '\r';
            i += unit;
        }
        if (i < size && at(i) == '\n') {
            line.eol += '\n';
            i += unit;
        }
        line.original = std::pair(begin, i);
        const util::ByteView raw(bytes.data() + begin, end - begin);
        if (unit == 2) {
            auto text = util::utf16le_to_utf8(raw);
            if (!text)
                throw util::ParseError(util::Position::at_line(f.m_origin, line.number, lone_surrogate_column(raw)),
                                       "not valid UTF-16: a surrogate code unit without its other half");
            line.text = std::move(*text);
        } else {
            const std::string_view s(reinterpret_cast<const char*>(raw.data()), raw.size());
            // A file without a BOM is UTF-8 only when all of it is; one with the UTF-8 BOM must be.
            if (const auto valid = util::valid_utf8_prefix(s); f.m_encoding == InfEncoding::utf8 && valid < s.size())
                throw util::ParseError(util::Position::at_line(f.m_origin, line.number, column_of(s, valid)),
                                       fmt::format("byte 0x{:02X} is not UTF-8 (the file starts with the UTF-8 "
                                                   "byte-order mark)",
                                                   static_cast<unsigned char>(s[valid])));
            line.text = f.m_encoding == InfEncoding::ansi ? latin1_to_utf8(s) : std::string(s);
        }
        if (line.text.find('\0') != std::string::npos)
            throw util::ParseError(util::Position::at_line(f.m_origin, line.number, column_of(line.text, line.text.find('\0'))),
                                   "a NUL character in the text");
        if (!eol_seen && !line.eol.empty()) {
            f.m_eol = line.eol;
            eol_seen = true;
        }
        const std::string_view t = trim(line.text);
        const std::size_t indent = line.text.find_first_not_of(" \t");
        if (t.empty()) {
            line.kind = InfLine::Kind::blank;
        } else if (t.front() == ';') {
            line.kind = InfLine::Kind::comment;
        } else if (t.front() == '[') {
            const auto close = t.find(']');
            if (close == std::string_view::npos)
                throw util::ParseError(util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent)),
                                       "a section header without ']'");
            if (const auto after = t.find_first_not_of(" \t", close + 1); after != std::string_view::npos)
                throw util::ParseError(
                    util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent + after)),
                    "text after a section header's ']'");
            if (trim(t.substr(1, close - 1)).empty())
                throw util::ParseError(util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent)),
                                       "a section header without a name");
            line.kind = InfLine::Kind::section;
            section = std::string(trim(t.substr(1, close - 1)));
        } else {
            if (section.empty())
                throw util::ParseError(util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent)),
                                       "a setting before any [Section] header");
            line.kind = InfLine::Kind::entry;
            const auto eq = one_of(k_list_sections, section) ? std::string_view::npos : t.find('=');
            if (eq == std::string_view::npos) {
                if (is_key_value_section(section))
                    throw util::ParseError(
                        util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent)),
                        fmt::format("expected \"key = value\" in [{}]", section));
                line.value = std::string(t);
            } else {
                line.key = std::string(trim(t.substr(0, eq)));
                line.value = std::string(trim(t.substr(eq + 1)));
                if (line.key.empty())
                    throw util::ParseError(
                        util::Position::at_line(f.m_origin, line.number, column_of(line.text, indent)),
                        fmt::format("a setting without a name in [{}]", section));
            }
        }
        line.section = section;
        f.m_lines.push_back(std::move(line));
    }
    if (size != bytes.size()) {
        // The odd byte is where the next character would be: after the last line's text,
        // or at the start of a line after a line end.
        const bool new_line = f.m_lines.empty() || !f.m_lines.back().eol.empty();
        const std::size_t column = new_line ? 1 : column_of(f.m_lines.back().text, f.m_lines.back().text.size());
        throw util::ParseError(util::Position::at_line(f.m_origin, new_line ? number + 1 : number, column),
                               "UTF-16 text with an odd number of bytes: one byte is left over at the end");
    }
    return f;
}

InfFile InfFile::empty(std::string origin)
{
    InfFile f;
    f.m_origin = std::move(origin);
    const auto add = [&](InfLine::Kind kind, std::string text, std::string section, std::string key = {},
                         std::string value = {}) {
        InfLine l;
        l.kind = kind;
        l.text = std::move(text);
        l.eol = "\r\n";
        l.section = std::move(section);
        l.key = std::move(key);
        l.value = std::move(value);
        f.m_lines.push_back(std::move(l));
    };
    add(InfLine::Kind::section, "[Unicode]", "Unicode");
    add(InfLine::Kind::entry, "Unicode=yes", "Unicode", "Unicode", "yes");
    add(InfLine::Kind::section, "[Version]", "Version");
    add(InfLine::Kind::entry, "signature=\"$CHICAGO$\"", "Version", "signature", "\"$CHICAGO$\"");
    add(InfLine::Kind::entry, "Revision=1", "Version", "Revision", "1");
    f.m_edited = true;
    return f;
}

util::Bytes InfFile::bytes() const
{
    if (!m_edited)
        return m_original;
    util::Bytes out;
    if (m_bom) {
        const auto bom = util::as_bytes(m_encoding == InfEncoding::utf16le ? "\xFF\xFE" : "\xEF\xBB\xBF");
        out.assign(bom.begin(), bom.end());
    }
    for (const auto& l : m_lines) {
        if (l.original) {
            out.insert(out.end(), m_original.begin() + static_cast<std::ptrdiff_t>(l.original->first),
                       m_original.begin() + static_cast<std::ptrdiff_t>(l.original->second));
            continue;
        }
        const std::string text = l.text + l.eol;
        if (m_encoding == InfEncoding::utf16le) {
            const util::Bytes b = util::utf8_to_utf16le(text);
            out.insert(out.end(), b.begin(), b.end());
        } else {
            const std::string s = m_encoding == InfEncoding::ansi ? utf8_to_latin1(text, m_origin) : text;
            const auto b = util::as_bytes(s);
            out.insert(out.end(), b.begin(), b.end());
        }
    }
    return out;
}

std::vector<const InfLine*> InfFile::entries(std::string_view section) const
{
    std::vector<const InfLine*> out;
    for (const auto& l : m_lines)
        if (l.kind == InfLine::Kind::entry && util::iequal_ascii(l.section, section))
            out.push_back(&l);
    return out;
}

const InfLine* InfFile::find(std::string_view section, std::string_view key) const
{
    for (const auto& l : m_lines)
        if (l.kind == InfLine::Kind::entry && !l.key.empty() && util::iequal_ascii(l.section, section) &&
            util::iequal_ascii(l.key, key))
            return &l;
    return nullptr;
}

util::Position InfFile::position(const InfLine& line, std::size_t column) const
{
    if (line.number == 0)
        return util::Position::of_file(m_origin);
    return util::Position::at_line(m_origin, line.number, column);
}

bool InfFile::set(std::string_view section, std::string_view key, std::string_view value)
{
    // The existing line, rewritten in its own spacing.
    for (auto& l : m_lines) {
        if (l.kind != InfLine::Kind::entry || l.key.empty() || !util::iequal_ascii(l.section, section) ||
            !util::iequal_ascii(l.key, key))
            continue;
        if (l.value == value)
            return false;
        const auto eq = l.text.find('=');
        std::size_t value_at = l.text.find_first_not_of(" \t", eq + 1);
        if (value_at == std::string::npos)
            value_at = l.text.size();
        const std::string tail = l.text.substr(value_at + l.value.size()); // trailing blanks
        l.text = l.text.substr(0, value_at) + std::string(value) + tail;
        l.value = std::string(value);
        l.original.reset();
        m_edited = true;
        return true;
    }
    // A new line after the section's last entry (or its header).
    std::optional<std::size_t> header, last;
    std::string separator;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const auto& l = m_lines[i];
        if (!util::iequal_ascii(l.section, section))
            continue;
        if (l.kind == InfLine::Kind::section)
            header = i;
        if (l.kind == InfLine::Kind::entry) {
            last = i;
            if (separator.empty() && !l.key.empty())
                separator = l.text.find(" = ") != std::string::npos ? " = " : "=";
        }
    }
    if (separator.empty())
        separator = util::iequal_ascii(section, "Registry Values") || util::iequal_ascii(section, "Unicode") ||
                            util::iequal_ascii(section, "Version")
                        ? "="
                        : " = ";
    InfLine line;
    line.kind = InfLine::Kind::entry;
    line.text = std::string(key) + separator + std::string(value);
    line.eol = m_eol;
    line.key = std::string(key);
    line.value = std::string(value);
    // A line inserted at index i starts after a line end: the line before it may have had none.
    const auto end_line_before = [&](std::size_t i) {
        if (i > 0 && m_lines[i - 1].eol.empty()) {
            m_lines[i - 1].eol = m_eol;
            m_lines[i - 1].original.reset();
        }
    };
    std::size_t at;
    if (header) {
        line.section = m_lines[*header].section;
        at = last.value_or(*header) + 1;
    } else {
        // A new section, before [Version] (where Windows keeps it last) or at the end.
        line.section = std::string(section);
        at = m_lines.size();
        for (std::size_t i = 0; i < m_lines.size(); ++i)
            if (m_lines[i].kind == InfLine::Kind::section && util::iequal_ascii(m_lines[i].section, "Version")) {
                at = i;
                break;
            }
        end_line_before(at);
        InfLine head;
        head.kind = InfLine::Kind::section;
        head.text = "[" + std::string(section) + "]";
        head.eol = m_eol;
        head.section = line.section;
        m_lines.insert(m_lines.begin() + static_cast<std::ptrdiff_t>(at), std::move(head));
        ++at;
    }
    end_line_before(at);
    if (at == m_lines.size() && !m_lines.empty() && m_lines.back().eol.empty())
        line.eol.clear();
    m_lines.insert(m_lines.begin() + static_cast<std::ptrdiff_t>(at), std::move(line));
    m_edited = true;
    return true;
}

bool InfFile::remove(std::string_view section, std::string_view key)
{
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const auto& l = m_lines[i];
        if (l.kind != InfLine::Kind::entry || l.key.empty() || !util::iequal_ascii(l.section, section) ||
            !util::iequal_ascii(l.key, key))
            continue;
        m_lines.erase(m_lines.begin() + static_cast<std::ptrdiff_t>(i));
        m_edited = true;
        // A section left with nothing in it goes too.
        const bool empty_now = std::none_of(m_lines.begin(), m_lines.end(), [&](const InfLine& o) {
            return util::iequal_ascii(o.section, section) && (o.kind == InfLine::Kind::entry || o.kind == InfLine::Kind::comment);
        });
        if (empty_now)
            std::erase_if(m_lines, [&](const InfLine& o) {
                return o.kind == InfLine::Kind::section && util::iequal_ascii(o.section, section);
            });
        return true;
    }
    return false;
}

} // namespace gpokit::settings
