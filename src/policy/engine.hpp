// Policies on registry.pol: what state an ADMX policy is in (Enabled, Disabled, Not
// configured, with its element values), and the records that put it in a state, the
// way the Group Policy editor writes them:
//   Enabled:  enabledValue (DWORD 1 when the policy has a valueName and no
//             enabledValue), enabledList, and every element's value; a list element
//             writes one value per entry, after **delvals. unless it is additive;
//   Disabled: disabledValue (**del. of valueName when there is none), disabledList;
//             elements are deleted (**del.), list keys cleared (**delvals.);
//   Not configured: every record the policy could have written is removed.
#pragma once

#include "pol/effective.hpp"
#include "pol/pol_file.hpp"
#include "policy/admx.hpp"

#include <map>
#include <unordered_map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gpokit::policy {

enum class State { not_configured, enabled, disabled };
const char* state_name(State s);

using ListEntries = std::vector<std::pair<std::string, std::string>>; // (name, data); name empty if implicit
using ElementValue = std::variant<bool, std::uint64_t, std::string, std::vector<std::string>, ListEntries>;

struct Reading {
    State state = State::not_configured;
    std::map<std::string, ElementValue> elements; // by element id, when enabled
};

// What a registry.pol gives clients, with the deletions its records make (which the
// effective state alone forgets).
class RegistryView {
public:
    explicit RegistryView(const pol::PolFile& file);
    const pol::EffectiveValue* value(std::string_view key, std::string_view name) const;
    // The last record about key!name deletes it (**del., **delvals., **DeleteValues).
    bool deleted(std::string_view key, std::string_view name) const;
    // The key holds a **delvals.
    bool cleared(std::string_view key) const;
    const pol::EffectiveKey* key(std::string_view key) const;
    const pol::EffectiveState& state() const { return m_state; }

    // What the file tells clients to delete: values whose last record deletes them (and
    // that nothing sets again), and keys it clears (**delvals.), as spelled in the file.
    struct Deletion {
        std::u16string key;
        std::u16string value; // empty for a cleared key
    };
    std::vector<Deletion> deletions() const;

private:
    struct Mark {
        bool deleted = false;
        std::size_t record = 0; // the last record about the value; its spelling is shown
    };
    const pol::PolFile* m_file;
    pol::EffectiveState m_state;
    std::unordered_map<std::u16string, std::map<std::u16string, Mark>> m_deleted; // folded key -> folded name -> mark
    std::map<std::u16string, std::u16string> m_cleared; // folded key -> spelling
};

Reading read(const Policy& policy, const RegistryView& view);

// Puts the policy in `state` with `elements` (ids of the policy's elements; for list
// elements ListEntries, or a list of strings for implicit lists). Returns whether the
// file changed. Throws util::Error for values that do not fit an element.
bool write(pol::PolFile& file, const Policy& policy, State state, const std::map<std::string, ElementValue>& elements);

// Every (key, value name) the policy can write, and the list keys it owns; used to
// tell registry values that belong to no known policy.
struct Footprint {
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::string> list_keys;
};
Footprint footprint(const Policy& policy);

// A value from the command line for an element: "true"/"false", a number, text, an
// enum item's display name or position. Throws util::Error.
ElementValue parse_element_value(const Element& element, const std::string& text);

} // namespace gpokit::policy
