// What a file carries besides its bytes, kept when gpokit replaces or copies it:
// extended attributes in every namespace the process may read and write (user.*, and
// as root security.* and trusted.* — Samba keeps a SYSVOL file's Windows ACL in
// security.NTACL), the owner and group, the permission bits, and the access and
// modification times. An edit that loses any of these on a domain controller's SYSVOL
// changes who may read a policy, so nothing here is best effort: what cannot be kept
// is an error naming the file.
//
// And a lock for editors: an advisory lock on a folder, held while an edit checks
// that the files it read are unchanged and swaps its result in.
#pragma once

#include <filesystem>

namespace gpokit::util {

struct Keep {
    bool times = true; // the modification and access times (not for a file whose bytes change)
};

// Gives `to` the metadata of `from` (files, folders and symbolic links alike; links are
// never followed). Throws util::IoError naming `from` (`to` is gpokit's own copy).
void copy_metadata(const std::filesystem::path& from, const std::filesystem::path& to, const Keep& keep = {});

// An exclusive advisory lock (flock) on a folder, held until destruction. Waits for
// another holder. Throws util::IoError naming the folder.
class FolderLock {
public:
    explicit FolderLock(const std::filesystem::path& folder);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int m_fd = -1;
};

} // namespace gpokit::util
