#include "util/file_io.hpp"

#include "util/error.hpp"
#include "util/metadata.hpp"
#include "util/signals.hpp"

#include <boost/filesystem/operations.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <optional>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gpokit::util {

namespace {

std::string errno_text(int err)
{
    return std::strerror(err);
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int get() const { return m_fd; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

void write_all(int fd, ByteView bytes, const std::string& where)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw io_error(std::error_code(errno, std::generic_category()), where, "write");
        }
        done += static_cast<std::size_t>(n);
    }
}

Bytes read_all(int fd, const std::string& where, std::size_t size_hint)
{
    Bytes out;
    out.reserve(size_hint + 1);
    prefer_huge_pages(out.data(), out.capacity());
    out.resize(size_hint + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == out.size())
            out.resize(out.size() * 2 + 4096);
        const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw io_error(std::error_code(errno, std::generic_category()), where, "read");
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
    }
    out.resize(used);
    return out;
}

} // namespace

Bytes read_input(const std::filesystem::path& path, std::uint64_t max_size)
{
    const std::string where = display_path(path);
    // Blocking: the user named this input (a pipe from a password manager, /dev/stdin).
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0)
        throw io_error(std::error_code(errno, std::generic_category()), where, "open");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw io_error(std::error_code(errno, std::generic_category()), where, "stat");
    if (S_ISDIR(st.st_mode))
        throw Error(fmt::format("{}: is a directory, not a file", where));
    Bytes out = read_all(fd.get(), where, S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 4096);
    if (out.size() > max_size)
        throw Error(fmt::format("{}: more than {} bytes; not read", where, max_size));
    return out;
}

std::string display_path(const std::filesystem::path& path)
{
    return path.generic_string();
}

Bytes read_file(const std::filesystem::path& path, const std::string& shown, std::uint64_t max_size)
{
    const std::string where = shown.empty() ? display_path(path) : shown;
    const auto fail = [&](std::string_view doing) {
        return io_error(std::error_code(errno, std::generic_category()), where, doing);
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (fd.get() < 0)
        throw fail("open");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw fail("stat");
    if (S_ISDIR(st.st_mode))
        throw Error(fmt::format("{}: is a directory, not a file", where));
    if (!S_ISREG(st.st_mode))
        throw Error(fmt::format("{}: not a regular file (a pipe, socket or device); gpokit reads only files", where));
    if (static_cast<std::uint64_t>(st.st_size) > max_size)
        throw Error(fmt::format("{}: {} bytes, more than the {} bytes a file of its kind can hold; not read", where,
                                st.st_size, max_size));
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0)
        ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    try {
        Bytes out = read_all(fd.get(), where, static_cast<std::size_t>(st.st_size));
        if (out.size() > max_size)
            throw Error(fmt::format("{}: grew past {} bytes while it was read; not read", where, max_size));
        return out;
    } catch (const std::bad_alloc&) {
        throw Error(fmt::format("{}: out of memory reading its {} bytes", where, st.st_size));
    }
}

void write_file_atomic(const std::filesystem::path& requested, ByteView bytes)
{
    const std::string where = display_path(requested);
    // A symbolic link is followed: the file it names is replaced, the link stays.
    std::filesystem::path path = requested;
    std::error_code ec;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(requested, ec))) {
        path = std::filesystem::weakly_canonical(requested, ec);
        if (ec)
            throw Error(fmt::format("{}: cannot follow the symbolic link: {}", where, ec.message()));
    }
    std::filesystem::path dir = path.parent_path();
    if (dir.empty())
        dir = ".";

    // An existing file keeps its permission bits; a new one gets 0666 less the umask.
    std::optional<mode_t> keep_mode;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            throw Error(fmt::format("{}: is a directory, not a file", where));
        keep_mode = st.st_mode & 07777;
    }
    const mode_t mode = keep_mode ? *keep_mode : 0666;

    const auto model = "." + path.filename().string() + ".gpokit-%%%%-%%%%-%%%%";
    const std::filesystem::path tmp =
        dir / boost::filesystem::unique_path(model).string();
    const HoldSignals hold; // the temporary file is renamed or removed before a signal ends the program
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0)
        throw Error(fmt::format("{}: cannot create a temporary file in {}: {}", where,
                                display_path(dir), errno_text(errno)));
    try {
        write_all(fd.get(), bytes, where);
        // The replaced file's extended attributes (a SYSVOL file's ACL), owner and
        // permissions go to the new one; its times do not (its bytes are new).
        if (keep_mode)
            copy_metadata(path, tmp, Keep{false});
        if ((keep_mode && ::fchmod(fd.get(), *keep_mode) != 0) || ::fsync(fd.get()) != 0)
            throw Error(fmt::format("{}: cannot flush: {}", where, errno_text(errno)));
        if (::close(fd.release()) != 0)
            throw Error(fmt::format("{}: cannot close: {}", where, errno_text(errno)));
        if (::rename(tmp.c_str(), path.c_str()) != 0)
            throw Error(fmt::format("{}: cannot replace: {}", where, errno_text(errno)));
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() >= 0)
        ::fsync(dfd.get());
}

} // namespace gpokit::util
