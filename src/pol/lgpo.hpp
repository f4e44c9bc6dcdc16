// LGPO.exe's text form of registry.pol records (`LGPO /parse`, read back by `LGPO /t`):
// blocks of four lines separated by blank lines, ';' starting a comment line:
//
//   Computer                 (or User)
//   Software\Policies\X      key
//   ValueName                value name ('*' for DELETEALLVALUES and CREATEKEY)
//   DWORD:1                  action
//
// LGPO's own actions: SZ:text, EXSZ:text, DWORD:decimal, DELETE (**del.<name>),
// DELETEALLVALUES (**delvals.), CREATEKEY (empty name, REG_NONE, no data).
// In string data a backslash is written doubled (\\), as LGPO /parse writes it.
// gpokit extends them in the same style for what LGPO cannot say:
//   MULTISZ:a\0b\0c   REG_MULTI_SZ, strings separated by the two characters \0
//   QWORD:decimal     REG_QWORD
//   DWORD_BE:decimal  REG_DWORD_BIG_ENDIAN
//   BINARY:hex        REG_BINARY
//   NONE:hex          REG_NONE with a value name or data
//   RAW:type:hex      any type number with its exact bytes: unknown types, and data
//                     no other action reproduces byte for byte (a string without its
//                     NUL, a 3-byte DWORD, a directive written with other data)
// The value name '@' stands for the key's default value (the empty name).
// A record is written with LGPO's action whenever that reproduces its exact bytes,
// so files LGPO can express stay readable by LGPO.
#pragma once

#include "pol/pol_file.hpp"

#include <string>

namespace gpokit::pol {

struct LgpoLines {
    std::string value_name;
    std::string action;
};

// The value-name and action lines for a record. Throws util::Error if a name holds a
// line break (LGPO text cannot carry it).
LgpoLines to_lgpo(const Record& record);

// The record's (name, type, data) from a value-name line and an action line.
// Throws util::Error (without position: the caller adds it).
struct LgpoRecord {
    std::u16string value_name;
    std::uint32_t type = 0;
    util::Bytes data;
};
LgpoRecord from_lgpo(std::string_view value_name, std::string_view action);

} // namespace gpokit::pol
