// Escaping for every output format, in one place, so that a name or a value from an
// untrusted file reads the same (and as harmless) in every renderer:
//   terminal  control characters (an escape sequence could rewrite what a reviewer
//             sees, a line break could forge a line) become visible \xNN, and the
//             C1 controls U+0080-U+009F (U+009B is an 8-bit CSI) \u00NN;
//   markdown  the terminal form, with every character that could start markup inside
//             a line backslash-escaped (CommonMark), and a leading - + = 1. 1) that
//             would start a list at the start of a line;
//   html      & < > " as entities (the terminal form first, so that the page shows
//             what the terminal shows);
//   csv       the terminal form quoted when needed, with a field a spreadsheet would
//             read as a formula (= + - @) prefixed with '.
#pragma once

#include <string>
#include <string_view>

namespace gpokit::render {

std::string terminal_text(std::string_view s);
std::string markdown_text(std::string_view s);
std::string html_text(std::string_view s);
std::string csv_field(std::string_view s);

} // namespace gpokit::render
