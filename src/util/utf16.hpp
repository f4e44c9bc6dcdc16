// UTF-16LE text as Registry.pol, gpreport.xml and LGPO dumps store it.
//
// Names and strings inside registry.pol are sequences of UTF-16 code units kept as
// raw little-endian bytes (a record may start at an odd offset, so they are never
// reinterpreted as char16_t arrays). Conversions to UTF-8 report whether they were
// exact: a lone surrogate cannot round-trip through UTF-8, and callers that must be
// lossless fall back to hex for it.
//
// Case-insensitive comparison follows how Windows compares registry names: each code
// unit is upper-cased on its own (RtlUpcaseUnicodeChar), by Unicode's simple upper-case
// mapping (taken from the C library's C.UTF-8 tables).
#pragma once

#include "util/bytes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gpokit::util {

// Code unit `i` of a UTF-16LE byte view (no bounds check: i < bytes.size() / 2).
inline char16_t unit_at(ByteView bytes, std::size_t i)
{
    return static_cast<char16_t>(load_u16le(bytes.data() + 2 * i));
}

// Decodes UTF-16LE bytes (even length) to UTF-8, or nullopt if they hold a lone
// surrogate or an odd trailing byte.
std::optional<std::string> utf16le_to_utf8(ByteView bytes);

// Decodes UTF-16LE to UTF-8, replacing what cannot be decoded by U+FFFD. For display.
std::string utf16le_to_utf8_lossy(ByteView bytes);

// Appends a code point as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Encodes UTF-8 as UTF-16LE bytes. Throws util::Error on invalid UTF-8.
Bytes utf8_to_utf16le(std::string_view text);

// The same for a std::u16string.
std::u16string utf8_to_u16(std::string_view text);
std::u16string utf16le_to_u16(ByteView bytes);
Bytes u16_to_utf16le(std::u16string_view text);
std::string u16_to_utf8_lossy(std::u16string_view text);

// The length of the longest prefix of `text` that is valid UTF-8 (text.size() when all
// of it is): where the first byte that is not UTF-8 is.
std::size_t valid_utf8_prefix(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (file names on Linux are
// bytes; JSON and LGPO text need valid UTF-8). Returns the input unchanged when valid.
std::string printable(std::string_view text);

// Upper-cases one code unit the way Windows compares registry names.
char16_t fold_unit(char16_t c);

// Folded copy of a name (for map keys).
std::u16string fold(std::u16string_view text);

bool iequals(std::u16string_view a, std::u16string_view b);

// Case-insensitive, component-wise comparison of registry key paths: "A\B" sorts
// before "A B" because the component "A" is a prefix of "A B". Returns <0, 0, >0.
int compare_key_paths(std::u16string_view a, std::u16string_view b);

// A key path as a string whose plain order is compare_key_paths's (folded, separators as
// 0): for sorting many paths, each converted once.
std::u16string key_path_sort_key(std::u16string_view path);

// True when `text` starts with `prefix`, case-insensitively.
bool istarts_with(std::u16string_view text, std::u16string_view prefix);

} // namespace gpokit::util
