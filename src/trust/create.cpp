#include "trust/create.hpp"

#include "trust/lsa_client.h"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <chrono>

namespace gpokit::trust {

namespace {

// One trustAuthInOutBlob: count, offset of the current entries (12), offset of the
// previous ones (none: the end), then the current entry, padded to 4 bytes.
util::Bytes in_out_blob(const util::Bytes& password_utf16, std::uint64_t nttime, bool used)
{
    util::Bytes out;
    if (!used) {
        util::append_u32le(out, 0);
        util::append_u32le(out, 0);
        util::append_u32le(out, 0);
        return out;
    }
    const std::size_t padded = (password_utf16.size() + 3) & ~std::size_t{3};
    const auto end = static_cast<std::uint32_t>(12 + 8 + 4 + 4 + padded);
    util::append_u32le(out, 1);
    util::append_u32le(out, 12);
    util::append_u32le(out, end);
    util::append_u32le(out, static_cast<std::uint32_t>(nttime & 0xffffffffu));
    util::append_u32le(out, static_cast<std::uint32_t>(nttime >> 32));
    util::append_u32le(out, 2); // TRUST_AUTH_TYPE_CLEAR
    util::append_u32le(out, static_cast<std::uint32_t>(password_utf16.size()));
    out.insert(out.end(), password_utf16.begin(), password_utf16.end());
    out.resize(out.size() + (padded - password_utf16.size()), std::byte{0});
    return out;
}

std::uint64_t nttime_now()
{
    // 100 ns intervals since 1601-01-01.
    const auto since_1970 = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return static_cast<std::uint64_t>(since_1970.count() / 100) + 116444736000000000ull;
}

gpokit_lsa_auth c_auth(const LsaAuth& auth)
{
    return gpokit_lsa_auth{auth.user ? auth.user->c_str() : nullptr, auth.user ? auth.password.c_str() : nullptr};
}

// What to do about the failures an administrator meets.
std::string advice(const std::string& error)
{
    if (error.find("ACCESS_DENIED") != std::string::npos)
        return "; creating a trust needs a Domain Admins (or Enterprise Admins) account";
    if (error.find("INVALID_SID") != std::string::npos)
        return "; this domain controller (Samba) refuses a trust without a SID: give --sid S-1-5-21-X-Y-Z (any "
               "unused domain SID; an MIT realm has none)";
    if (error.find("OBJECT_NAME_COLLISION") != std::string::npos)
        return "; the name is taken (a trust, or an account named after the realm): see `gpokit trust verify`, or "
               "--replace";
    if (error.find("cannot open LSA") != std::string::npos)
        return "; check that the DC answers on SMB (port 445) and the credentials (--user, or a Kerberos ticket)";
    return {};
}

} // namespace

util::Bytes trust_passwords_blob(const std::string& password, Direction direction, std::uint64_t nttime,
                                 util::ByteView confounder)
{
    if (confounder.size() != 512)
        throw util::Error("the trust password blob's confounder is 512 bytes");
    const util::Bytes pw = util::u16_to_utf16le(util::utf8_to_u16(password));
    const auto d = static_cast<std::uint32_t>(direction);
    const util::Bytes outgoing = in_out_blob(pw, nttime, (d & 2u) != 0);
    const util::Bytes incoming = in_out_blob(pw, nttime, (d & 1u) != 0);
    util::Bytes out(confounder.begin(), confounder.end());
    out.insert(out.end(), outgoing.begin(), outgoing.end());
    out.insert(out.end(), incoming.begin(), incoming.end());
    util::append_u32le(out, static_cast<std::uint32_t>(outgoing.size()));
    util::append_u32le(out, static_cast<std::uint32_t>(incoming.size()));
    return out;
}

CreateResult create_trust(const std::string& host, const LsaAuth& auth, const Plan& plan, const std::string& password,
                          const std::optional<std::string>& sid, bool replace, std::uint32_t type)
{
    const util::Bytes zeros(512);
    util::Bytes blob = trust_passwords_blob(password, plan.direction, nttime_now(), zeros);
    const gpokit_lsa_auth a = c_auth(auth);
    const gpokit_lsa_trust t{plan.realm.c_str(),
                             sid ? sid->c_str() : nullptr,
                             type,
                             plan.trust_direction(),
                             plan.trust_attributes(),
                             plan.encryption_types(),
                             reinterpret_cast<const unsigned char*>(blob.data()),
                             blob.size()};
    char error[512] = {};
    const int rc = gpokit_lsa_create_trust(host.c_str(), &a, &t, replace ? 1 : 0, error, sizeof error);
    std::fill(blob.begin(), blob.end(), std::byte{0});
    if (rc == GPOKIT_LSA_EXISTS)
        return CreateResult::exists;
    if (rc != GPOKIT_LSA_OK)
        throw util::Error(fmt::format("{}: {}{}", host, error, advice(error)));
    return CreateResult::created;
}

bool delete_trust(const std::string& host, const LsaAuth& auth, const std::string& realm)
{
    const gpokit_lsa_auth a = c_auth(auth);
    char error[512] = {};
    const int rc = gpokit_lsa_delete_trust(host.c_str(), &a, realm.c_str(), error, sizeof error);
    if (rc == GPOKIT_LSA_MISSING)
        return false;
    if (rc != GPOKIT_LSA_OK)
        throw util::Error(fmt::format("{}: {}{}", host, error, advice(error)));
    return true;
}

} // namespace gpokit::trust
