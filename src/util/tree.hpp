// Whole-folder operations for edits that change several files of a GPO at once.
//
// An edit builds the new GPO in a sibling folder named .gpokit-*, flushes it, and then
// swaps it with the original in one step (renameat2 RENAME_EXCHANGE), so a crash at any
// moment leaves the folder either as it was or as the edit made it; the old copy, left
// under the .gpokit-* name, is removed afterwards (and skipped by every reader if a
// crash left it behind).
#pragma once

#include "util/bytes.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::util {

// Copies a folder tree: regular files, symbolic links as links (never followed),
// folders, each with its metadata (util/metadata.hpp: extended attributes, owner,
// permissions, times). `to` must not exist. Throws util::Error.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

// Writes a file (creating or truncating it) and flushes it to disk. Errors name `shown`
// (the path itself when empty): a copy being built is named by the file it stands for.
// Throws util::IoError.
void write_file_durable(const std::filesystem::path& path, ByteView bytes, const std::string& shown = {});

// Flushes every file and folder under `dir`, and `dir` itself.
void sync_tree(const std::filesystem::path& dir);

// Flushes a folder's entries (after a rename inside it).
void sync_dir(const std::filesystem::path& dir);

// Atomically swaps two paths on the same filesystem. Returns false if the filesystem
// cannot (EINVAL/ENOSYS); throws util::Error on other failures.
bool exchange(const std::filesystem::path& a, const std::filesystem::path& b);

// A new, empty, unique folder beside `target`, named .gpokit-<name>-XXXXXX.
std::filesystem::path make_sibling_temp(const std::filesystem::path& target);

// True for a name gpokit gives its temporaries: a folder an edit is built in
// (.gpokit-NAME-XXXXXX) or a file written before it replaces another
// (.NAME.gpokit-XXXX-XXXX-XXXX). One left behind means a gpokit process was killed.
bool is_temporary_name(std::string_view name);

// gpokit's temporaries left below `root` (not following links), in order.
std::vector<std::filesystem::path> leftover_temporaries(const std::filesystem::path& root);

} // namespace gpokit::util
