// The model of one GPO as gpokit reads it from disk: a GPMC backup folder
// ({BACKUP-ID}/ with Backup.xml) or a SYSVOL GPO folder (GPT.INI + Machine/ + User/).
// Readers fill it (gpo/backup.cpp, gpo/sysvol.cpp); edits, lint and renderers work
// on it. Paths in it are real paths under the GPO folder, already checked not to
// leave it.
#pragma once

#include "pol/text_forms.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

enum class GpoKind { backup, sysvol };

struct GpoSide {
    // The side's folder (Machine/ or User/ under DomainSysvol/GPO or the GPO folder),
    // in the case found on disk; where a new one goes if absent.
    std::filesystem::path folder;
    // The side's registry.pol, if it exists (its name's case as found on disk).
    std::optional<std::filesystem::path> registry_pol;
    // Backup: (sysvol version << 16) | directory version, from Backup.xml.
    // SYSVOL: the side's 16-bit half of GPT.INI Version.
    std::uint32_t version = 0;
    // The extension list text, if the source holds one (Backup.xml always; GPT.INI of a
    // local GPO; not a domain GPT.INI, where it lives in AD).
    std::optional<std::string> extensions;
};

struct FileEntry {             // a Backup.xml FSObjectFile
    std::string extension_id;  // the GroupPolicyExtension's bkp:ID
    std::string extension_name;
    std::string path;          // bkp:Path
    std::string source_expanded_path;
    std::string location;      // bkp:Location (relative to the backup folder), may be empty
};

struct BackupInfo { // bkupInfo.xml
    std::string gpo_guid;
    std::string domain;
    std::string domain_guid;
    std::string domain_controller;
    std::string backup_time;
    std::string id;
    std::string comment;
    std::string display_name;
};

// A registry value gpreport.xml lists as a plain RegistrySetting (not mapped to an ADMX policy).
struct ReportRegistryValue {
    pol::Side side = pol::Side::machine;
    std::string key;
    std::string name;
    std::optional<std::uint64_t> number; // <Number>
    std::optional<std::string> text;     // <String>
};

struct ReportVersions { // gpreport.xml <Computer>/<User> versions, and its plain registry values
    std::optional<std::uint32_t> machine_directory, machine_sysvol, user_directory, user_sysvol;
    std::vector<ReportRegistryValue> registry_values;
};

// The groupPolicyContainer object of a GPO read from a domain controller: a live
// target, or a `live fetch` snapshot that recorded it.
struct DirectoryObject {
    std::string source; // live://HOST/{GUID}
    std::string host;   // the domain controller asked
    std::string dn;
    // The attributes gpokit reads, in a fixed order, as the directory returned them.
    std::vector<std::pair<std::string, std::string>> attributes;
    // GPT.INI's Version when the GPO was read (a snapshot records it: editing the
    // snapshot changes its own GPT.INI, not this).
    std::optional<std::uint32_t> gpt_version;

    const std::string* attribute(std::string_view name) const;
    // versionNumber, if present and a number.
    std::optional<std::uint32_t> version_number() const;
};

struct Gpo {
    GpoKind kind = GpoKind::backup;
    std::filesystem::path dir; // the backup folder or the SYSVOL GPO folder
    std::string guid;          // the GPO's GUID
    std::string display_name;
    std::string domain;
    std::string options;       // Backup.xml Options (bit 0 user side off, bit 1 machine side off)
    GpoSide machine;
    GpoSide user;

    // Backups only.
    std::string backup_id; // the folder name
    std::optional<BackupInfo> info;
    std::vector<FileEntry> files;
    std::optional<std::filesystem::path> gpreport;
    ReportVersions report_versions;

    // GPOs read from a domain controller (live://, or a snapshot of one).
    std::optional<DirectoryObject> directory;
    // How the user named the GPO when that is not `dir` (a live:// address read
    // through a temporary snapshot); empty otherwise.
    std::string label;

    const GpoSide& side(pol::Side s) const { return s == pol::Side::machine ? machine : user; }
    GpoSide& side(pol::Side s) { return s == pol::Side::machine ? machine : user; }

    // Options bit 1 disables the computer side, bit 0 the user side (backups only).
    bool side_disabled(pol::Side s) const;
    // The backup's FSObjectFile entry for a side's registry.pol, if Backup.xml has one.
    const FileEntry* registry_entry(pol::Side s) const;
};

// Well-known GPO GUIDs.
inline constexpr std::string_view k_default_domain_policy = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
inline constexpr std::string_view k_default_dc_policy = "{6AC1786C-016F-11D2-945F-00C04fB984F9}";

} // namespace gpokit::gpo
