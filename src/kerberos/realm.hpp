// The Kerberos realm policies (kerberos-realm.md): "Define interoperable Kerberos V5
// realm settings" (kerberos:MitRealms) and "Define host name-to-Kerberos realm
// mappings" (kerberos:HostToRealm), both lists of one REG_SZ per realm under
//   Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\MitRealms
//   Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\domain_realm
// MitRealms value:    [<f>0xFLAGS</f>][<k>kdc[; kdc]...</k>]   (flags as ksetup's realm flags)
// domain_realm value: entry[; entry]...  (".suffix" matches every host under it, "host" one host)
// This file holds the value grammar, its validation and the realm-level edits; the
// records themselves are written by the policy engine (policy/engine.hpp).
#pragma once

#include "gpo/lint.hpp"
#include "pol/pol_file.hpp"
#include "policy/admx.hpp"
#include "policy/engine.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::kerberos {

inline constexpr std::string_view k_mit_realms_policy = "kerberos:MitRealms";
inline constexpr std::string_view k_host_to_realm_policy = "kerberos:HostToRealm";
// The key both policies write under (their lists are its MitRealms and domain_realm subkeys).
inline constexpr std::string_view k_realm_key = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos";

struct RealmFlag {
    std::string_view name;
    std::uint32_t bit;
};
// ksetup's names: sendaddress 0x1, tcpsupported 0x2, delegate 0x4, ncsupported 0x8, rc4 0x80.
const std::vector<RealmFlag>& realm_flags();

// "tcpsupported,delegate" -> 0x6. Throws util::Error naming an unknown flag.
std::uint32_t parse_flag_names(std::string_view names);
// "TcpSupported, Delegate" for 0x6 (unknown bits as hex).
std::string flag_names(std::uint32_t flags);

struct MitRealmValue {
    std::optional<std::uint32_t> flags;
    std::vector<std::string> kdcs;
    std::vector<std::string> unknown_tags; // tags other than <f> and <k>
    bool malformed = false;                // text outside tags, unclosed tags, a bad number
};
MitRealmValue parse_mit_value(std::string_view text);
std::string format_mit_value(std::optional<std::uint32_t> flags, const std::vector<std::string>& kdcs);

std::vector<std::string> parse_map_value(std::string_view text);
std::string format_map_value(const std::vector<std::string>& entries);

// Validation: throws util::Error with a clear message for input that must be refused.
void validate_realm(std::string_view realm);
void validate_kdc(std::string_view kdc);
void validate_map_entry(std::string_view entry);
// Refuses bits no realm flag has.
void validate_flags(std::uint32_t flags);

// What a client receives from one registry.pol, per realm.
struct Realm {
    std::string name;
    std::optional<std::string> mit_value;    // nullopt: no MitRealms entry
    std::optional<std::string> map_value;    // nullopt: no domain_realm entry
};
struct RealmSettings {
    bool mit_enabled = false;
    bool map_enabled = false;
    policy::State mit_state = policy::State::not_configured;
    policy::State map_state = policy::State::not_configured;
    std::vector<Realm> realms; // sorted by name
};
RealmSettings read_settings(const pol::PolFile& file, const policy::Catalogue& catalogue);

// Warnings a reviewer should see: a suffix or host mapped to two realms, a realm in
// one list only, the realm equal to the AD domain, unknown tags, a realm with neither
// KDCs nor flags, upper-case host names, a map entry that names the realm's own domain
// as one host.
std::vector<std::string> warnings(const RealmSettings& settings, std::string_view ad_domain);

// The rules of add-realm for any writer of the two policies (`policy set`, and the
// same policies from Microsoft's Kerberos.admx): each list entry's realm name, KDCs and
// map entries are validated (throws util::Error), unknown tags returned as warnings.
// Other policies pass untouched.
std::vector<std::string> check_policy_write(const policy::Policy& policy,
                                            const std::map<std::string, policy::ElementValue>& values);

// The warnings above as a lint check of a GPO's machine side ("kerberos"), placed at
// its registry.pol. A GPO without the realm policies has none.
gpo::SideCheck lint_check(const policy::Catalogue& catalogue);

struct AddRealm {
    std::string realm;
    std::vector<std::string> kdcs;
    std::vector<std::string> map;
    std::optional<std::uint32_t> flags;
};
// Sets the realm's values (replacing its earlier ones; other realms untouched) and
// enables the policies. Returns whether the file changed. Throws util::Error.
bool add_realm(pol::PolFile& file, const policy::Catalogue& catalogue, const AddRealm& request);

// Removes the realm from both lists; a list left empty puts its policy back to Not
// configured. Returns whether the file changed.
bool remove_realm(pol::PolFile& file, const policy::Catalogue& catalogue, std::string_view realm);

} // namespace gpokit::kerberos
