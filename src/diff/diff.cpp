#include "diff/diff.hpp"

#include "gpo/bookkeeping.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/gpo_settings.hpp"
#include "gpo/security.hpp"
#include "pol/effective.hpp"
#include "pol/reg_type.hpp"
#include "policy/engine.hpp"
#include "settings/preferences.hpp"
#include "settings/security_template.hpp"
#include "util/safe_path.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace gpokit::diff {

namespace fs = std::filesystem;

const char* scope_name(Scope scope)
{
    switch (scope) {
    case Scope::registry: return "registry";
    case Scope::security: return "security";
    case Scope::preferences: return "preferences";
    case Scope::metadata: return "metadata";
    case Scope::file: return "file";
    }
    return "";
}

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

constexpr std::string_view k_backup_prefix = "backup:";

// One (key, value) a file leaves on clients, or tells them to delete (a Disabled policy
// is mostly deletions; a cleared key is listed under the value name "**delvals.").
// Names and data point into the view and its file.
struct Entry {
    std::u16string id; // folded key \0 folded value: the order entries are matched in
    const std::u16string* key;
    const std::u16string* value;
    std::uint32_t type = 0;
    util::ByteView data;
    bool deletion = false;

    TypedData typed() const { return TypedData{type, util::Bytes(data.begin(), data.end()), deletion}; }
};

const std::u16string k_delvals = u"**delvals.";

// A side's entries sorted by id; `deletions` holds what the deletion entries point to.
std::vector<Entry> entries(const policy::RegistryView& view, const std::vector<policy::RegistryView::Deletion>& deletions)
{
    std::vector<Entry> out;
    out.reserve(view.state().value_count() + deletions.size());
    for (const auto& k : view.state().keys) {
        const std::u16string folded_key = util::fold(k.name) + u'\0';
        for (const auto& v : k.values)
            out.push_back(Entry{folded_key + util::fold(v.name), &k.name, &v.name, v.type, v.data, false});
    }
    for (const auto& d : deletions) {
        const std::u16string& name = d.value.empty() ? k_delvals : d.value;
        out.push_back(Entry{util::fold(d.key) + u'\0' + util::fold(name), &d.key, &name, 0, {}, true});
    }
    // Values first among equal ids: a value the file sets is not also a deletion.
    std::stable_sort(out.begin(), out.end(), [](const Entry& x, const Entry& y) { return x.id < y.id; });
    out.erase(std::unique(out.begin(), out.end(), [](const Entry& x, const Entry& y) { return x.id == y.id; }),
              out.end());
    return out;
}

void registry_changes(const pol::PolFile& a, const pol::PolFile& b, pol::Side side,
                      const policy::OwnerIndex& owners, std::vector<RegistryChange>& out)
{
    const policy::RegistryView view_a(a);
    const policy::RegistryView view_b(b);
    const auto deletions_a = view_a.deletions();
    const auto deletions_b = view_b.deletions();
    const auto before = entries(view_a, deletions_a);
    const auto after = entries(view_b, deletions_b);
    std::map<const policy::Policy*, std::pair<policy::State, policy::State>> states; // read once per policy
    auto add = [&](const Entry& e, Change change, const Entry* old_entry, const Entry* new_entry) {
        RegistryChange c{side, util::u16_to_utf8_lossy(*e.key), util::u16_to_utf8_lossy(*e.value), change, {}, {}, {}};
        if (old_entry)
            c.before = old_entry->typed();
        if (new_entry)
            c.after = new_entry->typed();
        if (const auto* p = owners.owner(side, *e.key, *e.value)) {
            auto it = states.find(p);
            if (it == states.end())
                it = states.emplace(p, std::pair{policy::read(*p, view_a).state, policy::read(*p, view_b).state}).first;
            c.policy = PolicyRef{p->full_name(), p->display_name, it->second.first, it->second.second, p};
        }
        out.push_back(std::move(c));
    };
    // Both sides are sorted by id: one merge walk.
    auto x = before.begin();
    auto y = after.begin();
    while (x != before.end() || y != after.end()) {
        if (y == after.end() || (x != before.end() && x->id < y->id)) {
            add(*x, Change::removed, &*x, nullptr);
            ++x;
        } else if (x == before.end() || y->id < x->id) {
            add(*y, Change::added, nullptr, &*y);
            ++y;
        } else {
            if (x->type != y->type || x->deletion != y->deletion || !std::equal(x->data.begin(), x->data.end(),
                                                                                 y->data.begin(), y->data.end()))
                add(*y, Change::modified, &*x, &*y);
            ++x;
            ++y;
        }
    }
}

