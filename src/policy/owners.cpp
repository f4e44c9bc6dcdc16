#include "policy/owners.hpp"

#include "policy/engine.hpp"
#include "util/utf16.hpp"

namespace gpokit::policy {

OwnerIndex::OwnerIndex(const Catalogue& catalogue)
{
    for (const auto& p : catalogue.policies()) {
        const auto fp = footprint(p);
        for (const auto& lk : fp.list_keys)
            m_lists[util::fold(util::utf8_to_u16(lk))].push_back(&p);
        for (const auto& [pk, pv] : fp.values)
            m_values[util::fold(util::utf8_to_u16(pk)) + u'\0' + util::fold(util::utf8_to_u16(pv))].push_back(&p);
    }
}

std::vector<const Policy*> OwnerIndex::owners(pol::Side side, std::u16string_view key, std::u16string_view value) const
{
    std::vector<const Policy*> out;
    const std::u16string k = util::fold(std::u16string(key));
    const auto take = [&](const auto& map, const std::u16string& id) {
        const auto it = map.find(id);
        if (it == map.end())
            return;
        for (const Policy* p : it->second)
            if (side == pol::Side::machine ? p->applies_to_machine() : p->applies_to_user())
                out.push_back(p);
    };
    take(m_lists, k);
    take(m_values, k + u'\0' + util::fold(std::u16string(value)));
    return out;
}

const Policy* OwnerIndex::owner(pol::Side side, std::u16string_view key, std::u16string_view value) const
{
    const auto all = owners(side, key, value);
    return all.empty() ? nullptr : all.front();
}

} // namespace gpokit::policy
