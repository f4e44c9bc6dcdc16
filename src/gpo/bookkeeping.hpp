// The bookkeeping Windows needs after a side's settings change, or clients silently
// ignore the change ([MS-GPOL] 2.2.4, registry-pol.md "After a registry.pol changes").
// One module for every writer: offline edits of backups, SYSVOL folders and snapshots
// (gpo/edit.cpp) and `live push` (live/push.cpp).
//   - versions: the changed side's directory and SYSVOL halves both go to one above
//     the higher of the two, as the Group Policy editor leaves them (a backup's two
//     halves are always equal in real files, so each goes up by one);
//   - extension lists: a side with registry settings names the Registry CSE with the
//     side's tool GUID, and every other CSE that must process it (an ADMX policy's
//     clientExtension), merged into existing brackets, brackets and tools sorted;
//   - a new registry.pol is named as Windows names it where it goes;
//   - notes for people, typed: what was done, and what needs attention (a disabled
//     side, a stale gpreport.xml, a list that lives in AD).
#pragma once

#include "gpo/gpo.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

enum class NoteKind {
    created_file,         // a new registry.pol (subject: its path)
    version,              // a side's version went up (subject: the field)
    extensions,           // a side's extension list changed (subject: the field)
    file_entry,           // Backup.xml gained an FSObjectFile entry (subject: bkp:Location)
    side_disabled,        // the side is disabled in the GPO's options or flags
    report_stale,         // gpreport.xml now describes the old settings
    extensions_elsewhere, // the side's list is kept in AD, not in this folder
    not_atomic,           // the filesystem could not swap folders in one step
    versions_disagree,    // GPT.INI and versionNumber differ (before: GPT.INI's, after: the directory's)
};

// Whether a note needs the user's attention even when they did not ask for details.
bool needs_attention(NoteKind kind);

struct Note {
    NoteKind kind = NoteKind::version;
    pol::Side side = pol::Side::machine;
    Layout layout = Layout::backup;
    std::string subject; // the file or field, as shown to the user
    std::string before, after;
    SideVersion version_before, version_after; // NoteKind::version
};

// A side's version after its settings changed. Throws util::Error naming `where` when a
// half is at its limit (65535).
SideVersion bumped(const SideVersion& version, pol::Side side, const std::string& where);

// Both halves at the higher of the two (what a push leaves on a side it does not change).
SideVersion aligned(const SideVersion& version);

// The 32-bit numbers GPT.INI Version and versionNumber hold: user << 16 | machine.
std::uint32_t gpt_version(const SideVersion& machine, const SideVersion& user);
std::uint32_t directory_version(const SideVersion& machine, const SideVersion& user);

// (CSE, tool) pairs an extension list must hold for a kind of settings.
using ExtensionPairs = std::vector<std::pair<std::string, std::string>>;
// Registry settings: the Registry CSE and `extra` CSEs (an ADMX policy's
// clientExtension), each with the side's Administrative Templates tool.
ExtensionPairs registry_pairs(pol::Side side, const std::vector<std::string>& extra = {});
// A security template: the Security CSE with the Security tool (machine side).
ExtensionPairs security_pairs();

// The extension list `text` with `pairs` merged in; nullopt if all were there. Throws
// util::Error naming `where` for a malformed list.
std::optional<std::string> merged_extensions(const std::string& text, const ExtensionPairs& pairs,
                                             const std::string& where);

// The side's tool GUID for the Registry CSE.
std::string_view registry_tool(pol::Side side);

// The name of a new registry.pol: GPMC's backups write "registry.pol", the Group
// Policy editor on SYSVOL "Registry.pol".
std::string_view new_registry_pol_name(Layout layout);

struct SideBookkeeping {
    pol::Side side = pol::Side::machine;
    SideVersion before, after;
    std::optional<std::string> extensions_before; // as held (nullopt: not held here)
    std::optional<std::string> extensions_after;  // nullopt: unchanged (or not held here)
    std::vector<Note> notes;
};

// The bookkeeping of a side whose settings change. `extensions` is the list as the
// writer will find it (the GPO's own, or the live container's); `has_settings`: the new
// file holds settings (an emptied side needs no extension), which `pairs` then process.
// Throws util::Error (a version at its limit, a malformed list).
SideBookkeeping plan_side(const Gpo& gpo, pol::Side side, const std::optional<std::string>& extensions,
                          bool has_settings, const ExtensionPairs& pairs, const std::string& where);

} // namespace gpokit::gpo
