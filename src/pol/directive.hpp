// Value names that start with "**" are instructions to the client, not values
// ([MS-GPREG] 2.2.1 and 3.2.5.1.2). They are matched case-insensitively:
//   **del.<name>     delete value <name>              (Windows writes REG_SZ " \0")
//   **delvals.       delete every value of the key    (REG_SZ " \0", first in its key)
//   **DeleteValues   delete the ';'-separated values named in data
//   **DeleteKeys     delete the ';'-separated subkeys named in data
//   **SecureKey      DWORD 1 secures the key's ACL, 0 resets it (old form **SecureKey=1)
//   **soft.<name>    create <name> only if it does not exist
// An empty value name with REG_NONE and no data creates the key. Any other "**" name
// is unknown: kept verbatim, never treated as an ordinary value.
#pragma once

#include "pol/pol_file.hpp"

#include <string>
#include <string_view>

namespace gpokit::pol {

enum class DirectiveKind {
    none,          // an ordinary value (or the key's default value)
    create_key,    // empty name, REG_NONE, size 0
    del,           // **del.<target>
    delvals,       // **delvals.
    delete_values, // **DeleteValues
    delete_keys,   // **DeleteKeys
    secure_key,    // **SecureKey (or **SecureKey=0/1)
    soft,          // **soft.<target>
    unknown,       // any other name starting with **
};

struct Directive {
    DirectiveKind kind = DirectiveKind::none;
    std::u16string target; // the value name for del and soft
};

Directive classify(std::u16string_view value_name, std::uint32_t type, std::size_t data_size);
Directive classify(const Record& record);

// "**del." + name and "**delvals." as Windows writes them.
std::u16string del_name(std::u16string_view value_name);
inline constexpr std::u16string_view k_delvals = u"**delvals.";

// The data Windows writes for **del. and **delvals.: REG_SZ " \0".
util::ByteView directive_placeholder();

} // namespace gpokit::pol
