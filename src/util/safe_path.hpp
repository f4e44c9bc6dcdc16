// Paths that come from untrusted files (Backup.xml's bkp:Location, bkp:Path) or that
// Windows treats case-insensitively, resolved inside a base folder and never outside it.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace gpokit::util {

// The entry of `dir` whose name equals `name` case-insensitively (ASCII), preferring an
// exact match; nullopt if there is none.
std::optional<std::filesystem::path> find_child(const std::filesystem::path& dir, std::string_view name);

// Resolves a relative path written with '\' or '/' inside `base`, matching each
// component case-insensitively against what exists. Throws util::Error if the path is
// absolute, has a drive letter, a ".." component, or passes through a symbolic link.
// Components that do not exist are kept as written.
std::filesystem::path resolve_inside(const std::filesystem::path& base, std::string_view relative);

// True if `path` (which must exist) is `base` or lies below it once symbolic links are
// resolved.
bool is_inside(const std::filesystem::path& base, const std::filesystem::path& path);

// `path` as an absolute, normal folder path without a trailing separator, so that
// parent_path() is the folder above and filename() its own name ("a/b/" and "a/b/." give
// the same as "a/b").
std::filesystem::path folder_path(const std::filesystem::path& path);

} // namespace gpokit::util
