// A bundle as one tar file (libarchive, POSIX pax format): names sorted, every entry
// under one top folder, times, owners and modes fixed, so the same bundle gives the same
// bytes. Reading one extracts into a private folder with gpokit's own checks: only
// regular files and folders, names relative and inside the top folder; every other entry
// (links, devices, "../", absolute names) is refused and reported, never written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gpokit::stage {

// Writes the files of `folder` into `tar` (created; must not exist) under `top`, each
// with modification time `mtime`. Throws util::Error.
void write_archive(const std::filesystem::path& folder, const std::filesystem::path& tar, const std::string& top,
                   long long mtime);

struct Extracted {
    std::filesystem::path folder;     // the bundle folder inside `into`
    std::vector<std::string> refused; // "NAME: why", entries not extracted
};

// Extracts `tar` into the empty folder `into`. Throws util::Error for a file that is
// not a readable tar archive.
Extracted extract_archive(const std::filesystem::path& tar, const std::filesystem::path& into);

} // namespace gpokit::stage
