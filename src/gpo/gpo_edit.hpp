// Registry edits inside a GPO with the bookkeeping Windows needs, or clients silently
// ignore the change ([MS-GPOL] 2.2.4, registry-pol.md "After a registry.pol changes"):
//   - the side's version goes up once: both halves of Machine/UserVersionNumber in a
//     backup's Backup.xml; the side's half of GPT.INI Version in a SYSVOL folder;
//   - the side's extension list names the Registry CSE with the side's tool GUID,
//     merged into an existing Registry bracket, brackets and tools sorted;
//   - a registry.pol the backup did not have gets its FSObjectFile entry in Backup.xml;
//   - gpreport.xml, Windows' snapshot, is reported stale (never rewritten).
// Everything else stays byte-identical (Backup.xml is edited by splices, never
// re-serialised). No change, no write. The whole edit lands at once or not at all
// (util/tree.hpp).
#pragma once

#include "gpo/gpo.hpp"
#include "pol/pol_file.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

struct FileWrite {
    std::filesystem::path relative; // under the GPO folder
    util::Bytes bytes;
};

struct GpoChange {
    bool changed = false;
    pol::PolFile before; // the side's registry.pol as it was (empty if it did not exist)
    pol::PolFile after;
    std::vector<FileWrite> writes;
    std::vector<std::string> notes; // what the bookkeeping did, for people
};

// The edit to a side's registry.pol; returns whether it changed anything.
using PolEdit = std::function<bool(pol::PolFile&)>;

// Works out every file the edit changes. Throws util::Error (malformed Backup.xml,
// extension list or GPT.INI, a version at its limit).
// `extra_extensions`: client-side extensions besides Registry that must process the GPO
// (an ADMX policy's clientExtension), listed with the side's Administrative Templates
// tool GUID.
GpoChange plan_edit(const Gpo& gpo, pol::Side side, const PolEdit& edit,
                    const std::vector<std::string>& extra_extensions = {});

// Applies a planned change: in place (swapping the GPO folder atomically) or, with
// `output`, into a new folder holding an edited copy of the whole GPO (`output` must not
// exist). Returns a note when the filesystem could not swap atomically. Throws util::Error;
// on failure the original is unchanged.
std::optional<std::string> commit(const Gpo& gpo, const GpoChange& change,
                                  const std::optional<std::filesystem::path>& output);

// The extension list `text` with the Registry CSE and the `extra` CSEs merged in, each
// with the side's Administrative Templates tool; nullopt if all were there. Throws
// util::Error naming `where` for a malformed list.
std::optional<std::string> merged_extensions(const std::string& text, pol::Side side, const std::string& where,
                                             const std::vector<std::string>& extra = {});

// The new version number of a side after one edit. Throws util::Error at the limit.
std::uint32_t bumped_version(const Gpo& gpo, pol::Side side);

} // namespace gpokit::gpo
