// A staging bundle: reviewed GPO changes carried across an air gap as one folder that
// says what will change and proves it was not altered on the way.
//   backups/            each changed GPO as a GPMC backup (manifest.xml at its root),
//                       importable with Import-GPO
//   review/GUID.txt|.md|.html|.json   the change against the base, as `gpokit diff` shows it
//   bundle.json         what the bundle is: format, gpokit version, creation time, and
//                       for each GPO its GUID, name, backup ID and the base version it
//                       was prepared against (what an apply checks the domain still has)
//   SHA256SUMS          every other file's SHA-256 (sha256sum's form); its own SHA-256
//                       is the bundle's ID
//   migration.migtable  a GPMC migration table listing every principal and UNC path the
//                       GPOs name, same as source unless an edited one is given
//   Import-Bundle.ps1   the Windows side: checks the hashes (embedded, and SHA256SUMS) and
//                       the signature, refuses a GPO not at its base version, backs up,
//                       then Import-GPO with the migration table (-WhatIf: checks only)
//   trust/plan.json, trust/runbook.md   with a trust plan: the plan and its runbook
//   SHA256SUMS.p7s      with a signing key: a detached CMS signature of SHA256SUMS
// Verifying checks every hash, that no file is missing and none was added, the
// signature, that bundle.json agrees with the backups, that each backup loads and lints
// clean, and that the migration table maps every principal and path they name.
#pragma once

#include "gpo/estate.hpp"
#include "gpo/target.hpp"
#include "policy/engine.hpp"
#include "util/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::stage {

inline constexpr int k_bundle_format = 1;
inline constexpr std::string_view k_sums_file = "SHA256SUMS";
inline constexpr std::string_view k_bundle_file = "bundle.json";

struct BundleGpo {
    std::string guid;
    std::string name;
    std::string backup_id;  // backups/{ID}
    std::string base;       // the base it was prepared against, as named at creation
    std::uint32_t base_version = 0; // the directory's versionNumber the base holds
    // Where the base says the GPO is linked (a folder of snapshots records it; nullopt
    // where the base does not say), and its WMI filter ("" none).
    std::optional<std::vector<gpo::Link>> links;
    std::string wmi_filter;
};

struct Bundle {
    int format = k_bundle_format;
    std::string gpokit_version;
    std::string created; // ISO 8601, UTC
    std::vector<BundleGpo> gpos;
};

util::Bytes bundle_json(const Bundle& bundle);
// Throws util::ParseError (position) for malformed JSON or members.
Bundle parse_bundle(util::ByteView bytes, const std::string& origin);

struct CreateOptions {
    std::string gpokit_version;
    std::optional<long long> epoch; // SOURCE_DATE_EPOCH: fixed times and IDs; absent: now
    std::optional<std::filesystem::path> sign_key, sign_cert; // PEM; both or neither
    std::optional<std::filesystem::path> migtable; // an edited migration table to carry
    std::optional<std::filesystem::path> archive;  // also write the bundle as this tar file
    std::optional<std::filesystem::path> trust_plan; // carry this trust plan (JSON) and its runbook
};

struct CreateResult {
    std::filesystem::path folder;
    std::string id; // SHA-256 of SHA256SUMS
    std::vector<std::string> notes;
};

// One GPO to stage: the edited GPO and the base it was prepared from (the same GPO).
struct StagedGpo {
    gpo::Target changed;
    gpo::Target base;
    std::optional<std::vector<gpo::Link>> links; // as the base records them
    std::string wmi_filter;
};

// Writes the bundle at `output`, built beside it and renamed into place. Throws
// util::Error: output exists, a base of another GPO, one GPO given twice.
CreateResult create_bundle(const std::vector<StagedGpo>& gpos, const policy::Catalogue& catalogue,
                           const std::filesystem::path& output, const CreateOptions& options);

struct Finding {
    std::string file; // relative to the bundle
    std::string what;
};

struct VerifyOptions {
    // The signer must be this certificate, or chain to one of these CA certificates;
    // either requires a signature.
    std::optional<std::filesystem::path> cert, ca;
};

struct Verification {
    std::string id; // SHA-256 of SHA256SUMS
    std::optional<Bundle> bundle;
    bool signed_ = false;
    std::string signer;          // the signing certificate's subject
    bool signer_checked = false; // against --cert or --ca
    std::vector<Finding> findings;
};

// Checks the bundle folder. Throws util::Error when it cannot be read at all (no
// SHA256SUMS, not a folder, an unreadable certificate); everything else is a finding.
Verification verify_bundle(const std::filesystem::path& folder, const VerifyOptions& options = {});

} // namespace gpokit::stage
