// Files on a domain controller's SYSVOL share, through Samba's libsmbclient:
// Kerberos from the ticket cache, or NTLM with --user and its password. Paths are
// '/'-separated and relative to the share.
#pragma once

#include "live/connect.hpp"
#include "util/bytes.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct _SMBCCTX SMBCCTX;

namespace gpokit::live {

// What Share::write puts in the names of its temporary files, and the lock file a push
// holds in the GPO's folder; `live fetch` leaves both out of a snapshot.
inline constexpr std::string_view k_temporary_infix = ".gpokit-new-";
inline constexpr std::string_view k_push_lock = "gpokit-push.lock";

class Share {
public:
    // Prepares the client; the first call connects. Throws util::Error.
    Share(const std::string& host, const std::string& share, const Credentials& credentials,
          const ConnectOptions& options);
    ~Share();
    Share(const Share&) = delete;
    Share& operator=(const Share&) = delete;

    const std::string& name() const { return m_share; }
    // "//HOST/share/path" for messages.
    std::string display(const std::string& path) const;

    // Reads a whole file. Throws util::Error (nullopt from read_if_exists when absent).
    util::Bytes read(const std::string& path);
    std::optional<util::Bytes> read_if_exists(const std::string& path);

    struct Item {
        std::string name;
        bool folder = false;
    };
    // A folder's entries, without "." and "..". Throws util::Error.
    std::vector<Item> list(const std::string& path);

    // Writes `path` through a temporary file beside it, renamed over the old one
    // (`replaces`: the file exists). Throws util::Error; the old file is then unchanged
    // unless the message says so.
    void write(const std::string& path, const util::Bytes& bytes, bool replaces);
    void make_folder(const std::string& path);
    // Creates a file that must not exist yet; false if it does. Throws util::Error.
    bool create_new(const std::string& path, const util::Bytes& bytes);
    void remove(const std::string& path);

private:
    std::string url(const std::string& path) const;
    [[noreturn]] void fail(const std::string& path, const std::string& what, int error) const;

    std::string m_host;
    std::string m_share;
    Credentials m_credentials;
    std::string m_domain_hint;
    SMBCCTX* m_ctx = nullptr;
    friend void auth_callback(SMBCCTX*, const char*, const char*, char*, int, char*, int, char*, int);
};

} // namespace gpokit::live
