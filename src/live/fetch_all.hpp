// Every GPO of a domain into snapshots, in parallel: `live fetch live://HOST --all`.
// The GPOs are listed over one LDAP connection; then `jobs` worker processes (forked
// once the listing connection is closed, each with its own LDAP and SMB connections)
// fetch them, each GPO into OUT/{GUID} whole or not at all. One GPO that cannot be read
// does not stop the others: it is reported with its reason. What backups do not carry
// and staging needs is recorded beside them in OUT/gpokit-estate.json: each GPO's links
// (the gPLink of the domain, its OUs and the sites that name it, with enabled/enforced)
// and its WMI filter (name and query).
#pragma once

#include "gpo/estate.hpp"
#include "live/connect.hpp"
#include "util/temp_folders.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gpokit::live {

using GpoLink = gpo::Link;

// gPLink's value: "[LDAP://cn={GUID},cn=policies,...;OPTIONS]..." as (GUID, link) pairs.
std::vector<std::pair<std::string, GpoLink>> parse_gplink(const std::string& container, std::string_view value);

struct FetchAllResult {
    std::size_t fetched = 0;
    struct Failure {
        std::string guid; // empty for a container that is not a readable GPO
        std::string name; // its display name, if known
        std::string reason;
    };
    std::vector<Failure> failures;
};

// `progress(done, total)` is called as GPOs land. `out` must not exist or be empty.
// Throws util::Error when the domain cannot be listed at all.
FetchAllResult fetch_all(const std::string& host, const ConnectOptions& options, const std::filesystem::path& out,
                         int jobs, const std::function<void(std::size_t, std::size_t)>& progress);

// The whole domain as an estate (gpo/estate.hpp): fetched as above into a private
// folder of `temps`, each GPO named live://HOST/{GUID}; a GPO that could not be read is
// one of its problems. Throws util::Error when the domain cannot be listed at all.
gpo::Estate read_estate(const std::string& host, const ConnectOptions& options, util::TempFolders& temps, int jobs);

} // namespace gpokit::live
