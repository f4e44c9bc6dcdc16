#include "settings/security_template.hpp"

#include "util/ascii.hpp"
#include "util/sid_names.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace gpokit::settings {

namespace {

constexpr std::array<KnownKey, 30> k_keys{{
    {"System Access", "MinimumPasswordAge", "Password Policy", "Minimum password age", "days"},
    {"System Access", "MaximumPasswordAge", "Password Policy", "Maximum password age", "days"},
    {"System Access", "MinimumPasswordLength", "Password Policy", "Minimum password length", "characters"},
    {"System Access", "PasswordComplexity", "Password Policy", "Password must meet complexity requirements", "bool"},
    {"System Access", "PasswordHistorySize", "Password Policy", "Enforce password history", "passwords remembered"},
    {"System Access", "ClearTextPassword", "Password Policy", "Store passwords using reversible encryption", "bool"},
    {"System Access", "LockoutBadCount", "Account Lockout Policy", "Account lockout threshold", "invalid logon attempts"},
    {"System Access", "ResetLockoutCount", "Account Lockout Policy", "Reset account lockout counter after", "minutes"},
    {"System Access", "LockoutDuration", "Account Lockout Policy", "Account lockout duration", "minutes"},
    {"System Access", "AllowAdministratorLockout", "Account Lockout Policy", "Allow Administrator account lockout", "bool"},
    {"System Access", "ForceLogoffWhenHourExpire", "Security Options", "Network security: Force logoff when logon hours expire", "bool"},
    {"System Access", "NewAdministratorName", "Security Options", "Accounts: Rename administrator account", "text"},
    {"System Access", "NewGuestName", "Security Options", "Accounts: Rename guest account", "text"},
    {"System Access", "EnableAdminAccount", "Security Options", "Accounts: Administrator account status", "bool"},
    {"System Access", "EnableGuestAccount", "Security Options", "Accounts: Guest account status", "bool"},
    {"System Access", "LSAAnonymousNameLookup", "Security Options", "Network access: Allow anonymous SID/Name translation", "bool"},
    {"Kerberos Policy", "MaxTicketAge", "Kerberos Policy", "Maximum lifetime for user ticket", "hours"},
    {"Kerberos Policy", "MaxRenewAge", "Kerberos Policy", "Maximum lifetime for user ticket renewal", "days"},
    {"Kerberos Policy", "MaxServiceAge", "Kerberos Policy", "Maximum lifetime for service ticket", "minutes"},
    {"Kerberos Policy", "MaxClockSkew", "Kerberos Policy", "Maximum tolerance for computer clock synchronization", "minutes"},
    {"Kerberos Policy", "TicketValidateClient", "Kerberos Policy", "Enforce user logon restrictions", "bool"},
    {"Event Audit", "AuditSystemEvents", "Audit Policy", "Audit system events", "audit"},
    {"Event Audit", "AuditLogonEvents", "Audit Policy", "Audit logon events", "audit"},
    {"Event Audit", "AuditObjectAccess", "Audit Policy", "Audit object access", "audit"},
    {"Event Audit", "AuditPrivilegeUse", "Audit Policy", "Audit privilege use", "audit"},
    {"Event Audit", "AuditPolicyChange", "Audit Policy", "Audit policy change", "audit"},
    {"Event Audit", "AuditAccountManage", "Audit Policy", "Audit account management", "audit"},
    {"Event Audit", "AuditProcessTracking", "Audit Policy", "Audit process tracking", "audit"},
    {"Event Audit", "AuditDSAccess", "Audit Policy", "Audit directory service access", "audit"},
    {"Event Audit", "AuditAccountLogon", "Audit Policy", "Audit account logon events", "audit"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 45> k_rights{{
    {"SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller"},
    {"SeNetworkLogonRight", "Access this computer from the network"},
    {"SeTcbPrivilege", "Act as part of the operating system"},
    {"SeMachineAccountPrivilege", "Add workstations to domain"},
    {"SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process"},
    {"SeInteractiveLogonRight", "Allow log on locally"},
    {"SeRemoteInteractiveLogonRight", "Allow log on through Remote Desktop Services"},
    {"SeBackupPrivilege", "Back up files and directories"},
    {"SeChangeNotifyPrivilege", "Bypass traverse checking"},
    {"SeSystemtimePrivilege", "Change the system time"},
    {"SeTimeZonePrivilege", "Change the time zone"},
    {"SeCreatePagefilePrivilege", "Create a pagefile"},
    {"SeCreateTokenPrivilege", "Create a token object"},
    {"SeCreateGlobalPrivilege", "Create global objects"},
    {"SeCreatePermanentPrivilege", "Create permanent shared objects"},
    {"SeCreateSymbolicLinkPrivilege", "Create symbolic links"},
    {"SeDebugPrivilege", "Debug programs"},
    {"SeDenyNetworkLogonRight", "Deny access to this computer from the network"},
    {"SeDenyBatchLogonRight", "Deny log on as a batch job"},
    {"SeDenyServiceLogonRight", "Deny log on as a service"},
    {"SeDenyInteractiveLogonRight", "Deny log on locally"},
    {"SeDenyRemoteInteractiveLogonRight", "Deny log on through Remote Desktop Services"},
    {"SeEnableDelegationPrivilege", "Enable computer and user accounts to be trusted for delegation"},
    {"SeRemoteShutdownPrivilege", "Force shutdown from a remote system"},
    {"SeAuditPrivilege", "Generate security audits"},
    {"SeImpersonatePrivilege", "Impersonate a client after authentication"},
    {"SeIncreaseWorkingSetPrivilege", "Increase a process working set"},
    {"SeIncreaseBasePriorityPrivilege", "Increase scheduling priority"},
    {"SeLoadDriverPrivilege", "Load and unload device drivers"},
    {"SeLockMemoryPrivilege", "Lock pages in memory"},
    {"SeBatchLogonRight", "Log on as a batch job"},
    {"SeServiceLogonRight", "Log on as a service"},
    {"SeSecurityPrivilege", "Manage auditing and security log"},
    {"SeRelabelPrivilege", "Modify an object label"},
    {"SeSystemEnvironmentPrivilege", "Modify firmware environment values"},
    {"SeDelegateSessionUserImpersonatePrivilege", "Obtain an impersonation token for another user in the same session"},
    {"SeManageVolumePrivilege", "Perform volume maintenance tasks"},
    {"SeProfileSingleProcessPrivilege", "Profile single process"},
    {"SeSystemProfilePrivilege", "Profile system performance"},
    {"SeUndockPrivilege", "Remove computer from docking station"},
    {"SeAssignPrimaryTokenPrivilege", "Replace a process level token"},
    {"SeRestorePrivilege", "Restore files and directories"},
    {"SeShutdownPrivilege", "Shut down the system"},
    {"SeSyncAgentPrivilege", "Synchronize directory service data"},
    {"SeTakeOwnershipPrivilege", "Take ownership of files or other objects"},
}};

std::optional<std::int64_t> to_number(std::string_view s)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

// "a","b" / a,b: the items of a comma-separated list, unquoted.
std::vector<std::string> split_list(std::string_view s)
{
    std::vector<std::string> out;
    std::string item;
    bool quoted = false;
    for (const char c : s) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    out.push_back(item);
    for (auto& i : out) {
        const auto b = i.find_first_not_of(" \t");
        const auto e = i.find_last_not_of(" \t");
        i = b == std::string::npos ? std::string() : i.substr(b, e - b + 1);
    }
    return out;
}

std::string unquote(std::string_view s)
{
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
        s = s.substr(1, s.size() - 2);
    return std::string(s);
}

std::string audit_text(std::int64_t v)
{
    switch (v) {
    case 0: return "No auditing";
    case 1: return "Success";
    case 2: return "Failure";
    case 3: return "Success, Failure";
    default: return fmt::format("{}", v);
    }
}

std::string members_text(const std::vector<std::string>& members)
{
    if (members.empty())
        return "(no one)";
    std::string out;
    for (const auto& m : members)
        out += (out.empty() ? "" : ", ") + principal_text(m);
    return out;
}

std::vector<std::string> members_of(std::string_view value)
{
    std::vector<std::string> out;
    if (value.empty())
        return out;
    for (auto& m : split_list(value))
        if (!m.empty())
            out.push_back(m.front() == '*' ? m.substr(1) : m);
    return out;
}

// [Registry Values]: "TYPE,DATA" as the editor shows it.
std::string registry_value_text(std::string_view raw)
{
    const auto comma = raw.find(',');
    const auto type = to_number(raw.substr(0, comma));
    const std::string data = comma == std::string_view::npos ? std::string() : std::string(raw.substr(comma + 1));
    if (!type)
        return std::string(raw);
    switch (*type) {
    case 1: return "REG_SZ " + unquote(data);
    case 2: return "REG_EXPAND_SZ " + unquote(data);
    case 3: return "REG_BINARY " + data;
    case 4: return "REG_DWORD " + data;
    case 7: {
        std::string out;
        for (const auto& item : split_list(data))
            out += (out.empty() ? "" : "; ") + item;
        return "REG_MULTI_SZ " + out;
    }
    default: return fmt::format("type {} {}", *type, data);
    }
}

// [Registry Values]: the number of a REG_DWORD ("4,N", N in decimal as secedit writes
// it), or nullopt for another type or data that is not a number.
std::optional<std::int64_t> registry_dword(std::string_view raw)
{
    const auto comma = raw.find(',');
    if (comma == std::string_view::npos || to_number(raw.substr(0, comma)) != 4)
        return std::nullopt;
    return to_number(raw.substr(comma + 1));
}

std::string startup_text(std::string_view mode)
{
    if (mode == "2")
        return "Automatic";
    if (mode == "3")
        return "Manual";
    if (mode == "4")
        return "Disabled";
    return "startup mode " + std::string(mode);
}

const char* list_area(std::string_view section)
{
    if (util::iequal_ascii(section, "Service General Setting"))
        return "System Services";
    if (util::iequal_ascii(section, "Registry Keys"))
        return "Registry";
    if (util::iequal_ascii(section, "File Security"))
        return "File System";
    return nullptr;
}

} // namespace

const KnownKey* known_key(std::string_view section, std::string_view key)
{
    for (const auto& k : k_keys)
        if (util::iequal_ascii(k.section, section) && util::iequal_ascii(k.key, key))
            return &k;
    return nullptr;
}

std::string principal_text(std::string_view member)
{
    std::string_view sid = member;
    if (!sid.empty() && sid.front() == '*')
        sid.remove_prefix(1);
    if (sid.rfind("S-1-", 0) != 0)
        return std::string(member);
    const std::string name = util::well_known_sid_name(sid);
    return name.empty() ? std::string(sid) : fmt::format("{} ({})", name, sid);
}

std::vector<SecuritySetting> security_settings(const InfFile& file)
{
    std::vector<SecuritySetting> out;
    for (const auto& l : file.lines()) {
        if (l.kind != InfLine::Kind::entry || util::iequal_ascii(l.section, "Unicode") ||
            util::iequal_ascii(l.section, "Version"))
            continue;
        SecuritySetting s;
        s.section = l.section;
        s.key = l.key;
        s.raw = l.value;
        s.line = l.number;
        if (const KnownKey* k = known_key(l.section, l.key)) {
            s.area = k->area;
            s.name = k->name;
            const std::string_view unit = k->unit;
            if (unit == "text") {
                s.value = unquote(l.value);
            } else if (const auto n = to_number(l.value)) {
                s.number = n;
                if (unit == "bool") {
                    s.boolean = *n != 0;
                    s.value = *n != 0 ? "Enabled" : "Disabled";
                } else if (unit == "audit") {
                    s.value = audit_text(*n);
                } else if (util::iequal_ascii(l.key, "LockoutDuration") && *n == -1) {
                    s.value = "until an administrator unlocks the account (-1)";
                } else {
                    s.value = fmt::format("{} {}", *n, unit);
                }
            } else {
                s.value = l.value; // not a number where one belongs: shown as written
            }
        } else if (util::iequal_ascii(l.section, "Privilege Rights")) {
            s.area = "User Rights Assignment";
            s.name = l.key;
            for (const auto& [right, name] : k_rights)
                if (util::iequal_ascii(right, l.key))
                    s.name = fmt::format("{} ({})", name, right);
            s.members = members_of(l.value);
            s.value = members_text(s.members);
        } else if (util::iequal_ascii(l.section, "Group Membership")) {
            s.area = "Restricted Groups";
            const auto at = l.key.rfind("__");
            const std::string group = at == std::string::npos ? l.key : l.key.substr(0, at);
            const std::string what = at == std::string::npos ? std::string() : l.key.substr(at + 2);
            s.name = fmt::format("{}: {}", principal_text(group),
                                 util::iequal_ascii(what, "Memberof") ? "member of"
                                 : util::iequal_ascii(what, "Members") ? "members"
                                                                       : what);
            s.members = members_of(l.value);
            s.value = members_text(s.members);
        } else if (util::iequal_ascii(l.section, "Registry Values")) {
            s.area = "Security Options";
            s.name = l.key;
            s.value = registry_value_text(l.value);
            s.number = registry_dword(l.value);
        } else if (const char* area = list_area(l.section)) {
            s.area = area;
            const auto items = split_list(l.value);
            s.name = items.empty() ? l.value : items.front();
            const std::string mode = items.size() > 1 ? items[1] : std::string();
            const std::string sddl = items.size() > 2 ? items[2] : std::string();
            s.value = util::iequal_ascii(l.section, "Service General Setting") ? startup_text(mode)
                                                                                : "mode " + mode;
            if (!sddl.empty())
                s.value += ", permissions " + sddl;
        } else if (util::iequal_ascii(l.section, "System Log") || util::iequal_ascii(l.section, "Security Log") ||
                   util::iequal_ascii(l.section, "Application Log")) {
            s.area = "Event Log";
            s.name = fmt::format("{}: {}", l.section, l.key);
            s.number = to_number(l.value);
            s.value = l.value;
        } else {
            s.area = l.section; // a section gpokit does not know: as written
            s.name = l.key.empty() ? l.value : l.key;
            s.value = l.key.empty() ? std::string() : l.value;
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace gpokit::settings
