// A snapshot of a live GPO, as `gpokit live fetch` writes it: the GPO's SYSVOL folder
// in SYSVOL layout (<domain>/Policies/{GUID}/GPT.INI, Machine/, User/, ...) and, at
// the top, gpokit-snapshot.json with the groupPolicyContainer attributes and a list of
// the files. Nothing in it depends on when it was taken, so fetching an unchanged GPO
// twice gives the same bytes. Reading a snapshot gives a SYSVOL GPO whose extension
// lists come from the directory, as a client sees them — or, after an offline edit,
// as the edit left them ("edited_attributes"), so that a diff of the edited snapshot
// against the live GPO after `live push` is empty.
#pragma once

#include "gpo/gpo.hpp"
#include "util/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

inline constexpr std::string_view k_snapshot_file = "gpokit-snapshot.json";

struct SnapshotFile {
    std::string path; // relative to the GPO folder, '/'-separated
    std::uint64_t size = 0;
};

struct Snapshot {
    DirectoryObject object; // as fetched: what a push checks the live GPO against
    std::string domain;   // DNS name
    std::string guid;     // {GUID}
    std::string gpo_path; // the GPO folder, relative to the snapshot, '/'-separated
    std::vector<SnapshotFile> files;
    // What offline edits of the snapshot changed in the directory's part of the GPO (the
    // extension lists), in the order first set: what `live push` will write there, and
    // what the snapshot reads as.
    std::vector<std::pair<std::string, std::string>> edited;
    void set_edited(const std::string& attribute, const std::string& value);
};

// The metadata file's bytes (JSON, fixed member order, LF line ends).
util::Bytes snapshot_json(const Snapshot& snapshot);

// Parses the metadata file. Throws util::Error naming `origin` and the position.
Snapshot parse_snapshot(const util::Bytes& bytes, const std::string& origin);

// The snapshot folders directly inside `dir` (a `live fetch --all` folder), sorted.
// Throws util::Error when `dir` cannot be listed.
std::vector<std::filesystem::path> snapshot_folders(const std::filesystem::path& dir);

// Reads a snapshot folder (the one holding gpokit-snapshot.json); messages name its
// files through `shown`. Throws util::Error.
Gpo load_snapshot(const std::filesystem::path& dir, util::ShownPaths shown = {});

} // namespace gpokit::gpo
