// Private temporary folders for one run of gpokit (a live GPO read into a snapshot,
// the model of a live GPO a push checks against), removed when their owner — the
// per-run context — goes away. Never a global: whoever needs one is handed the owner.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace gpokit::util {

class TempFolders {
public:
    // Folders go under `base` ($TMPDIR, or /tmp).
    explicit TempFolders(std::filesystem::path base);
    ~TempFolders();
    TempFolders(const TempFolders&) = delete;
    TempFolders& operator=(const TempFolders&) = delete;

    // A new empty folder, mode 0700, named PREFIX-XXXXXX. Throws util::IoError naming
    // the base folder.
    std::filesystem::path make(std::string_view prefix);
    // Removes every folder made so far.
    void clear();

private:
    std::filesystem::path m_base;
    std::vector<std::filesystem::path> m_folders;
};

} // namespace gpokit::util
