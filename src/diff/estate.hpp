// What changes between two sets of GPOs (gpo/estate.hpp: a backup root, a folder of
// `live fetch --all` snapshots, a live domain): GPOs are matched by GUID, and a GPO left
// unmatched on both sides by its display name (said so); each matched pair is diffed as
// two single GPOs are (diff/diff.hpp), with the links and WMI filter both sides record
// as GPO metadata. GPOs either side could not read make the result incomplete: they
// are its problems, never "added" or "removed".
#pragma once

#include "diff/diff.hpp"
#include "gpo/estate.hpp"

#include <string>
#include <vector>

namespace gpokit::diff {

enum class GpoStatus { added, removed, changed, unchanged };
const char* status_name(GpoStatus status);

struct GpoPair {
    GpoStatus status = GpoStatus::unchanged;
    std::string guid;   // B's GUID (A's for a removed GPO)
    std::string name;   // B's display name (A's for a removed GPO)
    std::string a, b;   // how each side names it; "" on the side that lacks it
    std::string a_guid; // matched by display name: A's GUID, which differs; "" otherwise
    Diff diff;          // a changed GPO: what changes from A to B
};

struct EstateDiff {
    std::string a, b;
    std::vector<GpoPair> gpos;          // added, removed, changed, unchanged; each by name, then GUID
    std::vector<std::string> notes;     // backups left out (older backups of the same GPO)
    std::vector<std::string> problems;  // GPOs a side could not read: the comparison is incomplete
    std::size_t count(GpoStatus status) const;
    // Nothing added, removed or changed (problems aside).
    bool empty() const;
};

EstateDiff compute_estate(const gpo::Estate& a, const gpo::Estate& b, const policy::Catalogue& catalogue,
                          const Options& options);

} // namespace gpokit::diff
