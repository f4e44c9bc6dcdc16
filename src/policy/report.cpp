#include "policy/report.hpp"

#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gpokit::policy {

SideReport report_side(const Catalogue& catalogue, const OwnerIndex& owners, const pol::PolFile& file, pol::Side side)
{
    SideReport r;
    r.side = side;
    const RegistryView view(file);
    std::set<const Policy*> configured;
    for (const auto& p : catalogue.policies()) {
        if (side == pol::Side::machine ? !p.applies_to_machine() : !p.applies_to_user())
            continue;
        Reading reading = read(p, view);
        if (reading.state == State::not_configured)
            continue;
        configured.insert(&p);
        r.configured.emplace_back(&p, std::move(reading));
    }
    // A value is the policy's when a configured policy can write it.
    for (const auto& k : view.state().keys)
        for (const auto& v : k.values) {
            const auto who = owners.owners(side, k.name, v.name);
            if (std::none_of(who.begin(), who.end(), [&](const Policy* p) { return configured.count(p) != 0; }))
                r.unmapped.push_back({util::u16_to_utf8_lossy(k.name), util::u16_to_utf8_lossy(v.name), v.type,
                                      util::Bytes(v.data.begin(), v.data.end())});
        }
    return r;
}

std::string element_text(const ElementValue& v)
{
    if (const auto* b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    if (const auto* n = std::get_if<std::uint64_t>(&v))
        return std::to_string(*n);
    if (const auto* s = std::get_if<std::string>(&v))
        return "\"" + *s + "\"";
    std::string out = "[";
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
        for (std::size_t i = 0; i < list->size(); ++i)
            out += (i ? ", \"" : "\"") + (*list)[i] + "\"";
    } else {
        const auto& entries = std::get<ListEntries>(v);
        for (std::size_t i = 0; i < entries.size(); ++i)
            out += fmt::format("{}{} = \"{}\"", i ? ", " : "", entries[i].first, entries[i].second);
    }
    return out + "]";
}

} // namespace gpokit::policy
