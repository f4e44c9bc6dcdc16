// Writing a GPMC backup ({BACKUP-ID}/Backup.xml, bkupInfo.xml, DomainSysvol/GPO/..., and
// the root's manifest.xml) from any GPO source gpokit reads: another backup, a SYSVOL
// GPO folder, a `live fetch` snapshot (or a live target, read into one). What GPMC's
// Import-GPO and Import Settings read is written as GPMC writes it:
//   - GroupPolicyCoreSettings: the GPO's GUID, domain, security descriptor, display name,
//     options, versions (sysvol << 16 | directory), extension lists, WMI filter;
//   - SecurityGroups and FilePaths as the source holds them (a backup's own elements);
//   - one GroupPolicyExtension per extension in use with an FSObjectFile / FSObjectDir per
//     file and folder present: registry.pol under Registry (with its Adm\*.* entry),
//     GptTmpl.inf under Security when the machine extension list names it, the rest under
//     GPMC's generic file extension.
// What the source cannot prove (a SYSVOL folder read without AD has no directory version,
// extension list or descriptor) is left out and listed in `missing`.
#pragma once

#include "gpo/target.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

struct BackupOptions {
    std::string backup_id;          // "{GUID}"; empty: a new random one (or a fixed one when deterministic)
    std::string comment;
    bool deterministic = false;     // IDs and times from the source and `epoch`, so equal sources give equal bytes
    std::optional<long long> epoch; // SOURCE_DATE_EPOCH: the backup time; absent: now
};

struct BackupResult {
    std::filesystem::path folder; // ROOT/{BACKUP-ID}
    std::string id;
    std::vector<std::string> missing; // what the source could not give, in words
};

// One file or folder of the GPO, relative to its GPO folder ("Machine/registry.pol").
struct GpoEntry {
    std::string relative; // '/'-separated, case as on disk
    bool directory = false;
};

// GPMC's extension for the GPO's other files and folders ("Unknown Extension" in its backups).
inline constexpr std::string_view k_files_cse = "{F15C46CD-82A0-4C2D-A210-5D0D3182A418}";

// Backup.xml's FSObjectFile / FSObjectDir element for one entry, as GPMC writes it, and
// the extension it goes under: registry.pol under Registry, GptTmpl.inf under Security
// when `security_listed` (the machine extension list names it), the rest under the
// generic file extension. `prefix` is sysvol_unc's form.
struct FsObjectElement {
    std::string cse;
    std::string xml;
};
FsObjectElement fs_object_element(const GpoEntry& entry, const std::string& prefix, bool security_listed);

// The GPO's files and folders as a backup carries them (GPT.INI, gpokit's own files and
// temporaries left out), sorted.
std::vector<GpoEntry> gpo_entries(const Gpo& gpo);

// The GPO's folder on SYSVOL as Backup.xml's SourceExpandedPath values begin with it:
// \\DC\sysvol\DOMAIN\Policies\{GUID}.
std::string sysvol_unc(const Gpo& gpo, const std::string& dc);

// Backup.xml's text for `gpo` with `entries` (`dc`: the domain controller named in the
// source paths; `groups_and_paths`: verbatim <SecurityGroups>/<FilePaths> elements, or
// empty for empty ones).
std::string backup_xml(const Gpo& gpo, const std::vector<GpoEntry>& entries, const std::string& dc,
                       const std::string& groups_and_paths, std::vector<std::string>& missing);

// Writes the backup under `root` (made if absent; its manifest.xml created or added to).
// The backup folder is built beside and renamed into place: it lands whole or not at all.
// Throws util::Error (an existing backup folder of that ID is refused).
BackupResult write_backup(const Target& source, const std::filesystem::path& root, const BackupOptions& options);

} // namespace gpokit::gpo
