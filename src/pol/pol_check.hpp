// Lint for registry.pol: things Windows tolerates badly or that a reviewer should
// see, each tied to a record and its offset.
//   hive-prefix        key starts with HKLM\ etc.
//   key-path           empty key, empty component, leading or trailing backslash
//   type-size          DWORD/DWORD_BIG_ENDIAN not 4 bytes, QWORD not 8
//   string-nul         REG_SZ/REG_EXPAND_SZ without its terminating NUL, odd size, or extra NULs
//   multi-sz           REG_MULTI_SZ not ending in two NULs, or with an empty string inside
//   duplicate          the same value set twice (the last one wins on clients)
//   too-large          data over 65535 bytes (the limit [MS-GPREG] gives)
//   unknown-directive  a "**" name that is not a known directive
//   trailing-bytes     bytes after the last record (read with --lenient)
#pragma once

#include "pol/pol_file.hpp"

#include <string>
#include <vector>

namespace gpokit::pol {

struct Finding {
    std::uint64_t offset = 0;
    std::size_t record = 0; // 1-based; 0 when not about one record
    std::string code;
    std::string message;
};

std::vector<Finding> check(const PolFile& file);

} // namespace gpokit::pol
