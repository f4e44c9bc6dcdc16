// Readers that fill the Gpo model from a GPMC backup folder or a SYSVOL GPO folder,
// and the discovery of backups under a root folder (with or without manifest.xml).
#pragma once

#include "gpo/gpo.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

// Reads a backup folder ({BACKUP-ID}/ holding Backup.xml). Throws util::Error
// (file:line:column for malformed XML).
Gpo load_backup(const std::filesystem::path& dir);

// Reads a SYSVOL GPO folder (GPT.INI + Machine/ + User/). Throws util::Error.
Gpo load_sysvol(const std::filesystem::path& dir);

// GPT.INI [General] Version and the other values gpokit reads.
struct GptIni {
    std::uint32_t version = 0;
    std::string display_name;
    std::optional<std::string> machine_extensions; // gPCMachineExtensionNames (local GPOs)
    std::optional<std::string> user_extensions;
    // Byte ranges of the values, for editing in place.
    std::size_t version_begin = 0, version_end = 0;
    std::optional<std::pair<std::size_t, std::size_t>> machine_extensions_range, user_extensions_range;
};
GptIni parse_gpt_ini(const util::Bytes& bytes, const std::string& origin);

struct ManifestEntry {
    std::string id;           // the backup ID
    std::string gpo_guid;
    std::string display_name;
    std::string domain;
    std::string backup_time;
    std::filesystem::path manifest;
    bool folder_exists = false;
};

struct Catalogue {
    std::vector<Gpo> backups;               // every backup folder found below the root
    std::vector<ManifestEntry> manifest;    // every entry of every manifest.xml seen
    std::vector<std::string> problems;      // backups that could not be read (file:line:column: ...)
};

// Finds every backup below `root` (recursively; symbolic links are not followed;
// folders named .gpokit-* are gpokit's own temporaries and skipped) and every
// manifest.xml in the root, below it, or one folder up.
Catalogue scan(const std::filesystem::path& root);

// What `--gpo` / `--backup-id` select.
struct Selector {
    std::string gpo;       // display name, GPO GUID or backup ID
    std::string backup_id; // exact backup ID
};

// Opens what a path names: a backup folder, a SYSVOL GPO folder, or a backup root
// (then `selector` picks one; several backups of the same GPO: the newest BackupTime).
// Throws util::Error when nothing or more than one GPO matches.
Gpo open_gpo(const std::filesystem::path& path, const Selector& selector);

// True if `path` with `selector` names one GPO (a backup or SYSVOL folder, a snapshot,
// or a selection in a root) rather than a root of backups.
bool names_one_gpo(const std::filesystem::path& path, const Selector& selector);

// The GPOs a path names for commands that take many: the one GPO a folder or selector
// names, or every readable backup under a root. Throws util::Error.
std::vector<Gpo> gpos_at(const std::filesystem::path& path, const Selector& selector);

} // namespace gpokit::gpo
