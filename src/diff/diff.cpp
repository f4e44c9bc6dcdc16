#include "diff/diff.hpp"

#include "pol/effective.hpp"
#include "pol/reg_type.hpp"
#include "policy/engine.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace gpokit::diff {

namespace fs = std::filesystem;

const char* change_name(Change c)
{
    switch (c) {
    case Change::added: return "added";
    case Change::removed: return "removed";
    case Change::modified: return "modified";
    }
    return "";
}

namespace {

pol::PolFile load_side(const gpo::GpoSide& side)
{
    if (side.registry_pol)
        return pol::PolFile::load(*side.registry_pol);
    pol::PolFile empty;
    empty.set_origin(util::display_path(side.folder / "registry.pol"));
    return empty;
}

bool folder_is_user(const fs::path& file)
{
    std::string dir = fs::absolute(file).parent_path().filename().string();
    std::transform(dir.begin(), dir.end(), dir.begin(), [](unsigned char c) { return std::tolower(c); });
    return dir == "user";
}

struct Entry {
    std::string key;
    std::string value;
    TypedData data;
};

// folded key \0 folded value -> entry, for one side: the values a client ends up with,
// and what the file tells clients to delete (a Disabled policy is mostly deletions).
// A cleared key is listed under the value name "**delvals.".
std::map<std::u16string, Entry> entries(const pol::PolFile& file)
{
    std::map<std::u16string, Entry> out;
    const policy::RegistryView view(file);
    for (const auto& k : view.state().keys)
        for (const auto& v : k.values)
            out[util::fold(k.name) + u'\0' + util::fold(v.name)] =
                Entry{util::u16_to_utf8_lossy(k.name), util::u16_to_utf8_lossy(v.name),
                      TypedData{v.type, util::Bytes(v.data.begin(), v.data.end()), false}};
    for (const auto& d : view.deletions()) {
        const std::u16string name = d.value.empty() ? std::u16string(u"**delvals.") : d.value;
        out.try_emplace(util::fold(d.key) + u'\0' + util::fold(name),
                        Entry{util::u16_to_utf8_lossy(d.key), util::u16_to_utf8_lossy(name), TypedData{0, {}, true}});
    }
    return out;
}

// Which policy writes a value: built once per diff from every policy's footprint.
class Owners {
public:
    explicit Owners(const policy::Catalogue& catalogue)
    {
        for (const auto& p : catalogue.policies()) {
            const auto fp = policy::footprint(p);
            for (const auto& lk : fp.list_keys)
                m_lists.emplace(util::fold(util::utf8_to_u16(lk)), &p);
            for (const auto& [pk, pv] : fp.values)
                m_values.emplace(util::fold(util::utf8_to_u16(pk)) + u'\0' + util::fold(util::utf8_to_u16(pv)), &p);
        }
    }

