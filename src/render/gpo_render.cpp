#include "render/gpo_render.hpp"

#include "gpo/extension_list.hpp"
#include "gpo/gpo_settings.hpp"
#include "pol/effective.hpp"
#include "render/escape.hpp"
#include "render/pol_render.hpp"
#include "render/settings_render.hpp"
#include "settings/security_template.hpp"
#include "util/file_io.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace gpokit::render {

namespace fs = std::filesystem;

namespace {

bool has_registry(const gpo::GpoSide& side)
{
    return side.registry_pol.has_value();
}

// Every regular file under the GPO folder, relative, sorted; links are listed, not followed.
std::vector<std::string> files_of(const gpo::Gpo& g)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(g.dir, fs::directory_options::none, ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (fs::is_regular_file(status) || fs::is_symlink(status))
            out.push_back(it->path().lexically_relative(g.dir).generic_string() +
                          (fs::is_symlink(status) ? " (symbolic link, not followed)" : ""));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void extensions_text(std::string_view label, const std::optional<std::string>& text, std::ostream& out)
{
    if (!text) {
        out << fmt::format("  {} extensions: (not held here; in AD, gPC{}ExtensionNames)\n", label,
                           label == "machine" ? "Machine" : "User");
        return;
    }
    std::string error;
    const auto list = gpo::parse_extension_list(*text, &error);
    if (!list) {
        out << fmt::format("  {} extensions: {} (malformed: {})\n", label, *text, error);
        return;
    }
    if (list->entries.empty()) {
        out << fmt::format("  {} extensions: none\n", label);
        return;
    }
    out << fmt::format("  {} extensions:\n", label);
    for (const auto& e : list->entries) {
        const std::string name = gpo::extension_name(e.cse);
        out << fmt::format("    {} {}\n", e.cse, name.empty() ? "(unknown extension)" : name);
        for (const auto& t : e.tools) {
            const std::string tool = gpo::extension_name(t);
            out << fmt::format("      tool {} {}\n", t, tool);
        }
    }
}

void extensions_json(util::JsonWriter& json, const std::optional<std::string>& text)
{
    if (!text) {
        json.null();
        return;
    }
    json.begin_object();
    json.member("text", *text);
    std::string error;
    const auto list = gpo::parse_extension_list(*text, &error);
    json.member("valid", list.has_value());
    if (list) {
        json.member("sorted", gpo::is_sorted(*list));
        json.key("entries");
        json.begin_array();
        for (const auto& e : list->entries) {
            json.begin_object();
            json.member("extension", e.cse);
            json.member("name", gpo::extension_name(e.cse));
            json.key("tools");
            json.begin_array();
            for (const auto& t : e.tools)
                json.value(t);
            json.end_array();
            json.end_object();
        }
        json.end_array();
    } else {
        json.member("error", error);
    }
    json.end_object();
}

} // namespace

std::string version_text(const gpo::Gpo& g, const gpo::SideVersion& v)
{
    if (g.layout == gpo::Layout::sysvol)
        return std::to_string(v.sysvol);
    return fmt::format("{} (sysvol {}, directory {})", v.backup_number(), v.sysvol, v.directory.value_or(0));
}

namespace {

// The number `gpo show --format json` gives as a side's version: a backup's
// Machine/UserVersionNumber, or the side's GPT.INI half.
std::uint64_t version_number(const gpo::Gpo& g, const gpo::SideVersion& v)
{
    return g.layout == gpo::Layout::backup ? v.backup_number() : v.sysvol;
}

} // namespace

void gpo_list_text(const gpo::Catalogue& cat, std::ostream& out)
{
    for (const auto& g : cat.backups) {
        const std::string sides = std::string(has_registry(g.machine) ? "machine" : "") +
                                  (has_registry(g.machine) && has_registry(g.user) ? "+" : "") +
                                  (has_registry(g.user) ? "user" : "");
        out << fmt::format("{}  {}\n  GPO {}  domain {}  backup time {}\n  machine version {}, user version {}, "
                           "registry settings: {}\n  {}\n",
                           g.backup_id, g.display_name, g.guid, g.domain, g.info ? g.info->backup_time : "?",
                           version_text(g, g.machine.version), version_text(g, g.user.version),
                           sides.empty() ? "none" : sides, util::display_path(g.dir));
    }
    for (const auto& m : cat.manifest)
        if (!m.folder_exists)
            out << fmt::format("stale manifest entry: {} lists backup {} ({}) but there is no such folder\n",
                               util::display_path(m.manifest), m.id, m.display_name);
    out << fmt::format("{} backup{}\n", cat.backups.size(), cat.backups.size() == 1 ? "" : "s");
}

void gpo_list_json(const gpo::Catalogue& cat, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-gpo-list/1");
    json.key("backups");
    json.begin_array();
    for (const auto& g : cat.backups) {
        json.begin_object();
        json.member("path", util::display_path(g.dir));
        json.member("backup_id", g.backup_id);
        json.member("gpo_guid", g.guid);
        json.member("display_name", g.display_name);
        json.member("domain", g.domain);
        json.key("backup_time");
        if (g.info)
            json.value(g.info->backup_time);
        else
            json.null();
        json.member("machine_version", version_number(g, g.machine.version));
        json.member("user_version", version_number(g, g.user.version));
        json.member("machine_registry", has_registry(g.machine));
        json.member("user_registry", has_registry(g.user));
        json.end_object();
    }
    json.end_array();
    json.key("stale_manifest_entries");
    json.begin_array();
    for (const auto& m : cat.manifest) {
        if (m.folder_exists)
            continue;
        json.begin_object();
        json.member("manifest", util::display_path(m.manifest));
        json.member("backup_id", m.id);
        json.member("gpo_guid", m.gpo_guid);
        json.member("display_name", m.display_name);
        json.end_object();
    }
    json.end_array();
    json.key("unreadable");
    json.begin_array();
    for (const auto& p : cat.problems)
        json.value(p.what());
    json.end_array();
    json.end_object();
}

void gpo_show_text(const gpo::Target& t, std::ostream& out)
{
    const gpo::Gpo& g = t.gpo();
    out << fmt::format("{} {}\n", gpo::source_kind_name(t.kind()),
                       t.kind() == gpo::SourceKind::live ? t.label() : util::display_path(g.dir));
    out << fmt::format("  GPO {}  \"{}\"\n", g.guid, terminal_text(g.display_name));
    if (g.directory) {
        out << fmt::format("  directory {}\n", g.directory->dn);
        const auto* v = g.directory->attribute("versionNumber");
        out << fmt::format("  versionNumber {}  (read from {})\n", v ? *v : "(absent)", g.directory->host);
    }
    if (!g.domain.empty())
        out << fmt::format("  domain {}\n", g.domain);
    if (g.layout == gpo::Layout::backup)
        out << fmt::format("  backup {}  taken {}\n", g.backup_id, g.info ? g.info->backup_time : "?");
    out << fmt::format("  machine version {}\n  user version {}\n", version_text(g, g.machine.version),
                       version_text(g, g.user.version));
    extensions_text("machine", g.machine.extensions, out);
    extensions_text("user", g.user.extensions, out);
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const auto& s = g.side(side);
        const char* label = gpo::side_name(side);
        if (!s.registry_pol) {
            out << fmt::format("\n{} registry settings: none (no registry.pol)\n", label);
            continue;
        }
        const auto file = t.registry(side);
        out << fmt::format("\n{} registry records, ", label);
        records_text(file, out);
        out << fmt::format("\n{} effective registry settings, ", label);
        effective_text(file, pol::apply(file), out);
    }
    if (const auto tmpl = t.security_template()) {
        auto listed = gpo::template_settings(*tmpl);
        std::stable_sort(listed.begin(), listed.end(), [](const gpo::GpoSetting& a, const gpo::GpoSetting& b) {
            return std::pair(gpo::area_rank(a.area), a.area) < std::pair(gpo::area_rank(b.area), b.area);
        });
        out << fmt::format("\nmachine security settings ({}), {} setting{}:\n", terminal_text(tmpl->origin()),
                           listed.size(), listed.size() == 1 ? "" : "s");
        settings_text(listed, 2, false, out);
    } else {
        out << "\nmachine security settings: none (no GptTmpl.inf)\n";
    }
    const auto audit = gpo::audit_settings(t);
    if (!audit.empty())
        out << fmt::format("\nmachine advanced audit policy ({}), {} setting{}:\n", terminal_text(audit.front().origin),
                           audit.size(), audit.size() == 1 ? "" : "s");
    else
        out << "\nmachine advanced audit policy: none\n";
    settings_text(audit, 2, false, out);
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const auto items = gpo::preference_settings(t, side);
        if (items.empty())
            out << fmt::format("\n{} preferences: none\n", gpo::side_name(side));
        else
            out << fmt::format("\n{} preferences, {} item{}:\n", gpo::side_name(side), items.size(),
                               items.size() == 1 ? "" : "s");
        settings_text(items, 2, false, out);
    }
    out << "\nfiles:\n";
    for (const auto& f : files_of(g))
        out << "  " << terminal_text(f) << '\n';
}

