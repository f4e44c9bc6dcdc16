// A security template (GptTmpl.inf) as its bytes: the lines of the file in order, each
// remembering where it sits in the original, so that an untouched file is written back
// byte for byte and an edit changes only the lines it touches. Windows writes these
// files in UTF-16LE with a byte-order mark and CRLF line ends; UTF-8 (with or without a
// BOM) and ANSI files are read too and written back in their own encoding.
//
// The structure is an INF file's: "[Section]" headers, then lines "key = value" (or
// "key=value"; the spacing is kept), blank lines and ";" comments. Some sections hold
// lines without '=' ([Service General Setting], [Registry Keys], [File Security]:
// "NAME",MODE,"SDDL"); they are kept as entries with an empty key.
#pragma once

#include "util/bytes.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::settings {

enum class InfEncoding { utf16le, utf8, ansi };

struct InfLine {
    enum class Kind { blank, comment, section, entry };
    Kind kind = Kind::blank;
    std::string text;    // the line's text in UTF-8, without its line end
    std::string eol;     // "\r\n", "\n", "\r" or "" (the last line without one)
    std::string section; // a header's name, or the section an entry or comment is in
    std::string key;     // an entry's key, trimmed ("" for a line without '=')
    std::string value;   // an entry's value, trimmed (the whole line for a line without '=')
    std::size_t number = 0; // 1-based line in the file as read (0 for a line an edit added)
    // The line's bytes in the original file (with its line end), for lines not edited.
    std::optional<std::pair<std::size_t, std::size_t>> original;
};

class InfFile {
public:
    InfFile() = default;
    // Parses a template. Throws util::ParseError with the line and column (1-based,
    // counted in characters): bytes that are not text in their encoding (UTF-16 with an
    // odd byte or a lone surrogate, invalid UTF-8 after a UTF-8 BOM), a NUL character, a
    // header without ']', without a name or with text after ']', an entry outside any
    // section, a line without '=' in a section of key=value settings, "=value" without a
    // key.
    static InfFile parse(util::ByteView bytes, std::string origin);
    // A new template as Windows writes one: [Unicode] and [Version], UTF-16LE, CRLF.
    static InfFile empty(std::string origin);

    const std::string& origin() const { return m_origin; }
    InfEncoding encoding() const { return m_encoding; }
    const std::vector<InfLine>& lines() const { return m_lines; }

    // The current bytes: the original's for untouched lines.
    util::Bytes bytes() const;

    // The entries of a section (case-insensitive name), in order.
    std::vector<const InfLine*> entries(std::string_view section) const;
    // The entry `key` of `section` (both case-insensitive), or null.
    const InfLine* find(std::string_view section, std::string_view key) const;
    // The position of a line in the file, for messages.
    util::Position position(const InfLine& line, std::size_t column = 1) const;

    // Sets `key` in `section` to `value` (the text after '='): the existing line is
    // rewritten in its own spacing; a new line goes after the section's last entry, in
    // the spacing of the section's other lines (" = " if it has none); a new section goes
    // before [Version], or at the end. Returns whether anything changed.
    bool set(std::string_view section, std::string_view key, std::string_view value);
    // Removes `key` from `section`. Returns whether it was there.
    bool remove(std::string_view section, std::string_view key);

private:
    std::string m_origin;
    InfEncoding m_encoding = InfEncoding::utf16le;
    bool m_bom = true;
    util::Bytes m_original;
    std::vector<InfLine> m_lines;
    std::string m_eol = "\r\n"; // for new lines: the file's own
    bool m_edited = false;
};

// Sections whose every line is "key = value".
bool is_key_value_section(std::string_view section);

} // namespace gpokit::settings
