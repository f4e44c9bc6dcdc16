#include "render/format.hpp"

#include "util/error.hpp"

#include <array>

namespace gpokit::render {

namespace {

constexpr std::array<std::pair<Format, const char*>, 6> k_names{{{Format::text, "text"},
                                                                 {Format::json, "json"},
                                                                 {Format::markdown, "markdown"},
                                                                 {Format::html, "html"},
                                                                 {Format::csv, "csv"},
                                                                 {Format::lgpo, "lgpo"}}};

} // namespace

const char* format_name(Format f)
{
    for (const auto& [format, name] : k_names)
        if (format == f)
            return name;
    return "";
}

Format parse_format(std::string_view word)
{
    for (const auto& [format, name] : k_names)
        if (word == name)
            return format;
    throw util::Error("unknown format \"" + std::string(word) + "\"");
}

std::vector<std::string> format_names(const std::vector<Format>& formats)
{
    std::vector<std::string> out;
    for (const auto f : formats)
        out.emplace_back(format_name(f));
    return out;
}

} // namespace gpokit::render