RecordChange record_change(const pol::Record& r, pol::Side side, Change change, std::size_t index)
{
    return RecordChange{side, change, index + 1, r.key_utf8(), r.value_utf8(),
                        TypedData{r.type, util::Bytes(r.data.begin(), r.data.end()), false}};
}

std::string text_of_record(const pol::Record& r)
{
    return fmt::format("{} ! {} {} {}", r.key_utf8(), r.value_utf8(), pol::type_name(r.type), util::to_hex(r.data));
}

// A line diff of two lists of lines (a registry.pol's records, each one line; a
// template's lines): common leading and trailing records are trimmed; records that occur exactly once
// on each side anchor the rest (the longest run of them in the same order, found in
// n log n as in patience diff), and the gaps between anchors are diffed the same way; a
// gap without anchors gets the longest common subsequence when small enough, otherwise
// its records are listed as removed then added. Time stays near linear for files that
// differ in a few places, whatever their size.
// `emit` is called with (removed, index in x) and (added, index in y), in the order a
// diff prints them.
class LineDiff {
public:
    using Emit = std::function<void(Change, std::size_t)>;
    LineDiff(std::vector<std::string> x, std::vector<std::string> y, Emit emit)
        : m_x(std::move(x)), m_y(std::move(y)), m_emit(std::move(emit))
    {
    }

    void run() { range(0, m_x.size(), 0, m_y.size(), 0); }

private:
    static constexpr std::size_t k_table_cells = 25'000'000; // the largest LCS table made
    static constexpr int k_max_depth = 32;

    void removed(std::size_t i) { m_emit(Change::removed, i); }
    void added(std::size_t j) { m_emit(Change::added, j); }

    void range(std::size_t xlo, std::size_t xhi, std::size_t ylo, std::size_t yhi, int depth)
    {
        while (xlo < xhi && ylo < yhi && m_x[xlo] == m_y[ylo]) {
            ++xlo;
            ++ylo;
        }
        while (xlo < xhi && ylo < yhi && m_x[xhi - 1] == m_y[yhi - 1]) {
            --xhi;
            --yhi;
        }
        if (xlo == xhi || ylo == yhi) {
            for (std::size_t i = xlo; i < xhi; ++i)
                removed(i);
            for (std::size_t j = ylo; j < yhi; ++j)
                added(j);
            return;
        }
        const auto anchors = depth < k_max_depth ? unique_anchors(xlo, xhi, ylo, yhi) : std::vector<std::pair<std::size_t, std::size_t>>{};
        if (anchors.empty()) {
            table(xlo, xhi, ylo, yhi);
            return;
        }
        for (const auto& [i, j] : anchors) {
            range(xlo, i, ylo, j, depth + 1);
            xlo = i + 1;
            ylo = j + 1;
        }
        range(xlo, xhi, ylo, yhi, depth + 1);
    }

    // Records found exactly once in x[xlo, xhi) and once in y[ylo, yhi), as (i, j) pairs:
    // the longest chain of them increasing in both i and j.
    std::vector<std::pair<std::size_t, std::size_t>> unique_anchors(std::size_t xlo, std::size_t xhi, std::size_t ylo,
                                                                    std::size_t yhi) const
    {
        constexpr std::size_t k_many = static_cast<std::size_t>(-1);
        struct Seen {
            std::size_t i = k_many, j = k_many;
            int in_x = 0, in_y = 0;
        };
        std::unordered_map<std::string_view, Seen> seen;
        seen.reserve((xhi - xlo) + (yhi - ylo));
        for (std::size_t i = xlo; i < xhi; ++i) {
            auto& s = seen[m_x[i]];
            s.i = i;
            ++s.in_x;
        }
        for (std::size_t j = ylo; j < yhi; ++j)
            if (auto it = seen.find(m_y[j]); it != seen.end()) {
                it->second.j = j;
                ++it->second.in_y;
            }
        std::vector<std::pair<std::size_t, std::size_t>> pairs; // in order of i
        for (std::size_t i = xlo; i < xhi; ++i)
            if (const auto& s = seen.at(m_x[i]); s.in_x == 1 && s.in_y == 1)
                pairs.emplace_back(i, s.j);
        // Longest increasing subsequence of the j's (patience sorting).
        std::vector<std::size_t> tops;                          // index into pairs of each pile's top
        std::vector<std::size_t> back(pairs.size(), k_many);    // the predecessor in the chain
        for (std::size_t p = 0; p < pairs.size(); ++p) {
            const auto pile = std::lower_bound(tops.begin(), tops.end(), pairs[p].second,
                                               [&](std::size_t top, std::size_t j) { return pairs[top].second < j; });
            if (pile != tops.begin())
                back[p] = *(pile - 1);
            if (pile == tops.end())
                tops.push_back(p);
            else
                *pile = p;
        }
        std::vector<std::pair<std::size_t, std::size_t>> chain;
        for (std::size_t p = tops.empty() ? k_many : tops.back(); p != k_many; p = back[p])
            chain.push_back(pairs[p]);
        std::reverse(chain.begin(), chain.end());
        return chain;
    }

