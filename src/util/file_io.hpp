// Whole-file reads and crash-safe writes.
//
// A write never modifies the target in place: the new bytes go to a temporary file
// in the same directory, which is flushed (fsync) and then renamed over the target,
// and the directory is flushed too. A crash at any moment leaves either the old file
// or the new one, never a mixture. The temporary file takes the target's permission
// bits when it replaces an existing file.
#pragma once

#include "util/bytes.hpp"

#include <filesystem>
#include <string>

namespace gpokit::util {

// Reads a whole file. Throws util::Error naming the path on any failure.
Bytes read_file(const std::filesystem::path& path);

// Replaces (or creates) `path` with `bytes` atomically, as described above.
// Throws util::Error naming the path; on failure the target is unchanged.
void write_file_atomic(const std::filesystem::path& path, ByteView bytes);

// Reads standard input to the end.
Bytes read_stdin();

// The path as the user should see it in messages (generic form, as given).
std::string display_path(const std::filesystem::path& path);

} // namespace gpokit::util
