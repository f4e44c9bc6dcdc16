// Edits on the record layer that keep Windows' conventions and minimal diffs:
// untouched records keep their order and bytes; a new value goes at the end of its
// key's group; a new key goes at its sorted place (component-wise, case-insensitive);
// setting a value drops any **del. of it; disabling a value replaces it by **del.;
// clearing a key puts **delvals. first in its group. Every edit returns whether the
// file changed: an edit that would not change what a client receives writes nothing.
//
// All functions throw util::Error for a key or value name they refuse (hive prefix,
// empty component, a "**" name where a plain value is meant).
#pragma once

#include "pol/pol_file.hpp"

#include <string_view>

namespace gpokit::pol {

// Sets key!name to (type, data). Returns false if a client already receives exactly that.
bool set_value(PolFile& file, std::u16string_view key, std::u16string_view name, std::uint32_t type,
               util::ByteView data);

// Removes every record about key!name (its values, **del. and **soft. of it): the value
// becomes "not configured". Returns false if there was none.
bool delete_value(PolFile& file, std::u16string_view key, std::u16string_view name);

// Removes every record of the key and (with `subkeys`) of the keys below it.
bool delete_key(PolFile& file, std::u16string_view key, bool subkeys = true);

// Makes key!name deleted on clients (**del.name, REG_SZ " \0"), replacing the records
// that set it.
bool disable_value(PolFile& file, std::u16string_view key, std::u16string_view name);

// Makes clients delete every value of the key before the rest of the key's records
// apply (**delvals. first in the key's group).
bool clear_key(PolFile& file, std::u16string_view key);

// Throws util::Error if `key` is not acceptable as a registry.pol key.
void validate_key(std::u16string_view key);

} // namespace gpokit::pol