    // The longest common subsequence by table, when it fits.
    void table(std::size_t xlo, std::size_t xhi, std::size_t ylo, std::size_t yhi)
    {
        const std::size_t n = xhi - xlo;
        const std::size_t m = yhi - ylo;
        if (n * m > k_table_cells) { // too large for the table: removed then added
            for (std::size_t i = xlo; i < xhi; ++i)
                removed(i);
            for (std::size_t j = ylo; j < yhi; ++j)
                added(j);
            return;
        }
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = m_x[xlo + i] == m_y[ylo + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && m_x[xlo + i] == m_y[ylo + j]) {
                ++i;
                ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                removed(xlo + i++); // a removal before the addition that replaces it, as diff prints them
            } else {
                added(ylo + j++);
            }
        }
    }

    std::vector<std::string> m_x, m_y;
    Emit m_emit;
};

void record_changes(const pol::PolFile& a, const pol::PolFile& b, pol::Side side, std::vector<RecordChange>& out)
{
    std::vector<std::string> x, y;
    for (const auto& r : a.records)
        x.push_back(text_of_record(r));
    for (const auto& r : b.records)
        y.push_back(text_of_record(r));
    LineDiff(std::move(x), std::move(y), [&](Change change, std::size_t i) {
        const auto& records = change == Change::removed ? a.records : b.records;
        out.push_back(record_change(records[i], side, change, i));
    }).run();
}

// The lines of two templates that differ (either may be absent: all of the other's lines).
void template_line_changes(const std::optional<settings::InfFile>& a, const std::optional<settings::InfFile>& b,
                           std::vector<LineChange>& out)
{
    static const std::vector<settings::InfLine> none;
    const auto& la = a ? a->lines() : none;
    const auto& lb = b ? b->lines() : none;
    const auto texts = [](const std::vector<settings::InfLine>& lines) {
        std::vector<std::string> t;
        t.reserve(lines.size());
        for (const auto& l : lines)
            t.push_back(l.text);
        return t;
    };
    LineDiff(texts(la), texts(lb), [&](Change change, std::size_t i) {
        const auto& l = (change == Change::removed ? la : lb)[i];
        // Numbered by place: in an edited template, lines after an added one have moved.
        out.push_back(LineChange{std::string(settings::k_template_path), pol::Side::machine, l.section, change,
                                 i + 1, l.text});
    }).run();
}

// A GPO file's path as readers claim it: relative to the GPO folder (a backup's
// DomainSysvol/GPO/ counts as the GPO folder), lower case, '/'-separated; a backup's
// own files beside it (Backup.xml, gpreport.xml) are "backup:NAME".
std::string claim_path(const gpo::Gpo& g, const fs::path& file)
{
    std::string lower = util::to_lower_ascii(file.lexically_relative(g.dir).generic_string());
    if (g.layout != gpo::Layout::backup)
        return lower;
    if (lower.rfind("domainsysvol/gpo/", 0) == 0)
        return lower.substr(17);
    return std::string(k_backup_prefix) + lower;
}

// The GPO's files no reader claims, by claim path.
std::map<std::string, fs::path> other_files(const gpo::Gpo& g, const std::vector<std::unique_ptr<SettingsReader>>& readers)
{
    std::map<std::string, fs::path> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(g.dir, ec), end; !ec && it != end; it.increment(ec)) {
        // Links are never followed: a link inside a GPO is compared as a link's name only.
        const auto status = it->symlink_status(ec);
        if (fs::is_directory(status))
            continue;
        if (!fs::is_regular_file(status) && !fs::is_symlink(status))
            throw util::Error(g.name_of(it->path()) + ": not a regular file (a pipe, socket or device)");
        const std::string claim = claim_path(g, it->path());
        if (std::none_of(readers.begin(), readers.end(), [&](const auto& r) { return r->claims(claim); }))
            out[claim] = it->path();
    }
    if (ec)
        throw util::io_error(ec, g.name_of(g.dir), "list the folder");
    return out;
}

