#include "stage/signature.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace gpokit::stage {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
void free_certs(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using Certs = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), free_certs>>;

// OpenSSL's error queue as text (and emptied).
std::string openssl_errors()
{
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(e, text, sizeof text);
        out += (out.empty() ? "" : "; ") + std::string(text);
    }
    return out.empty() ? "unknown error" : out;
}

Bio memory(util::ByteView bytes)
{
    return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

Cert read_cert(const std::filesystem::path& path)
{
    const util::Bytes bytes = util::read_file(path, util::display_path(path));
    const Bio bio = memory(bytes);
    Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert)
        throw util::Error(fmt::format("{}: not a PEM certificate ({})", util::display_path(path), openssl_errors()));
    return cert;
}

std::string subject_of(X509* cert)
{
    char text[512];
    X509_NAME_oneline(X509_get_subject_name(cert), text, sizeof text);
    return text;
}

} // namespace

util::Bytes cms_sign(util::ByteView content, const std::filesystem::path& key_path, const std::filesystem::path& cert_path,
                     bool deterministic)
{
    const Cert cert = read_cert(cert_path);
    const util::Bytes key_bytes = util::read_file(key_path, util::display_path(key_path));
    const Bio key_bio = memory(key_bytes);
    const Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        throw util::Error(fmt::format("{}: not a PEM private key without a passphrase ({})",
                                      util::display_path(key_path), openssl_errors()));
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        throw util::Error(fmt::format("{}: is not the key of the certificate {}", util::display_path(key_path),
                                      util::display_path(cert_path)));
    const Bio in = memory(content);
    unsigned int flags = CMS_DETACHED | CMS_BINARY;
    if (deterministic)
        flags |= CMS_NOATTR;
    const Cms cms(CMS_sign(cert.get(), key.get(), nullptr, in.get(), flags));
    if (!cms)
        throw util::Error("signing SHA256SUMS failed: " + openssl_errors());
    const Bio out(BIO_new(BIO_s_mem()));
    if (i2d_CMS_bio(out.get(), cms.get()) != 1)
        throw util::Error("writing the signature failed: " + openssl_errors());
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    const auto* p = reinterpret_cast<const std::byte*>(data);
    return util::Bytes(p, p + size);
}

SignatureCheck cms_verify(util::ByteView signature, util::ByteView content, const std::optional<std::filesystem::path>& cert,
                          const std::optional<std::filesystem::path>& ca)
{
    SignatureCheck check;
    const Bio sig = memory(signature);
    const Cms cms(d2i_CMS_bio(sig.get(), nullptr));
    if (!cms) {
        check.problem = "not a DER CMS signature (" + openssl_errors() + ")";
        return check;
    }
    // The certificate the signature carries (the signer's, as gpokit signs).
    const Certs carried(CMS_get1_certs(cms.get()));
    if (carried && sk_X509_num(carried.get()) > 0)
        check.signer = subject_of(sk_X509_value(carried.get(), 0));
    ERR_clear_error();
    const Bio data = memory(content);
    unsigned int flags = CMS_BINARY | CMS_DETACHED;
    Store store(X509_STORE_new());
    Certs given(sk_X509_new_null());
    if (cert) {
        Cert c = read_cert(*cert);
        sk_X509_push(given.get(), c.release());
        // Only the given certificate may be the signer; no chain is asked of it.
        flags |= CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY;
    } else if (ca) {
        if (X509_STORE_load_file(store.get(), ca->c_str()) != 1)
            throw util::Error(fmt::format("{}: no CA certificates read ({})", util::display_path(*ca), openssl_errors()));
        X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
    } else {
        flags |= CMS_NO_SIGNER_CERT_VERIFY;
    }
    if (CMS_verify(cms.get(), given.get(), store.get(), data.get(), nullptr, flags) == 1) {
        check.valid = true;
    } else {
        check.problem = openssl_errors();
    }
    return check;
}

} // namespace gpokit::stage
