#include "render/escape.hpp"

#include <fmt/format.h>

namespace gpokit::render {

std::string terminal_text(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    return out;
}

std::string markdown_text(std::string_view s)
{
    std::string out;
    for (const char c : terminal_text(s)) {
        if (std::string_view("\\`*_{}[]<>#|!&~").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

std::string html_text(std::string_view s)
{
    std::string out;
    for (const char c : terminal_text(s)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
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
