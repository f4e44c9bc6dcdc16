// The output formats, named once: every command's --format takes these words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gpokit::render {

enum class Format { text, json, markdown, html, csv, lgpo };

const char* format_name(Format f);
// Throws util::Error naming the word for an unknown format.
Format parse_format(std::string_view name);
// The names of `formats`, for --help and CLI checks.
std::vector<std::string> format_names(const std::vector<Format>& formats);

} // namespace gpokit::render
