// LDAP to a domain controller through OpenLDAP's libldap.
//   --user: LDAPS (636) and a simple bind, the server's certificate verified against
//           the system's CA store or --ca-file (unless --insecure-tls);
//   Kerberos: LDAP (389) with a SASL GSSAPI bind from the ticket cache, signed and
//           sealed by Kerberos (which also authenticates the server).
// The naming context comes from the rootDSE, never from the user.
#pragma once

#include "live/connect.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

typedef struct ldap LDAP;

namespace gpokit::live {

struct Entry {
    std::string dn;
    std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
    // The first value of an attribute (names compare case-insensitively).
    const std::string* first(std::string_view name) const;
};

// One change of an LDAP modify.
struct Modification {
    enum Op { add, remove, replace } op = replace;
    std::string attribute;
    std::vector<std::string> values;
};

// An LDAP modify that failed because an attribute no longer held the value the
// modification named (someone else changed it first).
class ModifyConflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Directory {
public:
    struct Watchdog; // see m_watchdog
    // Connects and binds. Throws util::Error: the DC does not answer, the TLS
    // handshake fails, the credentials are refused.
    Directory(const std::string& host, const Credentials& credentials, const ConnectOptions& options);
    Directory(const Directory&) = delete;
    Directory& operator=(const Directory&) = delete;

    const std::string& host() const { return m_host; }
    // rootDSE defaultNamingContext, e.g. DC=corp,DC=example,DC=com.
    const std::string& naming_context() const { return m_naming_context; }
    // rootDSE configurationNamingContext (where sites are), or empty.
    const std::string& configuration_context() const { return m_configuration_context; }
    // The domain's DNS name, from the naming context.
    std::string dns_domain() const;

    enum class Scope { base, one_level, subtree };
    std::vector<Entry> search(const std::string& base, Scope scope, const std::string& filter,
                              const std::vector<std::string>& attributes);
    // Applies all modifications at once. Throws ModifyConflict when a removed value is
    // not there (or an added one already is), util::Error otherwise.
    void modify(const std::string& dn, const std::vector<Modification>& modifications);

private:
    [[noreturn]] void fail(int rc, const std::string& what) const;

    std::string m_host;
    std::string m_url;
    std::string m_naming_context;
    std::string m_configuration_context;
    int m_timeout = 0;
    struct Unbind {
        void operator()(LDAP* ld) const;
    };
    // libldap's timeouts do not cover the TLS handshake: a server that accepts the
    // connection and then stays silent would hold it forever (spinning, with a network
    // timeout set; the handshake blocks once connected, see watch_socket). The watchdog
    // shuts the socket down when connecting and binding take longer than the timeout.
    std::shared_ptr<Watchdog> m_watchdog;
    // Owned from ldap_initialize on, so a constructor that throws still unbinds.
    std::unique_ptr<LDAP, Unbind> m_handle;
    LDAP* m_ld = nullptr; // m_handle.get()
};

// Escapes a value for an LDAP search filter (RFC 4515).
std::string filter_escape(std::string_view value);

} // namespace gpokit::live
