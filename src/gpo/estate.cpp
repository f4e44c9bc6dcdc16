#include "gpo/estate.hpp"

#include "gpo/load.hpp"
#include "gpo/snapshot.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/json_schema.hpp"
#include "util/safe_path.hpp"
#include "util/shown_paths.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {

// GUIDs compare without regard to case.
std::string key_of(std::string_view guid)
{
    return util::to_lower_ascii(guid);
}

struct Recorded {
    std::string guid;
    std::string name;
    std::vector<Link> links;
    std::string wmi_filter;
};

// gpokit-estate.json: each GPO's display name, links and WMI filter, by GUID.
std::map<std::string, Recorded> read_estate_file(const fs::path& file)
{
    const std::string origin = util::display_path(file);
    const util::Bytes bytes = util::read_file(file, origin);
    nlohmann::json j;
    try {
        const auto* p = reinterpret_cast<const char*>(bytes.data());
        j = nlohmann::json::parse(p, p + bytes.size());
    } catch (const nlohmann::json::parse_error& e) {
        throw util::ParseError(util::Position::at_offset(origin, e.byte == 0 ? 0 : e.byte - 1),
                               fmt::format("not valid JSON: {}", e.what()));
    } catch (const nlohmann::json::out_of_range& e) {
        throw util::ParseError(util::Position::of_file(origin), fmt::format("not valid JSON: {}", e.what()));
    }
    const auto bad = [&](const std::string& what) { return util::Error(fmt::format("{}: {}", origin, what)); };
    util::check_schema(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), origin,
                       util::schema_member(j), {"gpokit-estate/1"});
    if (!j.is_object() || !j.contains("format") || j["format"] != "gpokit-live-estate")
        throw bad("not a gpokit estate file (\"format\" is not \"gpokit-live-estate\")");
    if (!j.contains("format_version") || j["format_version"] != 1)
        throw bad("unsupported \"format_version\" (this gpokit reads version 1)");
    if (!j.contains("gpos") || !j["gpos"].is_array())
        throw bad("\"gpos\" is missing or not a list");
    std::map<std::string, Recorded> out;
    std::size_t index = 0;
    for (const auto& g : j["gpos"]) {
        const std::string where = fmt::format("gpos[{}]", index++);
        const auto text = [&](const nlohmann::json& obj, const char* name, const std::string& at) {
            if (!obj.is_object() || !obj.contains(name) || !obj[name].is_string())
                throw bad(fmt::format("{}: \"{}\" is missing or not a string", at, name));
            return obj[name].get<std::string>();
        };
        Recorded r;
        r.guid = text(g, "guid", where);
        r.name = text(g, "display_name", where);
        if (!g.contains("links") || !g["links"].is_array())
            throw bad(where + ": \"links\" is missing or not a list");
        for (const auto& l : g["links"]) {
            Link link;
            link.container = text(l, "container", where + ".links");
            if (!l.contains("enabled") || !l["enabled"].is_boolean() || !l.contains("enforced") ||
                !l["enforced"].is_boolean())
                throw bad(where + ".links: \"enabled\" or \"enforced\" is missing or not true/false");
            link.enabled = l["enabled"].get<bool>();
            link.enforced = l["enforced"].get<bool>();
            r.links.push_back(std::move(link));
        }
        std::sort(r.links.begin(), r.links.end(),
                  [](const Link& a, const Link& b) { return a.container < b.container; });
        if (g.contains("wmi_filter") && g["wmi_filter"].is_object()) {
            const auto& f = g["wmi_filter"];
            const auto member = [&](const char* name) {
                return f.contains(name) && f[name].is_string() ? f[name].get<std::string>() : std::string();
            };
            r.wmi_filter = f.contains("missing") ? member("reference") + " (the filter is gone)"
                                                 : member("name") + ": " + member("query");
        }
        out[key_of(r.guid)] = std::move(r);
    }
    return out;
}

