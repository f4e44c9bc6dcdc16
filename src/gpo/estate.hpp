// A domain's GPOs taken as a whole, what an estate diff compares: every GPO of a
// backup root (several backups of one GPO: the newest, said so), or of a folder of
// snapshots written by `live fetch --all`, with the links and WMI filters its
// gpokit-estate.json records (backups carry neither). The domain itself (live://HOST)
// is read by fetching it into such a folder (live/fetch_all.hpp); gpo/ knows no LDAP.
#pragma once

#include "gpo/target.hpp"
#include "util/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

inline constexpr std::string_view k_estate_file = "gpokit-estate.json";

// One place a GPO applies: a container (the domain, an OU, a site) whose gPLink names it.
struct Link {
    std::string container; // its DN
    bool enabled = true;   // gPLink option bit 0 clear
    bool enforced = false; // option bit 1
    friend bool operator==(const Link&, const Link&) = default;
};

struct EstateGpo {
    Target target;
    // What gpokit-estate.json records (absent for a backup root).
    std::optional<std::vector<Link>> links; // sorted by container
    std::string wmi_filter;                 // "NAME: QUERY", or the reference when the filter is gone; "" none
};

struct Estate {
    std::string label;
    std::vector<EstateGpo> gpos; // by GUID
    bool has_links = false;      // read from a folder of snapshots with gpokit-estate.json
    std::vector<std::string> notes;     // backups left out (an older backup of the same GPO)
    std::vector<util::Error> problems;  // GPOs that could not be read (not in `gpos`)
    // GPOs gpokit-estate.json lists that have no snapshot here (their fetch failed): they
    // are not known to be gone. Each is also one of `problems` (the last ones).
    std::vector<std::string> unread;
};

// How an estate names its GPOs. By default each by its folder; `prefix` names each
// PREFIX/{GUID} (and its files below that) as `kind`, for a domain fetched into a
// private folder.
struct EstateNaming {
    std::string prefix;
    SourceKind kind = SourceKind::snapshot;
};

// True for a folder that holds a set of GPOs rather than being one: a backup root, a
// folder of snapshots.
bool is_estate(const std::filesystem::path& path);

// Reads every GPO of a backup root or a folder of snapshots. A GPO that cannot be read
// goes to `problems` (the others are read). Throws util::Error when there is no GPO
// there at all or gpokit-estate.json cannot be read.
Estate load_estate(const std::filesystem::path& path, const std::string& label, const EstateNaming& naming = {});

// The GPO of `estate` that `gpo` is (same GUID, else the one GPO of that display name),
// or null.
const EstateGpo* find_in(const Estate& estate, const Gpo& gpo);

} // namespace gpokit::gpo
