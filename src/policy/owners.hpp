// Which policies of a catalogue write a registry value: built once from every policy's
// footprint (policy/engine.hpp), so that diff, compare and `policy show` name the
// policy behind a value the same way. Keys and value names compare case-insensitively.
#pragma once

#include "pol/text_forms.hpp"
#include "policy/admx.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace gpokit::policy {

class OwnerIndex {
public:
    explicit OwnerIndex(const Catalogue& catalogue);

    // The policies that can write key!value on a side: the owners of its list key
    // first, then of the value itself.
    std::vector<const Policy*> owners(pol::Side side, std::u16string_view key, std::u16string_view value) const;
    // The first of them, or null.
    const Policy* owner(pol::Side side, std::u16string_view key, std::u16string_view value) const;

private:
    // folded key -> policies with a list under it; folded key \0 folded value -> policies.
    // In catalogue order, so that the first owner is always the same.
    std::unordered_map<std::u16string, std::vector<const Policy*>> m_lists;
    std::unordered_map<std::u16string, std::vector<const Policy*>> m_values;
};

} // namespace gpokit::policy
