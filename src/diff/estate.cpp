#include "diff/estate.hpp"

#include "util/ascii.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace gpokit::diff {

namespace {

std::string key_of(std::string_view text)
{
    return util::to_lower_ascii(text);
}

std::string link_text(const gpo::Link* l)
{
    if (!l)
        return "(not linked)";
    std::string s = l->enabled ? "enabled" : "disabled";
    if (l->enforced)
        s += ", enforced";
    return s;
}

// Links and WMI filter, where both sides recorded them (gpokit-estate.json).
void estate_metadata(const gpo::EstateGpo& a, const gpo::EstateGpo& b, std::vector<MetadataChange>& out)
{
    if (!a.links || !b.links)
        return;
    std::map<std::string, std::pair<const gpo::Link*, const gpo::Link*>> by_container;
    for (const auto& l : *a.links)
        by_container[l.container].first = &l;
    for (const auto& l : *b.links)
        by_container[l.container].second = &l;
    for (const auto& [container, pair] : by_container)
        if (!pair.first || !pair.second || !(*pair.first == *pair.second))
            out.push_back({"link " + container, link_text(pair.first), link_text(pair.second)});
    if (a.wmi_filter != b.wmi_filter)
        out.push_back({"WMI filter (name: query)", a.wmi_filter.empty() ? "(none)" : a.wmi_filter,
                       b.wmi_filter.empty() ? "(none)" : b.wmi_filter});
}

GpoPair one_sided(const gpo::EstateGpo& e, GpoStatus status)
{
    GpoPair p;
    p.status = status;
    p.guid = e.target.gpo().guid;
    p.name = e.target.gpo().display_name;
    (status == GpoStatus::added ? p.b : p.a) = e.target.label();
    return p;
}

bool listed(const std::vector<std::string>& guids, const std::string& guid)
{
    return std::any_of(guids.begin(), guids.end(), [&](const auto& g) { return util::iequal_ascii(g, guid); });
}

} // namespace

const char* status_name(GpoStatus status)
{
    switch (status) {
    case GpoStatus::added: return "added";
    case GpoStatus::removed: return "removed";
    case GpoStatus::changed: return "changed";
    case GpoStatus::unchanged: return "unchanged";
    }
    return "";
}

std::size_t EstateDiff::count(GpoStatus status) const
{
    return static_cast<std::size_t>(
        std::count_if(gpos.begin(), gpos.end(), [&](const GpoPair& p) { return p.status == status; }));
}

bool EstateDiff::empty() const
{
    return std::all_of(gpos.begin(), gpos.end(), [](const GpoPair& p) { return p.status == GpoStatus::unchanged; });
}

EstateDiff compute_estate(const gpo::Estate& a, const gpo::Estate& b, const policy::Catalogue& catalogue,
                          const Options& options)
{
    EstateDiff out;
    out.a = a.label;
    out.b = b.label;
    for (const auto* e : {&a, &b}) {
        out.notes.insert(out.notes.end(), e->notes.begin(), e->notes.end());
        for (const auto& p : e->problems)
            out.problems.push_back(p.what());
    }

    // Pairs by GUID, then the rest by display name where the name is one GPO's on each side.
    std::vector<std::pair<const gpo::EstateGpo*, const gpo::EstateGpo*>> pairs;
    std::map<std::string, const gpo::EstateGpo*> b_by_guid;
    for (const auto& e : b.gpos)
        b_by_guid[key_of(e.target.gpo().guid)] = &e;
    std::vector<const gpo::EstateGpo*> only_a;
    for (const auto& e : a.gpos) {
        const auto it = b_by_guid.find(key_of(e.target.gpo().guid));
        if (it == b_by_guid.end()) {
            only_a.push_back(&e);
            continue;
        }
        pairs.emplace_back(&e, it->second);
        b_by_guid.erase(it);
    }
    std::map<std::string, std::vector<const gpo::EstateGpo*>> a_names, b_names;
    for (const auto* e : only_a)
        a_names[key_of(e->target.gpo().display_name)].push_back(e);
    for (const auto& [guid, e] : b_by_guid)
        b_names[key_of(e->target.gpo().display_name)].push_back(e);
    std::set<const gpo::EstateGpo*> by_name;
    for (const auto& [name, as] : a_names) {
        const auto it = b_names.find(name);
        if (name.empty() || as.size() != 1 || it == b_names.end() || it->second.size() != 1)
            continue;
        pairs.emplace_back(as.front(), it->second.front());
        by_name.insert(as.front());
        by_name.insert(it->second.front());
    }

    const policy::OwnerIndex owners(catalogue);
    const Context ctx{catalogue, owners, options};
    for (const auto& [ea, eb] : pairs) {
        GpoPair p;
        p.guid = eb->target.gpo().guid;
        p.name = eb->target.gpo().display_name;
        p.a = ea->target.label();
        p.b = eb->target.label();
        if (by_name.count(ea))
            p.a_guid = ea->target.gpo().guid;
        p.diff = compute(ea->target, eb->target, ctx);
        if (!options.ignore_metadata)
            estate_metadata(*ea, *eb, p.diff.metadata);
        p.status = p.diff.empty() ? GpoStatus::unchanged : GpoStatus::changed;
        if (p.status == GpoStatus::unchanged)
            p.diff = Diff{};
        out.gpos.push_back(std::move(p));
    }
    // A GPO the other side could not read is not known to be added or removed.
    for (const auto* e : only_a)
        if (!by_name.count(e) && !listed(b.unread, e->target.gpo().guid))
            out.gpos.push_back(one_sided(*e, GpoStatus::removed));
    for (const auto& [guid, e] : b_by_guid)
        if (!by_name.count(e) && !listed(a.unread, e->target.gpo().guid))
            out.gpos.push_back(one_sided(*e, GpoStatus::added));

    std::sort(out.gpos.begin(), out.gpos.end(), [](const GpoPair& x, const GpoPair& y) {
        return std::tuple(x.status, key_of(x.name), key_of(x.guid)) < std::tuple(y.status, key_of(y.name), key_of(y.guid));
    });
    return out;
}

} // namespace gpokit::diff
