// The model of one GPO as gpokit reads it: from a GPMC backup folder ({BACKUP-ID}/
// with Backup.xml), a SYSVOL GPO folder (GPT.INI + Machine/ + User/), a `live fetch`
// snapshot, or a domain controller (read into a private snapshot by live/). Readers
// (gpo/load.cpp, gpo/snapshot.cpp) fill it; edits, lint, diff and renderers work on it.
// Paths in it are real local paths under the GPO folder, already checked not to leave
// it; `shown` names them for the user.
#pragma once

#include "gpo/security.hpp"
#include "pol/text_forms.hpp"
#include "util/error.hpp"
#include "util/shown_paths.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

// How a GPO's files are laid out: a backup keeps them under DomainSysvol/GPO with
// Backup.xml beside; a SYSVOL folder (also inside a snapshot) has GPT.INI at the top.
enum class Layout { backup, sysvol };

// A side's version. Windows counts each side twice: in the directory (the AD
// container's versionNumber; a backup's low 16 bits) and in SYSVOL (GPT.INI Version;
// a backup's high 16 bits). Clients compare both; after an edit they agree.
struct SideVersion {
    std::optional<std::uint16_t> directory; // unknown for a SYSVOL folder read without AD
    std::uint16_t sysvol = 0;

    std::uint16_t highest() const { return directory && *directory > sysvol ? *directory : sysvol; }
    // A backup's Machine/UserVersionNumber: (sysvol << 16) | directory.
    std::uint32_t backup_number() const { return (std::uint32_t{sysvol} << 16) | directory.value_or(0); }
    friend bool operator==(const SideVersion&, const SideVersion&) = default;
};

// Where a side's extension list (gPCMachineExtensionNames / gPCUserExtensionNames) is kept.
enum class ExtensionsHome {
    backup_xml, // Backup.xml Machine/UserExtensionGuids
    gpt_ini,    // GPT.INI gPC*ExtensionNames (a local GPO)
    directory,  // the AD container (a snapshot records it; a live GPO holds it)
    elsewhere,  // a domain GPO's SYSVOL folder read without AD: the list is not here
};

struct GpoSide {
    // The side's folder (Machine/ or User/ under DomainSysvol/GPO or the GPO folder),
    // in the case found on disk; where a new one goes if absent.
    std::filesystem::path folder;
    // The side's registry.pol, if it exists (its name's case as found on disk).
    std::optional<std::filesystem::path> registry_pol;
    SideVersion version;
    // The extension list text, where the source holds one (see `extensions_home`).
    std::optional<std::string> extensions;
    ExtensionsHome extensions_home = ExtensionsHome::elsewhere;
};

struct FileEntry {             // a Backup.xml FSObjectFile
    std::string extension_id;  // the GroupPolicyExtension's bkp:ID
    std::string extension_name;
    std::string path;          // bkp:Path
    std::string source_expanded_path;
    std::string location;      // bkp:Location (relative to the backup folder), may be empty
    util::Position where;      // the element in Backup.xml
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
    util::Position where; // bkupInfo.xml's <BackupInst>, where its fields are
};

// A registry value gpreport.xml lists as a plain RegistrySetting (not mapped to an ADMX policy).
struct ReportRegistryValue {
    pol::Side side = pol::Side::machine;
    std::string key;
    std::string name;
    std::optional<std::uint64_t> number; // <Number>
    std::optional<std::string> text;     // <String>
    util::Position where;                 // the setting in gpreport.xml
};

// gpreport.xml: Windows' own report of the GPO when the backup was taken.
struct Report {
    std::filesystem::path path;
    std::optional<std::uint16_t> machine_directory, machine_sysvol, user_directory, user_sysvol;
    util::Position versions_at; // the <Computer> element, where the versions are
    std::vector<ReportRegistryValue> registry_values;
    // Why the report could not be read (lint reports it; nothing else needs the report).
    std::optional<util::Error> problem;
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
    Layout layout = Layout::backup;
    std::filesystem::path dir; // the backup folder or the SYSVOL GPO folder
    util::ShownPaths shown;    // how its files are named in messages
    std::string guid;          // the GPO's GUID
    std::string display_name;
    std::string domain;
    // Backup.xml Options / the container's flags: bit 0 user side off, bit 1 computer side off.
    std::optional<std::uint32_t> options;
    GpoSide machine;
    GpoSide user;

    // Who may read, apply and edit it (the bytes of a self-relative security descriptor:
    // Backup.xml <SecurityDescriptor>, or the container's nTSecurityDescriptor), and
    // the WMI filter that narrows where it applies (Backup.xml <WMIFilter>, gPCWQLFilter);
    // nullopt where the source does not say.
    std::optional<util::Bytes> security_descriptor;
    std::optional<std::string> wmi_filter;

    // Backups only.
    std::string backup_id; // the folder name
    std::vector<SecurityGroup> security_groups; // <SecurityGroups>: the SIDs the descriptor names
    std::vector<std::string> file_paths;        // <FilePaths>: UNC paths the GPO's settings name
    std::optional<BackupInfo> info;
    std::vector<FileEntry> files;
    std::optional<Report> report;

    // GPOs read from a domain controller (live://, or a snapshot of one).
    std::optional<DirectoryObject> directory;

    const GpoSide& side(pol::Side s) const { return s == pol::Side::machine ? machine : user; }
    GpoSide& side(pol::Side s) { return s == pol::Side::machine ? machine : user; }

    // The name to show for a file of this GPO.
    std::string name_of(const std::filesystem::path& path) const { return shown(path); }
    bool side_disabled(pol::Side s) const;
    // The backup's FSObjectFile entry for a side's registry.pol, if Backup.xml has one
    // (by its bkp:Location, DomainSysvol\GPO\Machine\registry.pol).
    const FileEntry* registry_entry(pol::Side s) const;
    // An entry that names the side's registry.pol by its bkp:Path
    // (%GPO_MACH_FSPATH%\registry.pol) but puts it elsewhere: an edit cannot tell which
    // is meant.
    const FileEntry* misplaced_registry_entry(pol::Side s) const;
};

// Well-known GPO GUIDs.
inline constexpr std::string_view k_default_domain_policy = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
inline constexpr std::string_view k_default_dc_policy = "{6AC1786C-016F-11D2-945F-00C04fB984F9}";

const char* side_name(pol::Side s); // "machine" / "user"

} // namespace gpokit::gpo
