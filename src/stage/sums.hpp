// SHA256SUMS: the checksum list a staging bundle carries, in sha256sum's text form
// ("<64 hex digits>  <path>" per line, LF, sorted by path), so that `sha256sum -c`
// and PowerShell's Get-FileHash can check it as well as gpokit. The digests come from
// OpenSSL's libcrypto.
#pragma once

#include "util/bytes.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gpokit::stage {

// SHA-256 of `bytes`, lower-case hexadecimal.
std::string sha256_hex(util::ByteView bytes);

struct SumEntry {
    std::string hash; // 64 lower-case hex digits
    std::string path; // relative, '/'-separated
};

// The list's text, sorted by path (byte order).
std::string sums_text(std::vector<SumEntry> entries);

// A path a bundle may hold: relative, '/'-separated, no empty, "." or ".." part, no
// backslash, drive colon or NUL.
bool safe_relative_path(std::string_view path);

// Parses a list. Throws util::ParseError naming the line and column of a malformed line,
// a path that is absolute or climbs out ("..", a drive letter, a backslash), or a path
// listed twice.
std::vector<SumEntry> parse_sums(std::string_view text, const std::string& origin);

} // namespace gpokit::stage