bool same_file(const gpo::Gpo& ga, const fs::path& a, const gpo::Gpo& gb, const fs::path& b)
{
    std::error_code ec;
    const bool la = fs::is_symlink(fs::symlink_status(a, ec));
    const bool lb = fs::is_symlink(fs::symlink_status(b, ec));
    if (la || lb)
        return la && lb && fs::read_symlink(a, ec) == fs::read_symlink(b, ec);
    return util::read_file(a, ga.name_of(a)) == util::read_file(b, gb.name_of(b));
}

bool report_stale(const gpo::Gpo& g)
{
    if (!g.report)
        return false;
    const auto& r = *g.report;
    auto differs = [&](pol::Side side, const std::optional<std::uint16_t>& sysvol) {
        return sysvol && *sysvol != g.side(side).version.sysvol;
    };
    return differs(pol::Side::machine, r.machine_sysvol) || differs(pol::Side::user, r.user_sysvol);
}

class RegistryReader : public SettingsReader {
public:
    bool claims(std::string_view relative) const override
    {
        return relative == "machine/registry.pol" || relative == "user/registry.pol";
    }

    void compare(const gpo::Target& a, const gpo::Target& b, const Context& ctx, Diff& out) const override
    {
        for (const auto side : {pol::Side::machine, pol::Side::user}) {
            if (!(side == pol::Side::machine ? ctx.options.machine : ctx.options.user))
                continue;
            // A bare registry.pol holds one side: compare it with the same side only.
            if (!a.holds(side) || !b.holds(side))
                continue;
            const pol::PolFile fa = a.registry(side);
            const pol::PolFile fb = b.registry(side);
            registry_changes(fa, fb, side, ctx.owners, out.registry);
            if (ctx.options.records)
                record_changes(fa, fb, side, out.records);
        }
    }
};

class MetadataReader : public SettingsReader {
public:
    bool claims(std::string_view relative) const override
    {
        // gpreport.xml is not read as settings: a change to it is a file change.
        return relative == "backup:backup.xml" || relative == "backup:bkupinfo.xml" || relative == "gpt.ini";
    }

    void compare(const gpo::Target& ta, const gpo::Target& tb, const Context& ctx, Diff& d) const override
    {
        if (!ta.is_gpo() || !tb.is_gpo() || ctx.options.ignore_metadata)
            return;
        const gpo::Gpo& a = ta.gpo();
        const gpo::Gpo& b = tb.gpo();
        auto field = [&](std::string name, std::string before, std::string after) {
            if (before != after)
                d.metadata.push_back({std::move(name), std::move(before), std::move(after)});
        };
        field("GPO GUID", a.guid, b.guid);
        field("display name", a.display_name, b.display_name);
        if (a.options && b.options)
            field("options", std::to_string(*a.options), std::to_string(*b.options));
        for (const auto side : {pol::Side::machine, pol::Side::user}) {
            if (!(side == pol::Side::machine ? ctx.options.machine : ctx.options.user))
                continue;
            const char* label = gpo::side_name(side);
            field(fmt::format("{} version", label), std::to_string(a.side(side).version.sysvol),
                  std::to_string(b.side(side).version.sysvol));
            const auto& ea = a.side(side).extensions;
            const auto& eb = b.side(side).extensions;
            if (ea && eb && *ea != *eb) {
                field(fmt::format("{} extensions", label), *ea, *eb);
                // Which client-side extensions (and editing tools) the change adds or removes.
                const auto pairs = gpo::pair_changes(*ea, *eb);
                for (const auto& p : pairs.added)
                    d.metadata.push_back({fmt::format("{} extension {}", label, p), "(none)", "listed"});
                for (const auto& p : pairs.removed)
                    d.metadata.push_back({fmt::format("{} extension {}", label, p), "listed", "(none)"});
            }
        }
        if (a.report || b.report)
            field("gpreport.xml stale", report_stale(a) ? "yes" : "no", report_stale(b) ? "yes" : "no");
        if (a.wmi_filter && b.wmi_filter)
            field("WMI filter", *a.wmi_filter, *b.wmi_filter);
        permissions(a, b, d);
        if (a.layout == gpo::Layout::backup && b.layout == gpo::Layout::backup) {
            groups(a, b, d);
            field("file paths", join(a.file_paths), join(b.file_paths));
            if (a.info && b.info) {
                field("backup: ID", a.info->id, b.info->id);
                field("backup: time", a.info->backup_time, b.info->backup_time);
                field("backup: domain", a.info->domain, b.info->domain);
                field("backup: domain GUID", a.info->domain_guid, b.info->domain_guid);
                field("backup: domain controller", a.info->domain_controller, b.info->domain_controller);
                field("backup: comment", a.info->comment, b.info->comment);
                field("backup: display name", a.info->display_name, b.info->display_name);
            }
        }
    }

private:
    static std::string join(const std::vector<std::string>& items)
    {
        std::string out;
        for (const auto& i : items)
            out += (out.empty() ? "" : "; ") + i;
        return out;
    }