    const policy::Policy* find(pol::Side side, const std::string& key, const std::string& value) const
    {
        const std::u16string k = util::fold(util::utf8_to_u16(key));
        auto pick = [&](auto range) -> const policy::Policy* {
            for (auto it = range.first; it != range.second; ++it)
                if (side == pol::Side::machine ? it->second->applies_to_machine() : it->second->applies_to_user())
                    return it->second;
            return nullptr;
        };
        if (const auto* p = pick(m_lists.equal_range(k)))
            return p;
        return pick(m_values.equal_range(k + u'\0' + util::fold(util::utf8_to_u16(value))));
    }

private:
    std::multimap<std::u16string, const policy::Policy*> m_lists;
    std::multimap<std::u16string, const policy::Policy*> m_values;
};

void registry_changes(const Source& a, const Source& b, pol::Side side, const Owners& owners,
                      std::vector<RegistryChange>& out)
{
    const auto before = entries(a.side(side));
    const auto after = entries(b.side(side));
    const policy::RegistryView view_a(a.side(side));
    const policy::RegistryView view_b(b.side(side));
    std::map<const policy::Policy*, std::pair<std::string, std::string>> states; // read once per policy
    auto add = [&](const Entry& e, Change change, const Entry* old_entry, const Entry* new_entry) {
        RegistryChange c{side, e.key, e.value, change, {}, {}, {}};
        if (old_entry)
            c.before = old_entry->data;
        if (new_entry)
            c.after = new_entry->data;
        if (const auto* p = owners.find(side, e.key, e.value)) {
            auto it = states.find(p);
            if (it == states.end())
                it = states.emplace(p, std::pair{std::string(policy::state_name(policy::read(*p, view_a).state)),
                                                 std::string(policy::state_name(policy::read(*p, view_b).state))})
                         .first;
            c.policy = PolicyRef{p->full_name(), p->display_name, it->second.first, it->second.second};
        }
        out.push_back(std::move(c));
    };
    for (const auto& [id, e] : before) {
        const auto it = after.find(id);
        if (it == after.end())
            add(e, Change::removed, &e, nullptr);
        else if (it->second.data.type != e.data.type || it->second.data.data != e.data.data ||
                 it->second.data.deletion != e.data.deletion)
            add(it->second, Change::modified, &e, &it->second);
    }
    for (const auto& [id, e] : after)
        if (before.find(id) == before.end())
            add(e, Change::added, nullptr, &e);
}

std::string text_of_record(const pol::Record& r)
{
    return fmt::format("{} ! {} {} {}", r.key_utf8(), r.value_utf8(), pol::type_name(r.type), util::to_hex(r.data));
}

// Record-level differences: the longest common subsequence of the two record lists.
void record_changes(const pol::PolFile& a, const pol::PolFile& b, pol::Side side, std::vector<RecordChange>& out)
{
    std::vector<std::string> x, y;
    for (const auto& r : a.records)
        x.push_back(text_of_record(r));
    for (const auto& r : b.records)
        y.push_back(text_of_record(r));
    auto change = [&](char sign, std::size_t index) {
        const pol::Record& r = sign == '-' ? a.records[index] : b.records[index];
        return RecordChange{side, sign, index + 1, r.key_utf8(), r.value_utf8(),
                            TypedData{r.type, util::Bytes(r.data.begin(), r.data.end())}};
    };
    // Common leading and trailing records are no change; the table covers the middle.
    std::size_t head = 0;
    while (head < x.size() && head < y.size() && x[head] == y[head])
        ++head;
    std::size_t tail = 0;
    while (tail < x.size() - head && tail < y.size() - head && x[x.size() - 1 - tail] == y[y.size() - 1 - tail])
        ++tail;
    x = std::vector<std::string>(x.begin() + static_cast<std::ptrdiff_t>(head), x.end() - static_cast<std::ptrdiff_t>(tail));
    y = std::vector<std::string>(y.begin() + static_cast<std::ptrdiff_t>(head), y.end() - static_cast<std::ptrdiff_t>(tail));
    const auto shifted = change;
    auto change_at = [&](char sign, std::size_t index) { return shifted(sign, index + head); };
    const std::size_t n = x.size();
    const std::size_t m = y.size();
    if (n * m > 25'000'000) { // too large for the table: the differing middle, removed then added
        for (std::size_t i = 0; i < n; ++i)
            out.push_back(change_at('-', i));
        for (std::size_t j = 0; j < m; ++j)
            out.push_back(change_at('+', j));
        return;
    }
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            at(i, j) = x[i] == y[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && x[i] == y[j]) {
            ++i;
            ++j;
        } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
            out.push_back(change_at('+', j));
            ++j;
        } else {
            out.push_back(change_at('-', i));
            ++i;
        }
    }
}

// Normalised relative paths of the GPO's files, other than those the registry and
// metadata comparisons cover, with their bytes.
std::map<std::string, fs::path> other_files(const gpo::Gpo& g)
{
    std::map<std::string, fs::path> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(g.dir, ec), end; !ec && it != end; it.increment(ec)) {
        // Links are never followed: a link inside a GPO is compared as a link's name only.
        if (!fs::is_regular_file(it->symlink_status(ec)) && !fs::is_symlink(it->symlink_status(ec)))
            continue;
        std::string rel = it->path().lexically_relative(g.dir).generic_string();
        std::string lower = rel;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower.rfind("domainsysvol/gpo/", 0) == 0)
            lower = lower.substr(17);
        if (lower == "backup.xml" || lower == "bkupinfo.xml" || lower == "gpreport.xml" || lower == "gpt.ini" ||
            lower == "machine/registry.pol" || lower == "user/registry.pol")
            continue;
        out[lower] = it->path();
    }
    return out;
}

std::uint32_t sysvol_version(const gpo::Gpo& g, pol::Side side)
{
    const std::uint32_t v = g.side(side).version;
    return g.kind == gpo::GpoKind::backup ? v >> 16 : v;
}

bool report_stale(const gpo::Gpo& g)
{
    if (!g.gpreport)
        return false;
    const auto& r = g.report_versions;
    auto differs = [&](pol::Side side, const std::optional<std::uint32_t>& sysvol) {
        return sysvol && *sysvol != sysvol_version(g, side);
    };
    return differs(pol::Side::machine, r.machine_sysvol) || differs(pol::Side::user, r.user_sysvol);
}

void metadata_changes(const gpo::Gpo& a, const gpo::Gpo& b, const Options& o, std::vector<MetadataChange>& out)
{
    auto field = [&](std::string name, std::string before, std::string after) {
        if (before != after)
            out.push_back({std::move(name), std::move(before), std::move(after)});
    };
    field("GPO GUID", a.guid, b.guid);
    field("display name", a.display_name, b.display_name);
    if (a.kind == b.kind)
        field("options", a.options, b.options);
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        if ((side == pol::Side::machine && !o.machine) || (side == pol::Side::user && !o.user))
            continue;
        const char* label = side == pol::Side::machine ? "machine" : "user";
        field(fmt::format("{} version", label), std::to_string(sysvol_version(a, side)),
              std::to_string(sysvol_version(b, side)));
        const auto& ea = a.side(side).extensions;
        const auto& eb = b.side(side).extensions;
        if (ea && eb)
            field(fmt::format("{} extensions", label), *ea, *eb);
    }
    if (a.gpreport || b.gpreport)
        field("gpreport.xml stale", report_stale(a) ? "yes" : "no", report_stale(b) ? "yes" : "no");
}

} // namespace

