// The realm side's keys: the inter-realm key of each cross-realm principal a plan
// needs, derived from the trust password with libkrb5 (krb5_c_string_to_key with the
// principal's normal salt: PBKDF2-HMAC-SHA1, 4096 iterations for AES, RFC 3962; MD4 of
// the UTF-16LE password for RC4), and written as an MIT keytab through libkrb5's keytab
// API. The key bytes are shown only when asked; a fingerprint (the key's own keyed
// checksum of a fixed text) lets two runs or two machines compare keys without them.
#pragma once

#include "trust/plan.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gpokit::trust {

struct DerivedKey {
    std::string principal;
    std::string salt;
    std::int32_t enctype = 0;  // 18 aes256-cts-hmac-sha1-96, 17 aes128-cts-hmac-sha1-96, 23 arcfour-hmac
    std::string enctype_name;  // as MIT names it
    std::vector<unsigned char> key;
    std::string fingerprint;   // 16 hex digits
};

// The keys for one principal and salt: AES256, AES128, and RC4 when `rc4`. AES takes
// `iterations` PBKDF2 rounds (4096, Kerberos's default, unless a test vector says
// otherwise). Throws util::Error with libkrb5's message.
std::vector<DerivedKey> derive_keys(const std::string& principal, const std::string& salt, const std::string& password,
                                    bool rc4, std::uint32_t iterations = 4096);

// Every key the plan needs, principal by principal.
std::vector<DerivedKey> plan_keys(const Plan& plan, const std::string& password);

// Adds the keys to the keytab at `path` (made if absent) with key version `kvno`.
// Throws util::Error naming the file.
void write_keytab(const std::string& path, const std::vector<DerivedKey>& keys, std::uint32_t kvno);

} // namespace gpokit::trust
