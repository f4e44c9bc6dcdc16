#include "gpo/gpo_settings.hpp"

#include "settings/audit.hpp"
#include "settings/preferences.hpp"
#include "settings/security_template.hpp"
#include "util/ascii.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {

// A user right's or group's principals in any order and case; any other value as written.
std::string match_of(const settings::SecuritySetting& s)
{
    if (s.members.empty())
        return "=" + s.raw;
    std::vector<std::string> members;
    for (const auto& m : s.members)
        members.push_back(util::to_lower_ascii(m));
    std::sort(members.begin(), members.end());
    std::string out = "*";
    for (const auto& m : members)
        out += m + '\x1f';
    return out;
}

// The preference item's name and value as shown: a registry item by its key and value
// name; the value its action, properties, details, targeting and whether it is disabled.
std::pair<std::string, std::string> shown(const settings::PreferenceItem& item)
{
    std::string name = item.name;
    if (item.registry)
        name = item.registry->hive + "\\" + item.registry->key +
               (item.registry->value_name.empty() ? std::string() : " ! " + item.registry->value_name);
    std::string value = item.action.empty() ? item.kind : item.action;
    for (const auto& [k, v] : item.properties)
        if (!util::iequal_ascii(k, "action"))
            value += fmt::format(" {}=\"{}\"", k, v);
    if (!item.details.empty())
        value += " " + item.details;
    if (!item.targeting.empty())
        value += " [targeting: " + item.targeting + "]";
    if (item.disabled)
        value += " (disabled)";
    return {std::move(name), std::move(value)};
}

} // namespace

std::vector<GpoSetting> template_settings(const settings::InfFile& file)
{
    std::vector<GpoSetting> out;
    for (const auto& s : settings::security_settings(file)) {
        GpoSetting g;
        g.file = SettingsFile::security_template;
        g.side = pol::Side::machine;
        g.area = s.area;
        g.name = s.name;
        g.value = s.value;
        // A setting is its section and key (a list section's line: its first item, the name).
        g.id = util::to_lower_ascii(s.section) + '\x1f' + util::to_lower_ascii(s.key.empty() ? s.name : s.key);
        g.match = match_of(s);
        g.origin = file.origin();
        g.line = s.line;
        out.push_back(std::move(g));
    }
    return out;
}

std::vector<GpoSetting> audit_settings(const Target& target)
{
    std::vector<GpoSetting> out;
    if (!target.is_gpo())
        return out;
    const fs::path root = target.gpo().machine.folder.parent_path();
    const fs::path path = util::resolve_inside(root, settings::k_audit_path);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return out;
    const std::string origin = target.name_of(path);
    for (const auto& s : settings::audit_settings(settings::AuditFile::load(path, origin))) {
        GpoSetting g;
        g.file = SettingsFile::audit;
        g.side = pol::Side::machine;
        g.area = "Advanced Audit Policy";
        g.name = s.subcategory;
        if (!s.policy_target.empty() && !util::iequal_ascii(s.policy_target, "System"))
            g.name += " (" + s.policy_target + ")";
        g.value = s.inclusion.empty() ? s.value_text : s.inclusion;
        g.id = util::to_lower_ascii(s.policy_target + "|" + s.subcategory);
        g.match = g.value;
        g.origin = origin;
        g.line = s.line;
        out.push_back(std::move(g));
    }
    return out;
}

std::vector<GpoSetting> preference_settings(const Target& target, pol::Side side)
{
    std::vector<GpoSetting> out;
    if (!target.is_gpo())
        return out;
    const fs::path root = target.gpo().machine.folder.parent_path();
    const auto prefs = util::find_child(target.gpo().side(side).folder, "Preferences");
    if (!prefs)
        return out;
    // The files in a fixed order, whatever order the folder lists them in.
    std::vector<std::pair<std::string, fs::path>> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(*prefs, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string relative = it->path().lexically_relative(root).generic_string();
        if (!it->is_regular_file(ec) || it->is_symlink(ec) || !settings::is_preferences_path(relative))
            continue;
        files.emplace_back(relative, it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& [relative, path] : files) {
        const std::string kind = path.parent_path().filename().string();
        const std::string origin = target.name_of(path);
        const auto file = settings::PreferencesFile::load(path, origin);
        for (const auto& item : settings::preference_items(file)) {
            auto [name, value] = shown(item);
            GpoSetting g;
            g.file = SettingsFile::preferences;
            g.side = side;
            g.area = "Preferences: " + kind;
            g.id = kind + '/' + util::to_lower_ascii(path.filename().string()) + "|" +
                   (item.uid.empty() ? name : item.uid);
            g.name = std::move(name);
            g.value = std::move(value);
            g.match = g.value;
            g.origin = origin;
            g.line = item.line;
            out.push_back(std::move(g));
        }
    }
    return out;
}

std::vector<GpoSetting> gpo_settings(const Target& target, bool machine, bool user)
{
    std::vector<GpoSetting> out;
    if (!target.is_gpo())
        return out;
    if (machine) {
        if (const auto tmpl = target.security_template()) {
            out = template_settings(*tmpl);
            std::stable_sort(out.begin(), out.end(), [](const GpoSetting& a, const GpoSetting& b) {
                return std::pair(area_rank(a.area), a.area) < std::pair(area_rank(b.area), b.area);
            });
        }
        for (auto& s : audit_settings(target))
            out.push_back(std::move(s));
        for (auto& s : preference_settings(target, pol::Side::machine))
            out.push_back(std::move(s));
    }
    if (user)
        for (auto& s : preference_settings(target, pol::Side::user))
            out.push_back(std::move(s));
    return out;
}

int area_rank(std::string_view area)
{
    static constexpr std::array<std::string_view, 11> k_order{
        "Password Policy",  "Account Lockout Policy", "Kerberos Policy", "Audit Policy",
        "User Rights Assignment", "Security Options", "Event Log", "Restricted Groups",
        "System Services", "Registry", "File System"};
    const auto it = std::find(k_order.begin(), k_order.end(), area);
    if (it != k_order.end())
        return static_cast<int>(it - k_order.begin());
    const int other = static_cast<int>(k_order.size());
    if (area == "Advanced Audit Policy")
        return other + 1;
    if (area.rfind("Preferences", 0) == 0)
        return other + 2;
    return other;
}

const char* settings_title(SettingsFile file)
{
    return file == SettingsFile::preferences ? "Preferences" : "Security Settings";
}

} // namespace gpokit::gpo
