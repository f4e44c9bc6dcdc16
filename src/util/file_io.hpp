// Whole-file reads and crash-safe writes.
//
// A write never modifies the target in place: the new bytes go to a temporary file
// in the same directory, which is flushed (fsync) and then renamed over the target,
// and the directory is flushed too. A crash at any moment leaves either the old file
// or the new one, never a mixture. The temporary file takes the target's permission
// bits when it replaces an existing file.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace gpokit::util {

// The largest file gpokit reads unless told otherwise: far above any real GPO file
// (the largest registry.pol in the wild is well under 1 MB).
inline constexpr std::uint64_t k_max_file_size = 1ull << 30;

// Reads a whole regular file (a FIFO, socket or device is refused, never waited on;
// so is a file larger than `max_size`). Errors name `shown` (the path itself when
// empty). Throws util::Error, util::IoError.
Bytes read_file(const std::filesystem::path& path, const std::string& shown = {},
                std::uint64_t max_size = k_max_file_size);

// Reads an input the user named on the command line (a password file, text to build
// from): a file, or a pipe such as `<(command)` or /dev/stdin. Throws util::Error.
Bytes read_input(const std::filesystem::path& path, std::uint64_t max_size = k_max_file_size);

// Replaces (or creates) `path` with `bytes` atomically, as described above.
// Throws util::Error naming the path; on failure the target is unchanged.
void write_file_atomic(const std::filesystem::path& path, ByteView bytes);

// The path as the user should see it in messages (generic form, as given).
std::string display_path(const std::filesystem::path& path);

} // namespace gpokit::util
