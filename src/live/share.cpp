#include "live/share.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <libsmbclient.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <random>

namespace gpokit::live {

namespace {

void copy_into(char* out, int size, const std::string& text)
{
    if (size <= 0)
        return;
    const std::size_t n = std::min<std::size_t>(text.size(), static_cast<std::size_t>(size - 1));
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

// Percent-encodes a path component for an smb:// URL.
std::string encode(std::string_view part)
{
    std::string out;
    for (const char c : part) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
            out += c;
        else
            out += fmt::format("%{:02X}", u);
    }
    return out;
}

} // namespace

void auth_callback(SMBCCTX* ctx, const char*, const char*, char* workgroup, int workgroup_len, char* user,
                   int user_len, char* password, int password_len)
{
    const auto* self = static_cast<const Share*>(smbc_getOptionUserData(ctx));
    if (!self || self->m_credentials.kerberos)
        return;
    std::string name = self->m_credentials.user;
    std::string domain;
    if (const auto slash = name.find('\\'); slash != std::string::npos) {
        domain = name.substr(0, slash);
        name = name.substr(slash + 1);
    }
    copy_into(workgroup, workgroup_len, domain);
    copy_into(user, user_len, name);
    copy_into(password, password_len, self->m_credentials.password);
}

Share::Share(const std::string& host, const std::string& share, const Credentials& cred, const ConnectOptions& o)
    : m_host(host), m_share(share), m_credentials(cred)
{
    m_ctx = smbc_new_context();
    if (!m_ctx)
        throw util::Error(fmt::format("//{}/{}: cannot set up an SMB client: {}", host, share, std::strerror(errno)));
    smbc_setDebug(m_ctx, 0);
    smbc_setTimeout(m_ctx, o.timeout_seconds * 1000);
    smbc_setOptionUserData(m_ctx, this);
    smbc_setFunctionAuthDataWithContext(m_ctx, auth_callback);
    smbc_setOptionNoAutoAnonymousLogin(m_ctx, 1);
    smbc_setOptionUseKerberos(m_ctx, cred.kerberos ? 1 : 0);
    smbc_setOptionFallbackAfterKerberos(m_ctx, 0);
    smbc_setOptionUseCCache(m_ctx, cred.kerberos ? 1 : 0);
    if (!smbc_init_context(m_ctx)) {
        const int e = errno;
        smbc_free_context(m_ctx, 1);
        m_ctx = nullptr;
        throw util::Error(fmt::format("//{}/{}: cannot set up an SMB client: {}", host, share, std::strerror(e)));
    }
}

Share::~Share()
{
    if (m_ctx)
        smbc_free_context(m_ctx, 1);
}

std::string Share::display(const std::string& path) const
{
    return fmt::format("//{}/{}/{}", m_host, m_share, path);
}

std::string Share::url(const std::string& path) const
{
    return fmt::format("smb://{}/{}/{}", m_host, encode(m_share), encode(path));
}

void Share::fail(const std::string& path, const std::string& what, int error) const
{
    std::string reason = std::strerror(error);
    switch (error) {
    case EACCES:
    case EPERM:
        reason += m_credentials.kerberos ? " (is your Kerberos ticket valid? run klist)"
                                         : " (is the user name or password wrong, or the user not allowed?)";
        break;
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ETIMEDOUT:
        reason += ": the domain controller does not answer on SMB (445)";
        break;
    default:
        break;
    }
    throw util::Error(fmt::format("{}: {}: {}", display(path), what, reason));
}

std::optional<util::Bytes> Share::read_if_exists(const std::string& path)
{
    SMBCFILE* f = smbc_getFunctionOpen(m_ctx)(m_ctx, url(path).c_str(), O_RDONLY, 0);
    if (!f) {
        if (errno == ENOENT)
            return std::nullopt;
        fail(path, "cannot open", errno);
    }
    util::Bytes bytes;
    std::byte buf[65536];
    for (;;) {
        const ssize_t n = smbc_getFunctionRead(m_ctx)(m_ctx, f, buf, sizeof buf);
        if (n < 0) {
            const int e = errno;
            smbc_getFunctionClose(m_ctx)(m_ctx, f);
            fail(path, "read failed", e);
        }
        if (n == 0)
            break;
        bytes.insert(bytes.end(), buf, buf + n);
    }
    smbc_getFunctionClose(m_ctx)(m_ctx, f);
    return bytes;
}

util::Bytes Share::read(const std::string& path)
{
    auto bytes = read_if_exists(path);
    if (!bytes)
        fail(path, "cannot open", ENOENT);
    return std::move(*bytes);
}

std::vector<Share::Item> Share::list(const std::string& path)
{
    SMBCFILE* d = smbc_getFunctionOpendir(m_ctx)(m_ctx, url(path).c_str());
    if (!d)
        fail(path, "cannot list the folder", errno);
    std::vector<Item> items;
    while (smbc_dirent* e = smbc_getFunctionReaddir(m_ctx)(m_ctx, d)) {
        const std::string name(e->name);
        if (name == "." || name == "..")
            continue;
        if (e->smbc_type == SMBC_DIR)
            items.push_back({name, true});
        else if (e->smbc_type == SMBC_FILE)
            items.push_back({name, false});
    }
    smbc_getFunctionClosedir(m_ctx)(m_ctx, d);
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.name < b.name; });
    return items;
}