    // The security groups a backup names, by SID.
    static void groups(const gpo::Gpo& a, const gpo::Gpo& b, Diff& d)
    {
        std::map<std::string, std::pair<std::string, std::string>> by_sid;
        const auto name = [](const gpo::SecurityGroup& g) { return g.domain.empty() ? g.name : g.domain + "\\" + g.name; };
        for (const auto& g : a.security_groups)
            by_sid[g.sid].first = name(g);
        for (const auto& g : b.security_groups)
            by_sid[g.sid].second = name(g);
        for (const auto& [sid, names] : by_sid)
            if (names.first != names.second)
                d.metadata.push_back({"security group " + sid, names.first.empty() ? "(none)" : names.first,
                                      names.second.empty() ? "(none)" : names.second});
    }

    // Who may read, apply and edit the GPO: the access entries that differ, by trustee,
    // kind and inheritance; the rights on each side.
    static void permissions(const gpo::Gpo& a, const gpo::Gpo& b, Diff& d)
    {
        if (!a.security_descriptor || !b.security_descriptor || *a.security_descriptor == *b.security_descriptor)
            return;
        std::map<std::string, std::string> names;
        for (const auto* g : {&a, &b})
            for (const auto& group : g->security_groups)
                names[group.sid] = group.domain.empty() ? group.name : group.domain + "\\" + group.name;
        gpo::SecurityDescriptor sa, sb;
        try {
            sa = gpo::parse_security_descriptor(*a.security_descriptor, a.name_of(a.dir) + " security descriptor");
            sb = gpo::parse_security_descriptor(*b.security_descriptor, b.name_of(b.dir) + " security descriptor");
        } catch (const util::Error& e) {
            // What cannot be read as access entries is compared as bytes, and says why.
            d.metadata.push_back({"security descriptor (" + std::string(e.what()) + ")",
                                  util::to_hex(*a.security_descriptor), util::to_hex(*b.security_descriptor)});
            return;
        }
        const auto trustee = [&](const std::string& sid) {
            const std::string name = gpo::trustee_name(sid, names);
            return name.empty() ? sid : fmt::format("{} ({})", name, sid);
        };
        if (sa.owner != sb.owner)
            d.metadata.push_back({"owner", trustee(sa.owner), trustee(sb.owner)});
        if (sa.group != sb.group)
            d.metadata.push_back({"primary group", trustee(sa.group), trustee(sb.group)});
        // An entry's identity (kind, trustee, inheritance, object) -> its rights; two entries
        // of one identity count as one with both masks.
        const auto entries = [&](const gpo::SecurityDescriptor& sd) {
            std::map<std::string, gpo::Ace> out;
            for (const auto& ace : sd.dacl) {
                const std::string object =
                    ace.object_type.empty() ? "" : " [" + gpo::object_type_name(ace.object_type) + "]";
                const std::string applies = ace.inherited_object_type.empty() ? "" : " for " + ace.inherited_object_type;
                const std::string id = fmt::format("permission {} {}, {}{}{}", gpo::ace_type_name(ace.type),
                                                   trustee(ace.sid), gpo::inheritance_text(ace.flags), object, applies);
                auto [it, inserted] = out.try_emplace(id, ace);
                if (!inserted)
                    it->second.mask |= ace.mask;
            }
            return out;
        };
        const auto ea = entries(sa);
        const auto eb = entries(sb);
        for (const auto& [id, ace] : ea) {
            const auto it = eb.find(id);
            if (it == eb.end())
                d.metadata.push_back({id, gpo::rights_text(ace), "(none)"});
            else if (it->second.mask != ace.mask)
                d.metadata.push_back({id, gpo::rights_text(ace), gpo::rights_text(it->second)});
        }
        for (const auto& [id, ace] : eb)
            if (ea.find(id) == ea.end())
                d.metadata.push_back({id, "(none)", gpo::rights_text(ace)});
    }
};

