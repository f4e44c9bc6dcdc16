#include "render/escape.hpp"

#include "util/xml_file.hpp"

#include <fmt/format.h>

namespace gpokit::render {

std::string terminal_text(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
        if (u < 0x20 || u == 0x7f) {
            out += fmt::format("\\x{:02x}", u);
        } else if (u == 0xc2 && next >= 0x80 && next <= 0x9f) {
            // A C1 control (U+0080-U+009F) in UTF-8: U+009B is an 8-bit CSI to a terminal.
            out += fmt::format("\\u{:04x}", next);
            ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string markdown_text(std::string_view s)
{
    const std::string text = terminal_text(s);
    // At the start of a line, a leading - + = or 1. 1) would begin a list (or underline
    // a heading): that character is escaped too.
    std::size_t marker = std::string::npos;
    if (!text.empty() && std::string_view("-+=").find(text.front()) != std::string_view::npos) {
        marker = 0;
    } else {
        const std::size_t digits = text.find_first_not_of("0123456789");
        if (digits != 0 && digits != std::string::npos && (text[digits] == '.' || text[digits] == ')'))
            marker = digits;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == marker || std::string_view("\\`*_{}[]<>#|!&~").find(text[i]) != std::string_view::npos)
            out += '\\';
        out += text[i];
    }
    return out;
}

std::string html_text(std::string_view s)
{
    return util::xml_escape(terminal_text(s));
}

std::string csv_field(std::string_view raw)
{
    std::string s = terminal_text(raw);
    if (!s.empty() && std::string_view("=+-@").find(s.front()) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"") == std::string::npos)
        return s;
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace gpokit::render
