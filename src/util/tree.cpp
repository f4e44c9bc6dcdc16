#include "util/tree.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/metadata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gpokit::util {

namespace fs = std::filesystem;

namespace {

void fsync_path(const fs::path& p, bool directory)
{
    const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

void copy_tree(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
    fs::create_directory(to, ec);
    if (ec)
        throw io_error(ec, display_path(from), "copy");
    for (const auto& entry : fs::directory_iterator(from)) {
        const auto status = entry.symlink_status();
        const fs::path target = to / entry.path().filename();
        if (fs::is_symlink(status)) {
            fs::copy_symlink(entry.path(), target, ec);
        } else if (fs::is_directory(status)) {
            copy_tree(entry.path(), target);
            continue; // its metadata is set once its content is there
        } else if (fs::is_regular_file(status)) {
            fs::copy_file(entry.path(), target, ec);
        } else {
            // Never dropped silently from a copy: a GPO holds files, folders and links only.
            throw Error(fmt::format("{}: not a regular file (a pipe, socket or device); gpokit copies only files, "
                                    "folders and links",
                                    display_path(entry.path())));
        }
        if (ec)
            throw io_error(ec, display_path(entry.path()), "copy");
        copy_metadata(entry.path(), target);
    }
    copy_metadata(from, to);
}

void write_file_durable(const fs::path& path, ByteView bytes, const std::string& shown)
{
    const std::string where = shown.empty() ? display_path(path) : shown;
    const auto fail = [&](std::string_view doing) {
        return io_error(std::error_code(errno, std::generic_category()), where, doing);
    };
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw fail("create");
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const IoError e = fail("write");
            ::close(fd);
            throw e;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const IoError e = fail("flush");
        ::close(fd);
        throw e;
    }
    if (::close(fd) != 0)
        throw fail("flush");
}

void sync_tree(const fs::path& dir)
{
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (fs::is_regular_file(status))
            fsync_path(it->path(), false);
        else if (fs::is_directory(status))
            fsync_path(it->path(), true);
    }
    fsync_path(dir, true);
}

void sync_dir(const fs::path& dir)
{
    fsync_path(dir.empty() ? fs::path(".") : dir, true);
}

bool exchange(const fs::path& a, const fs::path& b)
{
#ifdef SYS_renameat2
    constexpr unsigned k_rename_exchange = 1u << 1; // RENAME_EXCHANGE
    if (::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), k_rename_exchange) == 0)
        return true;
    if (errno == EINVAL || errno == ENOSYS)
        return false;
    throw Error(fmt::format("{}: cannot swap with {}: {}", display_path(b), display_path(a), std::strerror(errno)));
#else
    (void)a;
    (void)b;
    return false;
#endif
}

bool is_temporary_name(std::string_view name)
{
    if (name.rfind(".gpokit-", 0) == 0)
        return true;
    // .NAME.gpokit-XXXX-XXXX-XXXX (write_file_atomic)
    const auto at = name.rfind(".gpokit-");
    return name.size() > 1 && name.front() == '.' && at != std::string_view::npos && at > 0 &&
           name.size() - at == std::string_view(".gpokit-XXXX-XXXX-XXXX").size();
}

std::vector<fs::path> leftover_temporaries(const fs::path& root)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (!is_temporary_name(it->path().filename().string()))
            continue;
        out.push_back(it->path());
        if (it->is_directory(ec) && !it->is_symlink(ec))
            it.disable_recursion_pending();
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path make_sibling_temp(const fs::path& target)
{
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    std::string model = (parent / (".gpokit-" + target.filename().string() + "-XXXXXX")).string();
    if (::mkdtemp(model.data()) == nullptr)
        throw io_error(std::error_code(errno, std::generic_category()), display_path(parent),
                       "create the folder an edit is built in beside " + target.filename().string());
    return model;
}

} // namespace gpokit::util