void file_changes(const gpo::Gpo& a, const gpo::Gpo& b, const std::vector<std::unique_ptr<SettingsReader>>& readers,
                  const Options& o, std::vector<FileChange>& out)
{
    // A backup's own files are compared with another backup's only; a side left out
    // (--side) leaves out its folder's files too.
    const bool backups = a.layout == gpo::Layout::backup && b.layout == gpo::Layout::backup;
    const auto wanted = [&](std::map<std::string, fs::path> files) {
        std::erase_if(files, [&](const auto& f) {
            return (!backups && f.first.rfind(k_backup_prefix, 0) == 0) ||
                   (!o.machine && f.first.rfind("machine/", 0) == 0) || (!o.user && f.first.rfind("user/", 0) == 0);
        });
        return files;
    };
    const auto fa = wanted(other_files(a, readers));
    const auto fb = wanted(other_files(b, readers));
    for (const auto& [name, path] : fa) {
        const auto it = fb.find(name);
        if (it == fb.end())
            out.push_back({name, Change::removed});
        else if (!same_file(a, path, b, it->second))
            out.push_back({name, Change::modified});
    }
    for (const auto& [name, path] : fb)
        if (fa.find(name) == fa.end())
            out.push_back({name, Change::added});
}

// Sorts `items` stably by key_of(item), made once per item (the keys compare with <).
template <class T, class KeyOf>
void sort_by_key(std::vector<T>& items, KeyOf key_of)
{
    using Key = decltype(key_of(items.front()));
    std::vector<std::pair<Key, std::size_t>> keyed;
    keyed.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        keyed.emplace_back(key_of(items[i]), i);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<T> sorted;
    sorted.reserve(items.size());
    for (auto& k : keyed)
        sorted.push_back(std::move(items[k.second]));
    items = std::move(sorted);
}

// Key path (component-wise, case-insensitive), then value name (case-insensitive).
std::pair<std::u16string, std::u16string> path_order(const std::string& key, const std::string& value)
{
    return {util::key_path_sort_key(util::utf8_to_u16(key)), util::fold(util::utf8_to_u16(value))};
}

void sort_registry(std::vector<RegistryChange>& changes)
{
    // Machine first, then by policy display name (values of no policy last), then path.
    sort_by_key(changes, [](const RegistryChange& c) {
        return std::tuple{c.side != pol::Side::machine, c.policy ? c.policy->display_name : std::string("\x7f"),
                          path_order(c.key, c.value)};
    });
}

Scope scope_of(gpo::SettingsFile file)
{
    return file == gpo::SettingsFile::preferences ? Scope::preferences : Scope::security;
}

// What changes from one list of settings to the other, by identity: removed and
// modified in A's order of identities, then added. `by_name`: sorted by area in the
// editor's order, then by name; otherwise by area only, keeping that order within one.
void compare_settings(const std::vector<gpo::GpoSetting>& a, const std::vector<gpo::GpoSetting>& b, bool by_name,
                      std::vector<SettingChange>& out)
{
    std::map<std::string, const gpo::GpoSetting*> before, after;
    for (const auto& s : a)
        before.insert_or_assign(s.id, &s);
    for (const auto& s : b)
        after.insert_or_assign(s.id, &s);
    std::vector<SettingChange> found;
    const auto add = [&](const gpo::GpoSetting& s, const gpo::GpoSetting* was, const gpo::GpoSetting* now) {
        SettingChange c;
        c.scope = scope_of(s.file);
        c.file = s.file;
        c.side = s.side;
        c.area = s.area;
        c.name = s.name;
        c.change = !was ? Change::added : !now ? Change::removed : Change::modified;
        if (was)
            c.before = was->value;
        if (now)
            c.after = now->value;
        found.push_back(std::move(c));
    };
    for (const auto& [id, sa] : before) {
        const auto it = after.find(id);
        if (it == after.end())
            add(*sa, sa, nullptr);
        else if (sa->match != it->second->match)
            add(*it->second, sa, it->second);
    }
    for (const auto& [id, sb] : after)
        if (!before.count(id))
            add(*sb, nullptr, sb);
    if (by_name)
        sort_by_key(found, [](const SettingChange& c) { return std::tuple{gpo::area_rank(c.area), c.area, c.name}; });
    else
        sort_by_key(found, [](const SettingChange& c) { return std::tuple{gpo::area_rank(c.area), c.area}; });
    out.insert(out.end(), found.begin(), found.end());
}

