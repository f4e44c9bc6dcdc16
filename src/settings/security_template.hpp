// The settings of a security template (GptTmpl.inf, settings/inf_file.hpp) by the names
// and areas the Group Policy editor uses: Password Policy, Account Lockout Policy,
// Kerberos Policy, Audit Policy, User Rights Assignment, Restricted Groups, Security
// Options (including [Registry Values]), Event Log, System Services, Registry and File
// System. Values are shown with the editor's units ("10 hours", "Enabled", "Not
// defined") and principals by name where the SID is well known; a section or key gpokit
// does not know is shown as it is written, never dropped.
#pragma once

#include "settings/inf_file.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::settings {

struct SecuritySetting {
    std::string area;    // "Kerberos Policy"
    std::string name;    // "Maximum lifetime for user ticket"
    std::string value;   // "10 hours"
    std::string section; // where it is written: "Kerberos Policy"
    std::string key;     // "MaxTicketAge" ("" for a line of a list section)
    std::string raw;     // the value as written: "10"
    std::size_t line = 0;
    // Typed, where the setting has a type.
    std::optional<std::int64_t> number;     // account, Kerberos, audit, event log numbers; REG_DWORD
                                            // security options ([Registry Values] "4,N")
    std::optional<bool> boolean;            // settings the editor shows as Enabled/Disabled
    std::vector<std::string> members;       // user rights and restricted groups: SIDs (S-1-...) or names
};

// Every setting of the template in file order ([Unicode] and [Version] are not
// settings).
std::vector<SecuritySetting> security_settings(const InfFile& file);

// The Kerberos Policy keys ([Kerberos Policy]) and the unit each is in.
struct KnownKey {
    const char* section;
    const char* key;
    const char* area;
    const char* name;
    const char* unit; // "hours", "days", ... ; "" for a plain number; "bool" Enabled/Disabled; "text"
};
// The key gpokit knows in `section` by name (case-insensitive), or null.
const KnownKey* known_key(std::string_view section, std::string_view key);

// "Administrators (S-1-5-32-544)" for "*S-1-5-32-544"; a name as written otherwise.
std::string principal_text(std::string_view member);

// The path of a GPO's security template, relative to its SYSVOL folder (as Windows
// writes it; readers match it case-insensitively).
inline constexpr std::string_view k_template_path = "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf";

} // namespace gpokit::settings
