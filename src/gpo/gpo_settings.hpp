// A GPO's settings other than its registry values — the security template
// (GptTmpl.inf), the advanced audit policy (audit.csv) and Group Policy Preferences —
// as one list of named settings: an area ("Kerberos Policy", "Advanced Audit Policy",
// "Preferences: Registry"), a name and a value as the Group Policy editor shows them,
// and an identity that finds the same setting in another GPO. diff compares two such
// lists, compare lines up N of them, gpo show and policy show list one: all four see
// the same names, values and areas.
#pragma once

#include "gpo/target.hpp"
#include "pol/pol_file.hpp"
#include "settings/inf_file.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

enum class SettingsFile { security_template, audit, preferences };

struct GpoSetting {
    SettingsFile file = SettingsFile::security_template;
    pol::Side side = pol::Side::machine;
    std::string area;  // "Kerberos Policy", "Advanced Audit Policy", "Preferences: Registry"
    std::string name;  // "Maximum lifetime for user ticket"
    std::string value; // "10 hours"
    // The setting's identity across GPOs (its section and key, its audit subcategory and
    // target, its preference file and item).
    std::string id;
    // What two settings of one identity are compared by: the value as written, a user
    // right's or group's principals in any order and any case as one assignment.
    std::string match;
    std::string origin;   // the file, named for messages
    std::size_t line = 0; // 1-based line in it (0 where unknown)
};

// The template's settings, in file order.
std::vector<GpoSetting> template_settings(const settings::InfFile& file);

// The GPO's advanced audit policy (machine side), in file order; none for a bare
// registry.pol or a GPO without audit.csv. Throws util::Error, util::ParseError.
std::vector<GpoSetting> audit_settings(const Target& target);

// The GPO's preference items of one side, by file (folder names sorted), each file's
// items in document order. Throws util::Error, util::ParseError.
std::vector<GpoSetting> preference_settings(const Target& target, pol::Side side);

// All of them for the sides asked: the template's by area in the editor's order (file
// order within an area), the audit policy's, the machine's preferences, the user's.
// Throws util::Error, util::ParseError.
std::vector<GpoSetting> gpo_settings(const Target& target, bool machine = true, bool user = true);

// The editor's order of areas: the template's known areas (Password Policy, ...,
// File System), then the template's sections gpokit does not know, Advanced Audit
// Policy, Preferences. For sorting.
int area_rank(std::string_view area);

// "Security Settings" for the template and audit policy, "Preferences" for preferences.
const char* settings_title(SettingsFile file);

} // namespace gpokit::gpo