void gpo_show_json(const gpo::Target& t, std::ostream& out)
{
    const gpo::Gpo& g = t.gpo();
    util::JsonWriter json(out);
    json.begin_document("gpokit-gpo-show/1");
    json.member("kind", gpo::source_kind_name(t.kind()));
    json.member("path", t.kind() == gpo::SourceKind::live ? t.label() : util::display_path(g.dir));
    json.member("gpo_guid", g.guid);
    json.member("display_name", g.display_name);
    json.member("domain", g.domain);
    if (g.layout == gpo::Layout::backup) {
        json.member("backup_id", g.backup_id);
        json.key("backup_time");
        if (g.info)
            json.value(g.info->backup_time);
        else
            json.null();
    }
    if (g.directory) {
        json.key("directory");
        json.begin_object();
        json.member("source", g.directory->source);
        json.member("dn", g.directory->dn);
        json.key("attributes");
        json.begin_object();
        for (const auto& [name, value] : g.directory->attributes)
            json.member(name, value);
        json.end_object();
        json.end_object();
    }
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const auto& s = g.side(side);
        json.key(gpo::side_name(side));
        json.begin_object();
        json.member("version", version_number(g, s.version));
        json.member("sysvol_version", std::uint64_t{s.version.sysvol});
        json.key("directory_version");
        if (s.version.directory)
            json.value(std::uint64_t{*s.version.directory});
        else
            json.null();
        json.key("extensions");
        extensions_json(json, s.extensions);
        json.key("registry_pol");
        if (!s.registry_pol) {
            json.null();
        } else {
            json.value(s.registry_pol->lexically_relative(g.dir).generic_string());
            const auto file = t.registry(side);
            const auto state = pol::apply(file);
            json.key("records");
            records_values_json(json, file);
            json.key("effective");
            effective_values_json(json, state);
        }
        json.end_object();
    }
    json.key("security");
    if (const auto tmpl = t.security_template()) {
        json.begin_object();
        json.member("path", t.security_template_path().lexically_relative(g.dir).generic_string());
        json.key("settings");
        json.begin_array();
        for (const auto& st : settings::security_settings(*tmpl)) {
            json.begin_object();
            json.member("area", st.area);
            json.member("name", st.name);
            json.member("value", st.value);
            json.member("section", st.section);
            json.member("key", st.key);
            json.member("raw", st.raw);
            json.member("line", static_cast<std::uint64_t>(st.line));
            json.end_object();
        }
        json.end_array();
        json.end_object();
    } else {
        json.null();
    }
    json.key("audit");
    settings_json(json, gpo::audit_settings(t));
    json.key("preferences");
    json.begin_object();
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        json.key(gpo::side_name(side));
        settings_json(json, gpo::preference_settings(t, side));
    }
    json.end_object();
    json.key("files");
    json.begin_array();
    for (const auto& f : files_of(g))
        json.value(f);
    json.end_array();
    json.end_object();
}

} // namespace gpokit::render
