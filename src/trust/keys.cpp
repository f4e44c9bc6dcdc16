#include "trust/keys.hpp"

#include "util/bytes.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <krb5/krb5.h>

#include <functional>
#include <memory>
#include <type_traits>
#include <string_view>

namespace gpokit::trust {

namespace {

// One libkrb5 context for a call, freed on every path.
class Context {
public:
    Context()
    {
        if (const krb5_error_code code = krb5_init_context(&m_ctx); code != 0)
            throw util::Error(fmt::format("cannot start libkrb5 (error {})", code));
    }
    ~Context() { krb5_free_context(m_ctx); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    krb5_context get() const { return m_ctx; }

    // libkrb5's own message for `code`.
    std::string message(krb5_error_code code) const
    {
        const char* text = krb5_get_error_message(m_ctx, code);
        std::string out = text ? text : fmt::format("error {}", code);
        krb5_free_error_message(m_ctx, text);
        return out;
    }

private:
    krb5_context m_ctx = nullptr;
};

krb5_data data_of(std::string_view text)
{
    krb5_data d{};
    d.magic = KV5M_DATA;
    d.length = static_cast<unsigned int>(text.size());
    d.data = const_cast<char*>(text.data()); // libkrb5 reads it only
    return d;
}

std::string enctype_name(const Context& ctx, krb5_enctype e)
{
    char name[64] = {};
    if (krb5_enctype_to_name(e, FALSE, name, sizeof name) != 0)
        return fmt::format("enctype {}", e);
    (void)ctx;
    return name;
}

// The key's keyed checksum (its enctype's mandatory checksum) of a fixed text: equal
// for equal keys, and says nothing about the key itself.
std::string fingerprint(const Context& ctx, const krb5_keyblock& key)
{
    static constexpr std::string_view k_text = "gpokit key fingerprint";
    krb5_data input = data_of(k_text);
    krb5_checksum sum{};
    if (const krb5_error_code code = krb5_c_make_checksum(ctx.get(), 0, &key, 0, &input, &sum); code != 0)
        throw util::Error("cannot make a key fingerprint: " + ctx.message(code));
    std::string hex;
    for (unsigned i = 0; i < sum.length && i < 8; ++i)
        hex += fmt::format("{:02x}", sum.contents[i]);
    krb5_free_checksum_contents(ctx.get(), &sum);
    return hex;
}

} // namespace

std::vector<DerivedKey> derive_keys(const std::string& principal, const std::string& salt, const std::string& password,
                                    bool rc4, std::uint32_t iterations)
{
    Context ctx;
    std::vector<krb5_enctype> enctypes{ENCTYPE_AES256_CTS_HMAC_SHA1_96, ENCTYPE_AES128_CTS_HMAC_SHA1_96};
    if (rc4)
        enctypes.push_back(ENCTYPE_ARCFOUR_HMAC);
    std::vector<DerivedKey> out;
    krb5_data pw = data_of(password);
    krb5_data salt_data = data_of(salt);
    // RFC 3962: the AES string-to-key parameter is the iteration count, 4 bytes big-endian.
    const char params_bytes[4] = {static_cast<char>(iterations >> 24), static_cast<char>(iterations >> 16),
                                  static_cast<char>(iterations >> 8), static_cast<char>(iterations)};
    krb5_data params = data_of(std::string_view(params_bytes, sizeof params_bytes));
    for (const krb5_enctype e : enctypes) {
        krb5_keyblock key{};
        const bool aes = e != ENCTYPE_ARCFOUR_HMAC;
        if (const krb5_error_code code =
                krb5_c_string_to_key_with_params(ctx.get(), e, &pw, &salt_data, aes ? &params : nullptr, &key);
            code != 0)
            throw util::Error(fmt::format("cannot derive the {} key of {}: {}", enctype_name(ctx, e), principal,
                                          ctx.message(code)));
        DerivedKey d{principal, salt, e, enctype_name(ctx, e), {key.contents, key.contents + key.length}, {}};
        try {
            d.fingerprint = fingerprint(ctx, key);
        } catch (...) {
            krb5_free_keyblock_contents(ctx.get(), &key);
            throw;
        }
        krb5_free_keyblock_contents(ctx.get(), &key);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<DerivedKey> plan_keys(const Plan& plan, const std::string& password)
{
    std::vector<DerivedKey> out;
    for (const auto& c : plan.cross_realm()) {
        auto keys = derive_keys(c.principal, c.salt, password, plan.rc4);
        out.insert(out.end(), keys.begin(), keys.end());
    }
    return out;
}

void write_keytab(const std::string& path, const std::vector<DerivedKey>& keys, std::uint32_t kvno)
{
    Context ctx;
    const auto fail = [&](const char* what, krb5_error_code code) {
        return util::Error(fmt::format("{}: cannot {}: {}", path, what, ctx.message(code)));
    };
    krb5_keytab kt = nullptr;
    if (const krb5_error_code code = krb5_kt_resolve(ctx.get(), ("WRFILE:" + path).c_str(), &kt); code != 0)
        throw fail("open the keytab", code);
    const std::unique_ptr<std::remove_pointer_t<krb5_keytab>, std::function<void(krb5_keytab)>> closer(
        kt, [&](krb5_keytab k) { krb5_kt_close(ctx.get(), k); });
    for (const auto& k : keys) {
        krb5_principal principal = nullptr;
        if (const krb5_error_code code = krb5_parse_name(ctx.get(), k.principal.c_str(), &principal); code != 0)
            throw fail(("read the principal " + k.principal).c_str(), code);
        krb5_keytab_entry entry{};
        entry.principal = principal;
        entry.vno = kvno;
        entry.key.enctype = k.enctype;
        entry.key.length = static_cast<unsigned int>(k.key.size());
        entry.key.contents = const_cast<krb5_octet*>(k.key.data());
        const krb5_error_code code = krb5_kt_add_entry(ctx.get(), kt, &entry);
        krb5_free_principal(ctx.get(), principal);
        if (code != 0)
            throw fail("add a key to the keytab", code);
    }
}

} // namespace gpokit::trust
