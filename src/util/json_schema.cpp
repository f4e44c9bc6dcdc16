// The "schema" member check shared by the readers of gpokit's own JSON files
// (snapshot metadata, estate files, trust plans, pol show output). The JSON parser
// gives no positions for values, so the member is found again in the text with a
// scanner that only tracks strings and nesting: the text has been parsed already.
#include "util/json_schema.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <initializer_list>

namespace gpokit::util {

std::optional<std::size_t> top_level_member_offset(std::string_view text, std::string_view name)
{
    int depth = 0;
    bool expect_key = false; // at depth 1, the next string is a member name
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = i + 1;
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
            if (depth == 1 && expect_key) {
                expect_key = false;
                if (text.substr(start, i - start) == name) {
                    std::size_t v = i + 1;
                    while (v < text.size() && (text[v] == ' ' || text[v] == '\t' || text[v] == '\r' ||
                                               text[v] == '\n' || text[v] == ':'))
                        ++v;
                    return v;
                }
            }
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
            expect_key = depth == 1 && c == '{';
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expect_key = true;
        }
    }
    return std::nullopt;
}

void check_schema(std::string_view text, const std::string& origin, const std::optional<std::string>& found,
                  std::initializer_list<std::string_view> accepted)
{
    if (!found)
        return;
    for (const auto tag : accepted)
        if (*found == tag)
            return;
    Position where = Position::of_file(origin);
    if (const auto offset = top_level_member_offset(text, k_schema_member)) {
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < *offset && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        where = Position::at_line(origin, line, column);
    }
    std::string known;
    for (const auto tag : accepted)
        known += (known.empty() ? "" : " or ") + std::string(tag);
    const std::string_view theirs = std::string_view(*found).substr(0, found->find('/'));
    for (const auto tag : accepted)
        if (tag.substr(0, tag.find('/')) == theirs)
            throw ParseError(where, fmt::format("\"schema\" is \"{}\": this gpokit reads {}, not this major version "
                                                "(written by a newer gpokit?)",
                                                *found, known));
    const std::string_view mine = *accepted.begin();
    throw ParseError(where, fmt::format("\"schema\" is \"{}\": not a {} document (this gpokit reads {})", *found,
                                        mine.substr(0, mine.find('/')), known));
}

} // namespace gpokit::util
