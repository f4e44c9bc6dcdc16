// The bundle's signature: a detached CMS SignedData (DER) over SHA256SUMS, made and
// checked with OpenSSL's libcrypto. `openssl cms -verify -binary -inform DER` and .NET's
// SignedCms read it.
#pragma once

#include "util/bytes.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace gpokit::stage {

inline constexpr std::string_view k_signature_file = "SHA256SUMS.p7s";

// Signs `content` with the PEM private key and certificate. `deterministic` leaves out
// the signed attributes (the signing time), so that an RSA signature of the same
// content is the same bytes. Throws util::Error naming the file that cannot be read.
util::Bytes cms_sign(util::ByteView content, const std::filesystem::path& key, const std::filesystem::path& cert,
                     bool deterministic);

struct SignatureCheck {
    bool valid = false;
    std::string signer; // the signer certificate's subject, when the signature parses
    std::string problem; // why it is not valid
};

// Checks a detached signature of `content`: against `cert` (the signer must be that
// certificate), or against the CA certificates in `ca` (the signer's chain must lead to
// one); with neither, only that the signature matches the certificate it carries.
SignatureCheck cms_verify(util::ByteView signature, util::ByteView content,
                          const std::optional<std::filesystem::path>& cert,
                          const std::optional<std::filesystem::path>& ca);

} // namespace gpokit::stage
