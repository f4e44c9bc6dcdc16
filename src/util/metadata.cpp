#include "util/metadata.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace gpokit::util {

namespace fs = std::filesystem;

namespace {

IoError failure(const fs::path& p, std::string_view doing)
{
    return io_error(std::error_code(errno, std::generic_category()), display_path(p), doing);
}

// The names of a file's extended attributes ("" separated by NULs in the kernel's list).
std::vector<std::string> attribute_names(const fs::path& p)
{
    for (;;) {
        const ssize_t size = ::llistxattr(p.c_str(), nullptr, 0);
        if (size < 0) {
            if (errno == ENOTSUP)
                return {};
            throw failure(p, "list the extended attributes of");
        }
        std::string list(static_cast<std::size_t>(size), '\0');
        const ssize_t got = size == 0 ? 0 : ::llistxattr(p.c_str(), list.data(), list.size());
        if (got < 0 && errno == ERANGE)
            continue; // grew in between
        if (got < 0)
            throw failure(p, "list the extended attributes of");
        std::vector<std::string> names;
        for (std::size_t start = 0; start < static_cast<std::size_t>(got);) {
            const std::size_t end = list.find('\0', start);
            names.push_back(list.substr(start, end - start));
            start = end + 1;
        }
        return names;
    }
}

void copy_attributes(const fs::path& from, const fs::path& to)
{
    for (const auto& name : attribute_names(from)) {
        std::vector<char> value;
        for (;;) {
            const ssize_t size = ::lgetxattr(from.c_str(), name.c_str(), nullptr, 0);
            if (size < 0)
                throw failure(from, "read the extended attribute " + name + " of");
            value.resize(static_cast<std::size_t>(size));
            const ssize_t got = size == 0 ? 0 : ::lgetxattr(from.c_str(), name.c_str(), value.data(), value.size());
            if (got < 0 && errno == ERANGE)
                continue;
            if (got < 0)
                throw failure(from, "read the extended attribute " + name + " of");
            value.resize(static_cast<std::size_t>(got));
            break;
        }
        if (::lsetxattr(to.c_str(), name.c_str(), value.data(), value.size(), 0) != 0)
            throw failure(from, "keep the extended attribute " + name + " of");
    }
}

} // namespace

void copy_metadata(const fs::path& from, const fs::path& to, const Keep& keep)
{
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0)
        throw failure(from, "read the attributes of");
    copy_attributes(from, to);
    struct stat now {};
    if (::lstat(to.c_str(), &now) != 0)
        throw failure(from, "read the attributes of the copy of");
    if ((now.st_uid != st.st_uid || now.st_gid != st.st_gid) && ::lchown(to.c_str(), st.st_uid, st.st_gid) != 0)
        throw failure(from, "keep the owner and group of");
    // A symbolic link's own mode means nothing on Linux; chown above can clear set-id bits,
    // so the mode is set after it.
    if (!S_ISLNK(st.st_mode) && ::chmod(to.c_str(), st.st_mode & 07777) != 0)
        throw failure(from, "keep the permissions of");
    if (keep.times) {
        const struct timespec times[2] = {st.st_atim, st.st_mtim};
        if (::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
            throw failure(from, "keep the modification time of");
    }
}

FolderLock::FolderLock(const fs::path& folder)
{
    m_fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0)
        throw failure(folder, "open");
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        const IoError e = failure(folder, "lock");
        ::close(m_fd);
        throw e;
    }
}

FolderLock::~FolderLock()
{
    ::close(m_fd); // releases the lock
}

} // namespace gpokit::util
