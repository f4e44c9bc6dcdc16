// A realm trust plan: the one description of a Kerberos realm trust between an AD
// domain and a non-Windows realm that the runbook, the realm side's keys, creation,
// verification and a staging bundle all read. What it fixes ([MS-ADTS] 6.1.6.7, the
// New Trust Wizard, `netdom trust /realm`):
//   - the trusted-domain object: trustPartner = flatName = the realm, trustType 3
//     (MIT), trustDirection 1 (incoming), 2 (outgoing) or 3, trustAttributes 0x1
//     NON_TRANSITIVE unless transitive, | 0x80 USES_RC4_ENCRYPTION with RC4,
//     msDS-SupportedEncryptionTypes 24 (AES128 + AES256) or 28 (+ RC4);
//   - the cross-realm principal(s) whose key both sides must share, with their salts;
//   - the GPO side: the realm's KDCs and host-name mappings for the two Kerberos
//     policies (the same rules as `kerberos add-realm`).
// A plan never holds the trust password.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gpokit::trust {

// Named for the trust, as the wizard and netdom name it; authentication flows the other
// way: an incoming trust lets the domain's users get tickets for the realm's services.
enum class Direction : std::uint32_t { incoming = 1, outgoing = 2, both = 3 };

const char* direction_name(Direction d); // "incoming", "outgoing", "both"

// trustAttributes bits a realm trust uses.
inline constexpr std::uint32_t k_attr_non_transitive = 0x1;
inline constexpr std::uint32_t k_attr_uses_rc4 = 0x80;
// msDS-SupportedEncryptionTypes bits.
inline constexpr std::uint32_t k_enc_rc4 = 0x4;
inline constexpr std::uint32_t k_enc_aes128 = 0x8;
inline constexpr std::uint32_t k_enc_aes256 = 0x10;
inline constexpr std::uint32_t k_trust_type_mit = 3;

// A krbtgt principal whose key the two sides share.
struct CrossRealm {
    std::string principal; // krbtgt/REALM@DOMAIN
    std::string salt;      // the principal's normal salt: its realm, then its components
    std::string issuer;    // the realm whose KDC issues the referral ticket with this key
    std::string target;    // the realm the ticket is for
    std::string purpose;   // who it lets reach what, in plain words
};

struct Plan {
    std::string domain; // the AD domain's realm, upper case (CORP.EXAMPLE.COM)
    std::string realm;  // the non-Windows realm (ZSCALERBETA.NET)
    Direction direction = Direction::incoming;
    bool transitive = false;
    bool rc4 = false;
    std::vector<std::string> kdcs; // for the GPO's MitRealms value; empty: clients use DNS SRV
    std::vector<std::string> map;  // for the GPO's domain_realm value

    std::uint32_t trust_direction() const { return static_cast<std::uint32_t>(direction); }
    std::uint32_t trust_attributes() const;
    std::uint32_t encryption_types() const;
    // The krbtgt principals the plan needs: incoming krbtgt/REALM@DOMAIN, outgoing
    // krbtgt/DOMAIN@REALM, both both.
    std::vector<CrossRealm> cross_realm() const;
    // The MitRealms data the GPO gets ("<k>kdc; kdc</k>", or empty).
    std::string mit_realms_value() const;
    std::string domain_realm_value() const;
};

// Checks and normalises a plan (realm names upper case as given is required, KDCs and
// map entries as `kerberos add-realm` checks them). Throws util::Error saying which.
void validate(const Plan& plan);

// A realm name as a trust's name (throws util::Error saying what is wrong).
void validate_realm_name(const std::string& realm);

// "aes" or "aes,rc4" (also "rc4,aes"); throws util::Error otherwise.
bool parse_enctypes(std::string_view text);
Direction parse_direction(std::string_view text);

// The plan as JSON (the format other subcommands and the staging bundle read), and
// back. read_plan checks the derived values written with it: a hand-edited plan whose
// trustAttributes no longer match its transitive flag is refused, naming the field.
std::string plan_json(const Plan& plan);
Plan read_plan(const util::Bytes& bytes, const std::string& origin);

} // namespace gpokit::trust
