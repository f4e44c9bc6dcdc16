// Creating and deleting the trust on a domain controller through LSA over SMB
// (LsarOpenPolicy2, LsarCreateTrustedDomainEx2, LsarSetInformationTrustedDomain for the
// encryption types; LsarOpenTrustedDomainByName + LsarDeleteObject), with Samba's
// public DCE/RPC client libraries (trust/lsa_client.h). The trusted-domain object
// cannot be written over LDAP ([MS-ADTS] 6.1.6.9.7), so this is the only way from Linux.
#pragma once

#include "trust/plan.hpp"
#include "util/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace gpokit::trust {

// The trust passwords as LsarCreateTrustedDomainEx2 carries them before encryption
// ([MS-LSAD] 2.2.7.16 LSAPR_TRUST_DOMAIN_AUTH_INFORMATION_INTERNAL's blob, Samba's
// trustDomainPasswords): a 512-byte confounder, the outgoing then the incoming
// trustAuthInOutBlob, and their sizes. Each blob holds the password once, as a clear
// (AuthType 2) UTF-16LE entry with `nttime` as its last update, or nothing when the
// direction does not use it (outgoing: direction 2 or 3; incoming: 1 or 3).
util::Bytes trust_passwords_blob(const std::string& password, Direction direction, std::uint64_t nttime,
                                 util::ByteView confounder);

struct LsaAuth {
    std::optional<std::string> user; // nullopt: Kerberos with the ticket cache
    std::string password;
};

enum class CreateResult { created, exists };

// Creates the plan's trust on `host` (replacing one of the same name when `replace`).
// `sid` is the realm's SID, or nullopt for none (Windows's way for a non-Windows realm;
// Samba 4.17 refuses that with NT_STATUS_INVALID_SID and needs a synthetic one).
// Throws util::Error with the NTSTATUS and what to do.
// `type` is 3 (MIT) for a realm trust; 2 only for a lab whose KDC ignores MIT trusts
// (Samba's), to prove the keys with a real cross-realm ticket.
CreateResult create_trust(const std::string& host, const LsaAuth& auth, const Plan& plan, const std::string& password,
                          const std::optional<std::string>& sid, bool replace, std::uint32_t type = k_trust_type_mit);

// Deletes the trust named `realm`; false when there is none. Throws util::Error.
bool delete_trust(const std::string& host, const LsaAuth& auth, const std::string& realm);

} // namespace gpokit::trust
