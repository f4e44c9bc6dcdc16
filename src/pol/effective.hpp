// The effective state: what a Windows client's registry holds after it applies one
// registry.pol ([MS-GPREG] 3.2.5.1.2). Records are instructions applied in file
// order; keys and value names compare case-insensitively (a later record with other
// case replaces an earlier one and keeps the later spelling); the last write wins.
//
// Directives: **del.X deletes X; **delvals. deletes every value of the key;
// **DeleteValues deletes the ';'-separated names in its data; **DeleteKeys deletes
// the ';'-separated subkeys (relative to the record's key) with everything below
// them; **soft.X sets X only if it does not exist yet; **SecureKey changes the key's
// ACL only (recorded as a key attribute); an empty name with REG_NONE and no data
// creates the key. Unknown ** names change nothing here (pol check reports them).
// A key is listed when it holds values, was created by a create-key record, or had
// its ACL set; a key that records only deleted from is not.
#pragma once

#include "pol/pol_file.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gpokit::pol {

struct EffectiveValue {
    std::u16string name;  // as spelled by the record that set it
    std::uint32_t type = 0;
    util::ByteView data;  // points into the PolFile applied: keep it alive
    std::size_t record = 0; // index of the record that set it
};

struct EffectiveKey {
    std::u16string name;                 // as spelled by the latest record that touched it
    std::vector<EffectiveValue> values;  // sorted by name, case-insensitively
    std::optional<bool> secured;         // from **SecureKey, if present
};

struct EffectiveState {
    std::vector<EffectiveKey> keys; // sorted by key path (component-wise, case-insensitive)

    // Lookups by name, case-insensitively, in logarithmic time.
    const EffectiveKey* find_key(std::u16string_view key) const;
    const EffectiveValue* find(std::u16string_view key, std::u16string_view value) const;
    std::size_t value_count() const;
};

EffectiveState apply(const PolFile& file);

// A registry.pol that sets exactly the effective state: keys in sorted order, each
// value once (a key without values gets a create-key record, a secured key its
// **SecureKey). Normalising is an explicit choice (`pol build --from` of effective JSON,
// or `show --effective --format lgpo`), never a side effect.
PolFile to_pol(const EffectiveState& state, std::string origin);

} // namespace gpokit::pol
