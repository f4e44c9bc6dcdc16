// The one error type gpokit throws. Libraries throw; only cli/ catches, prints
// `gpokit: error: <what()>` and exits with status 2. A message always names the
// file it is about and, where there is one, the position in it:
//   Machine/registry.pol:0x1a4: record 12: size 70000 runs past end of file (0x1c0)
//   Backup.xml:14:3: unexpected end of element
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gpokit::util {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "path:0xOFFSET" and "path:LINE:COLUMN": where something is, without a message.
std::string offset_position(std::string_view origin, std::uint64_t offset);
std::string line_position(std::string_view origin, std::size_t line, std::size_t column);

// "path:0xOFFSET: message" for binary input.
std::string at_offset(std::string_view origin, std::uint64_t offset, std::string_view message);

// "path:LINE:COLUMN: message" for text input (1-based line and column).
std::string at_line(std::string_view origin, std::size_t line, std::size_t column,
                    std::string_view message);

} // namespace gpokit::util