std::string backup_time(const Gpo& g)
{
    return g.info ? g.info->backup_time : std::string();
}

} // namespace

bool is_estate(const fs::path& path)
{
    std::error_code ec;
    return fs::is_directory(path, ec) && !util::find_child(path, "Backup.xml") && !util::find_child(path, "GPT.INI") &&
           !util::find_child(path, k_snapshot_file);
}

Estate load_estate(const fs::path& path, const std::string& label, const EstateNaming& naming)
{
    Estate estate;
    estate.label = label;
    std::map<std::string, Recorded> recorded;
    if (const auto file = util::find_child(path, k_estate_file)) {
        recorded = read_estate_file(*file);
        estate.has_links = true;
    }
    std::map<std::string, EstateGpo> by_guid;

    // A folder of snapshots: each child holding gpokit-snapshot.json.
    for (const auto& dir : snapshot_folders(path)) {
        try {
            util::ShownPaths shown;
            std::string name = util::display_path(dir);
            if (!naming.prefix.empty()) {
                name = naming.prefix + "/" + dir.filename().string();
                shown.add(dir, name);
            }
            Gpo g = load_snapshot(dir, std::move(shown));
            const std::string key = key_of(g.guid);
            by_guid.emplace(key, EstateGpo{Target(naming.kind, name, std::move(g), clean_dir(dir)), {}, {}});
        } catch (const util::Error& e) {
            estate.problems.push_back(e);
        }
    }

    // A backup root: every backup below it; several of one GPO, the newest.
    Catalogue cat = scan(path);
    for (auto& p : cat.problems)
        estate.problems.push_back(std::move(p));
    std::sort(cat.backups.begin(), cat.backups.end(), [](const Gpo& a, const Gpo& b) {
        return std::pair(key_of(a.guid), backup_time(a)) > std::pair(key_of(b.guid), backup_time(b));
    });
    for (auto& g : cat.backups) {
        const std::string key = key_of(g.guid);
        if (const auto it = by_guid.find(key); it != by_guid.end()) {
            estate.notes.push_back(fmt::format("{}: left out, {} ({}) is newer or a snapshot of the same GPO",
                                               util::display_path(g.dir), it->second.target.label(), g.guid));
            continue;
        }
        const std::string name = util::display_path(g.dir);
        by_guid.emplace(key, EstateGpo{Target(SourceKind::backup, name, std::move(g)), {}, {}});
    }

    for (auto& [key, entry] : by_guid) {
        if (const auto it = recorded.find(key); it != recorded.end()) {
            entry.links = it->second.links;
            entry.wmi_filter = it->second.wmi_filter;
        } else if (estate.has_links) {
            entry.links.emplace(); // not linked anywhere when the domain was read
        }
        estate.gpos.push_back(std::move(entry));
    }
    // A GPO the domain listed whose snapshot is not here (its fetch failed): not "removed".
    for (const auto& [key, r] : recorded) {
        if (by_guid.count(key))
            continue;
        estate.unread.push_back(r.guid);
        estate.problems.emplace_back(fmt::format("{}: {} ({}) is listed in {} but has no snapshot here",
                                                 util::display_path(path), r.guid, r.name, k_estate_file));
    }
    if (estate.gpos.empty() && estate.problems.empty() && cat.manifest.empty())
        throw util::Error(util::display_path(path) +
                          ": no GPO here (no backups below it, no snapshots in it)" + manifest_above_hint(path));
    return estate;
}

const EstateGpo* find_in(const Estate& estate, const Gpo& gpo)
{
    for (const auto& e : estate.gpos)
        if (util::iequal_ascii(e.target.gpo().guid, gpo.guid))
            return &e;
    const EstateGpo* named = nullptr;
    for (const auto& e : estate.gpos) {
        if (!util::iequal_ascii(e.target.gpo().display_name, gpo.display_name))
            continue;
        if (named)
            return nullptr; // two of that name: neither is "the" one
        named = &e;
    }
    return named;
}

} // namespace gpokit::gpo
