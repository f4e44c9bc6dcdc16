// Typed views of registry data, used by every text form (JSON, LGPO, text) and by
// the edit commands.
//
// decode() returns a typed value only when encoding it back gives exactly the same
// bytes; anything else (a string without its NUL or with extra NULs, a DWORD of
// 3 bytes, a lone surrogate, an unknown type) stays raw bytes. That one rule is
// what makes `show --format json | build` byte-identical for every file.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gpokit::pol {

struct RawData {
    util::Bytes bytes;
};
using Strings = std::vector<std::string>;

// REG_SZ/REG_EXPAND_SZ -> std::string (UTF-8, without the NUL);
// REG_DWORD/REG_DWORD_BIG_ENDIAN/REG_QWORD -> std::uint64_t; REG_MULTI_SZ -> Strings;
// everything else, and malformed data -> RawData.
using Value = std::variant<RawData, std::string, std::uint64_t, Strings>;

Value decode(std::uint32_t type, util::ByteView data);

// True if `type` is one that decode() normally gives a typed value for.
bool has_typed_form(std::uint32_t type);

// Encodes a typed value for `type` the way Windows writes it: one NUL after a string,
// one after each MULTI_SZ string plus a final one, DWORD/QWORD little-endian.
// Throws util::Error when the value does not fit the type (a number over 32 bits for
// a DWORD, a list for REG_SZ, ...).
util::Bytes encode(std::uint32_t type, const Value& value);

// Parses command-line data for a type: decimal or 0x-hex numbers, hex bytes for
// binary/none/unknown types, text for strings; `items` for MULTI_SZ. Throws util::Error.
util::Bytes encode_text(std::uint32_t type, const std::vector<std::string>& items);

// Parses an unsigned number ("42", "0x2a") that must fit in `bits` bits. Throws util::Error.
std::uint64_t parse_unsigned(std::string_view text, int bits);

} // namespace gpokit::pol