Source open_source(const std::string& path, const gpo::Selector& selector)
{
    Source s;
    s.label = path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        s.gpo = gpo::open_gpo(path, selector);
        s.machine = load_side(s.gpo->machine);
        s.user = load_side(s.gpo->user);
        return s;
    }
    const auto file = pol::PolFile::load(path);
    if (folder_is_user(path)) {
        s.user = file;
        s.only = pol::Side::user;
    } else {
        s.machine = file;
        s.only = pol::Side::machine;
    }
    return s;
}

Diff compute(const Source& a, const Source& b, const policy::Catalogue& catalogue, const Options& o)
{
    Diff d;
    d.a = a.label;
    d.b = b.label;
    const Owners owners(catalogue);
    bool compared = false;
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        if ((side == pol::Side::machine && !o.machine) || (side == pol::Side::user && !o.user))
            continue;
        // A bare registry.pol holds one side: compare it with the same side only.
        if ((a.only && *a.only != side) || (b.only && *b.only != side))
            continue;
        compared = true;
        registry_changes(a, b, side, owners, d.registry);
        if (o.records)
            record_changes(a.side(side), b.side(side), side, d.records);
    }
    if (!compared)
        throw util::Error(fmt::format("{} and {} hold no side in common to compare (a registry.pol's side comes from "
                                      "its Machine/ or User/ folder; see --side)",
                                      a.label, b.label));
    if (a.gpo && b.gpo && !o.ignore_metadata) {
        metadata_changes(*a.gpo, *b.gpo, o, d.metadata);
        const auto fa = other_files(*a.gpo);
        const auto fb = other_files(*b.gpo);
        for (const auto& [name, path] : fa) {
            const auto it = fb.find(name);
            if (it == fb.end())
                d.files.push_back({name, Change::removed});
            else if (fs::is_symlink(fs::symlink_status(path)) || fs::is_symlink(fs::symlink_status(it->second))
                         ? fs::read_symlink(path) != fs::read_symlink(it->second)
                         : util::read_file(path) != util::read_file(it->second))
                d.files.push_back({name, Change::modified});
        }
        for (const auto& [name, path] : fb)
            if (fa.find(name) == fa.end())
                d.files.push_back({name, Change::added});
    }
    std::stable_sort(d.registry.begin(), d.registry.end(), [](const auto& x, const auto& y) {
        if (x.side != y.side)
            return x.side == pol::Side::machine;
        const std::string px = x.policy ? x.policy->display_name : std::string("\x7f");
        const std::string py = y.policy ? y.policy->display_name : std::string("\x7f");
        if (px != py)
            return px < py;
        const int k = util::compare_key_paths(util::utf8_to_u16(x.key), util::utf8_to_u16(y.key));
        if (k != 0)
            return k < 0;
        return util::fold(util::utf8_to_u16(x.value)) < util::fold(util::utf8_to_u16(y.value));
    });
    return d;
}

std::size_t Comparison::conflicts() const
{
    return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.conflict; }));
}

Comparison compare(const std::vector<Source>& sources, const policy::Catalogue& catalogue)
{
    Comparison out;
    const Owners owners(catalogue);
    for (const auto& s : sources)
        out.labels.push_back(s.label);
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        std::map<std::u16string, CompareRow> rows;
        for (std::size_t i = 0; i < sources.size(); ++i) {
            if (sources[i].only && *sources[i].only != side)
                continue;
            for (auto& [id, e] : entries(sources[i].side(side))) {
                auto [it, inserted] = rows.try_emplace(id);
                CompareRow& row = it->second;
                if (inserted) {
                    row.side = side;
                    row.key = e.key;
                    row.value = e.value;
                    row.cells.resize(sources.size());
                    if (const auto* p = owners.find(side, e.key, e.value))
                        row.policy = p->display_name;
                }
                row.cells[i] = e.data;
            }
        }
        std::vector<CompareRow> sorted;
        for (auto& [id, row] : rows) {
            const std::optional<TypedData>* first = nullptr;
            for (const auto& cell : row.cells) {
                if (!cell) {
                    row.absent = true;
                    continue;
                }
                if (first == nullptr)
                    first = &cell;
                else if ((*first)->type != cell->type || (*first)->data != cell->data ||
                         (*first)->deletion != cell->deletion)
                    row.conflict = true;
            }
            sorted.push_back(std::move(row));
        }
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
            const int k = util::compare_key_paths(util::utf8_to_u16(x.key), util::utf8_to_u16(y.key));
            return k != 0 ? k < 0 : util::fold(util::utf8_to_u16(x.value)) < util::fold(util::utf8_to_u16(y.value));
        });
        for (auto& r : sorted)
            out.rows.push_back(std::move(r));
    }
    return out;
}

} // namespace gpokit::diff