// The security template (GptTmpl.inf): setting by setting, by the editor's names; with
// --records also line by line.
class SecurityTemplateReader : public SettingsReader {
public:
    bool claims(std::string_view relative) const override
    {
        return relative == "machine/microsoft/windows nt/secedit/gpttmpl.inf";
    }

    void compare(const gpo::Target& a, const gpo::Target& b, const Context& ctx, Diff& out) const override
    {
        if (!ctx.options.machine || !a.is_gpo() || !b.is_gpo())
            return;
        const auto ta = a.security_template();
        const auto tb = b.security_template();
        changes(ta, tb, out.settings);
        if (ctx.options.records)
            template_line_changes(ta, tb, out.lines);
    }

    // What changes from one template to the other (either may be absent), in the
    // editor's order of areas.
    static void changes(const std::optional<settings::InfFile>& ta, const std::optional<settings::InfFile>& tb,
                        std::vector<SettingChange>& out)
    {
        if (!ta && !tb)
            return;
        compare_settings(ta ? gpo::template_settings(*ta) : std::vector<gpo::GpoSetting>{},
                         tb ? gpo::template_settings(*tb) : std::vector<gpo::GpoSetting>{}, true, out);
    }
};

// Advanced audit policy (audit.csv): subcategory by subcategory.
class AuditReader : public SettingsReader {
public:
    bool claims(std::string_view relative) const override
    {
        return relative == "machine/microsoft/windows nt/audit/audit.csv";
    }

    void compare(const gpo::Target& a, const gpo::Target& b, const Context& ctx, Diff& out) const override
    {
        if (!ctx.options.machine || !a.is_gpo() || !b.is_gpo())
            return;
        compare_settings(gpo::audit_settings(a), gpo::audit_settings(b), false, out.settings);
    }
};

// Group Policy Preferences (Preferences/*/*.xml): item by item, by kind (the folder).
class PreferencesReader : public SettingsReader {
public:
    bool claims(std::string_view relative) const override { return settings::is_preferences_path(relative); }

    void compare(const gpo::Target& a, const gpo::Target& b, const Context& ctx, Diff& out) const override
    {
        if (!a.is_gpo() || !b.is_gpo())
            return;
        for (const auto side : {pol::Side::machine, pol::Side::user})
            if (side == pol::Side::machine ? ctx.options.machine : ctx.options.user)
                compare_settings(gpo::preference_settings(a, side), gpo::preference_settings(b, side), false,
                                 out.settings);
    }
};

} // namespace

std::vector<std::unique_ptr<SettingsReader>> standard_readers()
{
    std::vector<std::unique_ptr<SettingsReader>> out;
    out.push_back(std::make_unique<RegistryReader>());
    out.push_back(std::make_unique<SecurityTemplateReader>());
    out.push_back(std::make_unique<AuditReader>());
    out.push_back(std::make_unique<PreferencesReader>());
    out.push_back(std::make_unique<MetadataReader>());
    return out;
}

Diff compute(const gpo::Target& a, const gpo::Target& b, const policy::Catalogue& catalogue, const Options& o)
{
    const policy::OwnerIndex owners(catalogue);
    return compute(a, b, Context{catalogue, owners, o});
}

Diff compute(const gpo::Target& a, const gpo::Target& b, const Context& ctx)
{
    const Options& o = ctx.options;
    Diff d;
    d.a = a.label();
    d.b = b.label();
    bool common = false;
    for (const auto side : {pol::Side::machine, pol::Side::user})
        common |= (side == pol::Side::machine ? o.machine : o.user) && a.holds(side) && b.holds(side);
    if (!common)
        throw util::Error(fmt::format("{} and {} hold no side in common to compare (a registry.pol's side comes from "
                                      "its Machine/ or User/ folder; see --side)",
                                      a.label(), b.label()));
    const auto readers = standard_readers();
    for (const auto& r : readers)
        r->compare(a, b, ctx, d);
    if (a.is_gpo() && b.is_gpo() && !o.ignore_metadata)
        file_changes(a.gpo(), b.gpo(), readers, o, d.files);
    sort_registry(d.registry);
    return d;
}

