// Readers that fill the Gpo model from a GPMC backup folder or a SYSVOL GPO folder,
// and the discovery of backups under a root folder (with or without manifest.xml).
// Opening what a user names (any kind of source, with --gpo) is gpo/target.hpp's job.
#pragma once

#include "gpo/gpo.hpp"
#include "gpo/gpt_ini.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

// Reads a backup folder ({BACKUP-ID}/ holding Backup.xml); messages name its files
// through `shown`. Throws util::Error (file:line:column for malformed XML).
Gpo load_backup(const std::filesystem::path& dir, util::ShownPaths shown = {});

// Reads a SYSVOL GPO folder (GPT.INI + Machine/ + User/). Throws util::Error.
Gpo load_sysvol(const std::filesystem::path& dir, util::ShownPaths shown = {});

struct ManifestEntry {
    std::string id;           // the backup ID
    std::string gpo_guid;
    std::string display_name;
    std::string domain;
    std::string backup_time;
    std::filesystem::path manifest;
    util::Position where; // the entry's <BackupInst>
    bool folder_exists = false;
};

struct Catalogue {
    std::vector<Gpo> backups;               // every backup folder found below the root
    std::vector<ManifestEntry> manifest;    // every entry of every manifest.xml seen
    std::vector<util::Error> problems;      // backups or manifests that could not be read
};

// Finds every backup below `root` (recursively; symbolic links are not followed;
// folders named .gpokit-* are gpokit's own temporaries and skipped) and every
// manifest.xml in the root or below it; for a root that is itself a backup, its entry in
// the manifest.xml one folder up (where GPMC keeps it).
Catalogue scan(const std::filesystem::path& root);

// When `root` holds no backup but the folder above holds a manifest.xml (the user pointed
// one level too deep): "; the folder above holds a manifest.xml: point at PARENT instead".
// Empty otherwise.
std::string manifest_above_hint(const std::filesystem::path& root);

// A Backup.xml path (bkp:Path, bkp:Location) for comparison: lower case, '\\'-separated.
std::string normal_backup_path(std::string_view text);

// Symbolic links inside the GPO folder that lead out of it (or are absolute): each link
// and where it points. Readers never follow them; edits refuse a GPO holding one.
std::vector<std::pair<std::filesystem::path, std::filesystem::path>> outward_links(const Gpo& gpo);

// A folder path without "." / ".." / trailing separators, so that its last component is
// the folder's own name (a backup's ID) and temporaries go beside it, not inside it.
std::filesystem::path clean_dir(const std::filesystem::path& dir);

} // namespace gpokit::gpo
