// The INI dialect Windows writes for GPOs (GPT.INI, and the security template
// GptTmpl.inf once decoded to UTF-8): lines ending in LF or CRLF, `[Section]`
// headers, `name=value` entries with optional spaces around '=', blank lines and
// `;` comments. Names compare case-insensitively; the tokenizer keeps every line's
// byte range so that an edit can splice a value without touching another byte.
#pragma once

#include "util/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::util {

struct IniLine {
    enum class Kind { blank, comment, section, entry, bare };
    Kind kind = Kind::blank;
    std::size_t number = 0;    // 1-based line number
    std::size_t begin = 0;     // byte offset of the line's first character
    std::size_t end = 0;       // byte offset of its end, before CR/LF
    std::string_view section;  // the section the line is in (for a header, its own name)
    std::string_view name;     // entry: before '=', spaces trimmed; bare: the whole line
    std::string_view value;    // entry: after '=', spaces trimmed
    std::size_t value_begin = 0, value_end = 0; // byte range of `value`
    std::size_t value_column = 0;               // 1-based column of `value`
};

struct IniOptions {
    // Lines without '=' inside a section (GptTmpl.inf's [Registry Keys], say) are kept
    // as Kind::bare; otherwise they are an error.
    bool bare_lines = false;
};

// Splits `text` into lines. Throws ParseError "origin:line:column: ..." for a section
// header without its ']' or (unless allowed) a line that is not name=value. The views
// point into `text`.
std::vector<IniLine> tokenize_ini(std::string_view text, const std::string& origin, const IniOptions& options = {});

} // namespace gpokit::util
