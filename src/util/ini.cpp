#include "util/ini.hpp"

namespace gpokit::util {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

std::vector<IniLine> tokenize_ini(std::string_view text, const std::string& origin, const IniOptions& options)
{
    std::vector<IniLine> out;
    std::string_view section;
    std::size_t number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++number;
        std::size_t end = text.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (end == std::string_view::npos)
            end = text.size();
        if (end > start && text[end - 1] == '\r')
            --end;
        std::string_view line = text.substr(start, end - start);
        while (!line.empty() && is_space(line.back()))
            line.remove_suffix(1);

        IniLine l;
        l.number = number;
        l.begin = start;
        l.end = end;
        l.section = section;
        if (line.empty()) {
            l.kind = IniLine::Kind::blank;
        } else if (line.front() == ';') {
            l.kind = IniLine::Kind::comment;
        } else if (line.front() == '[') {
            if (line.back() != ']')
                throw ParseError(Position::at_line(origin, number, line.size() + 1),
                                 "expected ']' to close the section name");
            l.kind = IniLine::Kind::section;
            section = line.substr(1, line.size() - 2);
            l.section = section;
            l.name = section;
        } else if (const auto eq = line.find('='); eq != std::string_view::npos) {
            l.kind = IniLine::Kind::entry;
            std::string_view name = line.substr(0, eq);
            while (!name.empty() && is_space(name.back()))
                name.remove_suffix(1);
            std::size_t skip = eq + 1;
            while (skip < line.size() && is_space(line[skip]))
                ++skip;
            l.name = name;
            l.value = line.substr(skip);
            l.value_begin = start + skip;
            l.value_end = start + line.size();
            l.value_column = skip + 1;
        } else if (options.bare_lines && !section.empty()) {
            l.kind = IniLine::Kind::bare;
            l.name = line;
        } else {
            throw ParseError(Position::at_line(origin, number, 1), "expected name=value");
        }
        out.push_back(l);
        start = next;
    }
    return out;
}

} // namespace gpokit::util
