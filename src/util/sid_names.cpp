#include "util/sid_names.hpp"

#include <array>
#include <utility>

namespace gpokit::util {

std::string well_known_sid_name(std::string_view sid)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 38> k_well_known{{
        {"S-1-1-0", "Everyone"},
        {"S-1-2-0", "LOCAL"},
        {"S-1-2-1", "CONSOLE LOGON"},
        {"S-1-3-0", "Creator Owner"},
        {"S-1-3-1", "Creator Group"},
        {"S-1-5-1", "DIALUP"},
        {"S-1-5-2", "Network"},
        {"S-1-5-3", "BATCH"},
        {"S-1-5-4", "Interactive"},
        {"S-1-5-6", "SERVICE"},
        {"S-1-5-7", "Anonymous Logon"},
        {"S-1-5-9", "Enterprise Domain Controllers"},
        {"S-1-5-10", "Self"},
        {"S-1-5-11", "Authenticated Users"},
        {"S-1-5-13", "TERMINAL SERVER USER"},
        {"S-1-5-14", "REMOTE INTERACTIVE LOGON"},
        {"S-1-5-17", "IUSR"},
        {"S-1-5-18", "SYSTEM"},
        {"S-1-5-19", "LOCAL SERVICE"},
        {"S-1-5-20", "NETWORK SERVICE"},
        {"S-1-5-32-544", "Administrators"},
        {"S-1-5-32-545", "Users"},
        {"S-1-5-32-546", "Guests"},
        {"S-1-5-32-547", "Power Users"},
        {"S-1-5-32-548", "Account Operators"},
        {"S-1-5-32-549", "Server Operators"},
        {"S-1-5-32-550", "Print Operators"},
        {"S-1-5-32-551", "Backup Operators"},
        {"S-1-5-32-552", "Replicator"},
        {"S-1-5-32-554", "Pre-Windows 2000 Compatible Access"},
        {"S-1-5-32-555", "Remote Desktop Users"},
        {"S-1-5-32-558", "Performance Monitor Users"},
        {"S-1-5-32-559", "Performance Log Users"},
        {"S-1-5-32-568", "IIS_IUSRS"},
        {"S-1-5-32-573", "Event Log Readers"},
        {"S-1-5-32-580", "Remote Management Users"},
        {"S-1-5-113", "Local account"},
        {"S-1-5-114", "Local account and member of Administrators group"},
    }};
    for (const auto& [s, name] : k_well_known)
        if (s == sid)
            return std::string(name);
    // Domain-relative RIDs every domain has.
    if (sid.rfind("S-1-5-21-", 0) == 0) {
        const std::string_view rid = sid.substr(sid.rfind('-') + 1);
        static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> k_domain{{
            {"500", "Administrator"},
            {"501", "Guest"},
            {"512", "Domain Admins"},
            {"513", "Domain Users"},
            {"515", "Domain Computers"},
            {"519", "Enterprise Admins"},
        }};
        for (const auto& [r, name] : k_domain)
            if (r == rid)
                return std::string(name);
    }
    return {};
}

} // namespace gpokit::util