Diff of_edit(const gpo::Target& target, const gpo::EditPlan& plan, const policy::Catalogue& catalogue)
{
    Diff d;
    d.a = target.label();
    d.b = target.label() + " (after the edit)";
    if (plan.template_after) {
        SecurityTemplateReader::changes(plan.template_before, plan.template_after, d.settings);
        return d;
    }
    const policy::OwnerIndex owners(catalogue);
    registry_changes(plan.before, plan.after, plan.side, owners, d.registry);
    sort_registry(d.registry);
    // An edit keeps the records it leaves alone (with the offsets they were read at) and
    // makes new ones (without): removed is what no longer appears, added what is new.
    std::unordered_set<std::uint64_t> kept;
    for (const auto& r : plan.after.records)
        if (r.offset != pol::k_no_offset)
            kept.insert(r.offset);
    for (std::size_t i = 0; i < plan.before.records.size(); ++i)
        if (kept.count(plan.before.records[i].offset) == 0)
            d.records.push_back(record_change(plan.before.records[i], plan.side, Change::removed, i));
    for (std::size_t i = 0; i < plan.after.records.size(); ++i)
        if (plan.after.records[i].offset == pol::k_no_offset)
            d.records.push_back(record_change(plan.after.records[i], plan.side, Change::added, i));
    return d;
}

namespace {

// compare's rows for the settings other than registry values: one per (side, identity).
void settings_rows(const std::vector<gpo::Target>& targets, std::vector<CompareRow>& out)
{
    struct Row {
        CompareRow row;
        std::vector<std::optional<std::string>> matches; // what each target's value is compared by
    };
    std::map<std::pair<pol::Side, std::string>, Row> rows;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        for (auto& s : gpo::gpo_settings(targets[i])) {
            auto [it, inserted] = rows.try_emplace({s.side, s.id});
            Row& r = it->second;
            if (inserted) {
                r.row.scope = scope_of(s.file);
                r.row.side = s.side;
                r.row.area = s.area;
                r.row.name = s.name;
                r.row.texts.resize(targets.size());
                r.matches.resize(targets.size());
            }
            // A setting written twice in one file: the last one counts, as for clients.
            r.row.texts[i] = std::move(s.value);
            r.matches[i] = std::move(s.match);
        }
    }
    std::vector<CompareRow> sorted;
    for (auto& [id, r] : rows) {
        const std::string* first = nullptr;
        for (const auto& m : r.matches) {
            if (!m)
                r.row.absent = true;
            else if (!first)
                first = &*m;
            else if (*first != *m)
                r.row.conflict = true;
        }
        sorted.push_back(std::move(r.row));
    }
    sort_by_key(sorted, [](const CompareRow& r) {
        return std::tuple{r.side != pol::Side::machine, gpo::area_rank(r.area), r.area, r.name};
    });
    for (auto& r : sorted)
        out.push_back(std::move(r));
}

} // namespace

std::size_t Comparison::conflicts() const
{
    return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.conflict; }));
}

Comparison compare(const std::vector<gpo::Target>& targets, const policy::Catalogue& catalogue)
{
    Comparison out;
    const policy::OwnerIndex owners(catalogue);
    for (const auto& t : targets)
        out.labels.push_back(t.label());
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        std::map<std::u16string, CompareRow> rows;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            if (!targets[i].holds(side))
                continue;
            const pol::PolFile file = targets[i].registry(side);
            const policy::RegistryView view(file);
            const auto deletions = view.deletions();
            for (const auto& e : entries(view, deletions)) {
                auto [it, inserted] = rows.try_emplace(e.id);
                CompareRow& row = it->second;
                if (inserted) {
                    row.side = side;
                    row.key = util::u16_to_utf8_lossy(*e.key);
                    row.value = util::u16_to_utf8_lossy(*e.value);
                    row.cells.resize(targets.size());
                    if (const auto* p = owners.owner(side, *e.key, *e.value))
                        row.policy = p->display_name;
                }
                row.cells[i] = e.typed();
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
        sort_by_key(sorted, [](const CompareRow& r) { return path_order(r.key, r.value); });
        for (auto& r : sorted)
            out.rows.push_back(std::move(r));
    }
    settings_rows(targets, out.rows);
    return out;
}

} // namespace gpokit::diff