void Share::make_folder(const std::string& path)
{
    if (smbc_getFunctionMkdir(m_ctx)(m_ctx, url(path).c_str(), 0755) != 0 && errno != EEXIST)
        fail(path, "cannot create the folder", errno);
}

bool Share::create_new(const std::string& path, const util::Bytes& bytes)
{
    SMBCFILE* f = smbc_getFunctionOpen(m_ctx)(m_ctx, url(path).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (!f) {
        if (errno == EEXIST)
            return false;
        fail(path, "cannot create", errno);
    }
    const ssize_t n = smbc_getFunctionWrite(m_ctx)(m_ctx, f, bytes.data(), bytes.size());
    const int e = errno;
    const int closed = smbc_getFunctionClose(m_ctx)(m_ctx, f);
    if (n != static_cast<ssize_t>(bytes.size()) || closed != 0) {
        smbc_getFunctionUnlink(m_ctx)(m_ctx, url(path).c_str()); // created, so it is ours to remove
        fail(path, "write failed", n < 0 ? e : EIO);
    }
    return true;
}

void Share::remove(const std::string& path)
{
    if (smbc_getFunctionUnlink(m_ctx)(m_ctx, url(path).c_str()) != 0 && errno != ENOENT)
        fail(path, "cannot remove", errno);
}

void Share::write(const std::string& path, const util::Bytes& bytes, bool replaces)
{
    // A name of its own, so that two writers never share (or delete) a temporary file.
    std::random_device random;
    const std::string temp = fmt::format("{}{}{:08x}", path, k_temporary_infix, random());
    SMBCFILE* f = smbc_getFunctionOpen(m_ctx)(m_ctx, url(temp).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (!f)
        fail(temp, "cannot create", errno);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = smbc_getFunctionWrite(m_ctx)(m_ctx, f, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            smbc_getFunctionClose(m_ctx)(m_ctx, f);
            smbc_getFunctionUnlink(m_ctx)(m_ctx, url(temp).c_str());
            fail(temp, "write failed", e);
        }
        done += static_cast<std::size_t>(n);
    }
    if (smbc_getFunctionClose(m_ctx)(m_ctx, f) != 0) {
        const int e = errno;
        smbc_getFunctionUnlink(m_ctx)(m_ctx, url(temp).c_str());
        fail(temp, "write failed", e);
    }
    // libsmbclient replaces an existing target by removing it first: a failure
    // between the two steps leaves the new content under the temporary name.
    // libsmbclient replaces by removing the old file and renaming; while a client still
    // has the old file open, its name lingers (delete pending) and the rename fails for
    // a moment: try again briefly.
    int renamed = -1;
    for (int attempt = 0; attempt < 20; ++attempt) {
        renamed = smbc_getFunctionRename(m_ctx)(m_ctx, url(temp).c_str(), m_ctx, url(path).c_str());
        if (renamed == 0 || (errno != EEXIST && errno != EBUSY))
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (renamed != 0) {
        const int e = errno;
        std::optional<bool> exists;
        try {
            exists = read_if_exists(path).has_value();
        } catch (const util::Error&) {
            // the rename's own error is the one to report
        }
        if (replaces && exists && !*exists)
            fail(path, fmt::format("the old file was removed but the new one could not be renamed into place; "
                                   "its content is in {}",
                                   display(temp)),
                 e);
        smbc_getFunctionUnlink(m_ctx)(m_ctx, url(temp).c_str());
        fail(path, replaces ? "cannot replace" : "cannot create", e);
    }
}

} // namespace gpokit::live
