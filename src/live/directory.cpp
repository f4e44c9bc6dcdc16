#include "live/directory.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"

#include <fmt/format.h>
#include <ldap.h>
#include <sasl/sasl.h>

#include <netdb.h>
#include <unistd.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstring>

namespace gpokit::live {

namespace {


// SASL asks for defaults during a GSSAPI bind; the ticket cache answers everything.
int sasl_defaults(LDAP*, unsigned, void*, void* in)
{
    for (auto* interact = static_cast<sasl_interact_t*>(in); interact->id != SASL_CB_LIST_END; ++interact) {
        interact->result = "";
        interact->len = 0;
    }
    return LDAP_SUCCESS;
}

std::string diagnostic(LDAP* ld)
{
    char* msg = nullptr;
    if (ld && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) == LDAP_OPT_SUCCESS && msg) {
        std::string text(msg);
        ldap_memfree(msg);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\0'))
            text.pop_back();
        return text;
    }
    return {};
}

} // namespace

struct Directory::Watchdog {
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    bool fired = false;
    int fd = -1;
    ldap_conncb callbacks{};
    std::thread thread;

    void start(int seconds)
    {
        thread = std::thread([this, seconds] {
            std::unique_lock lock(mutex);
            if (!wake.wait_for(lock, std::chrono::seconds(seconds), [this] { return done; })) {
                fired = true;
                if (fd >= 0)
                    ::shutdown(fd, SHUT_RDWR);
            }
        });
    }
    void stop()
    {
        {
            std::lock_guard lock(mutex);
            done = true;
        }
        wake.notify_all();
        if (thread.joinable())
            thread.join();
    }
    ~Watchdog() { stop(); }
};

namespace {

int watch_socket(LDAP* ld, Sockbuf* sb, LDAPURLDesc*, sockaddr*, ldap_conncb* cb)
{
    auto* dog = static_cast<Directory::Watchdog*>(cb->lc_arg);
    int fd = -1;
    ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd);
    // Connected (within the network timeout). With that timeout still set, libldap
    // runs the TLS handshake on a non-blocking socket in a busy loop; without it, the
    // handshake blocks, and the watchdog ends a silent one.
    const timeval blocking{-1, 0};
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &blocking);
    std::lock_guard lock(dog->mutex);
    dog->fd = fd;
    if (dog->fired && fd >= 0)
        ::shutdown(fd, SHUT_RDWR);
    return 0;
}

void forget_socket(LDAP*, Sockbuf*, ldap_conncb* cb)
{
    auto* dog = static_cast<Directory::Watchdog*>(cb->lc_arg);
    std::lock_guard lock(dog->mutex);
    dog->fd = -1;
}

} // namespace

const std::string* Entry::first(std::string_view name) const
{
    for (const auto& [n, values] : attributes)
        if (util::iequal_ascii(n, name) && !values.empty())
            return &values.front();
    return nullptr;
}

std::string filter_escape(std::string_view value)
{
    std::string out;
    for (const char c : value) {
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0')
            out += fmt::format("\\{:02x}", static_cast<unsigned char>(c));
        else
            out += c;
    }
    return out;
}

void Directory::fail(int rc, const std::string& what) const
{
    if (m_watchdog) {
        std::lock_guard lock(m_watchdog->mutex);
        if (m_watchdog->fired)
            throw util::Error(fmt::format("{}: {}: the domain controller accepted the connection but did not answer "
                                          "within {} s (--timeout)",
                                          m_url, what, m_timeout));
    }
    const std::string detail = diagnostic(m_ld);
    // libldap reports a failed TLS handshake as "can't contact", with a diagnostic
    // (GnuTLS gives no more than "unknown error code"); a refused connection has none.
    if (rc == LDAP_SERVER_DOWN && m_url.rfind("ldaps:", 0) == 0 && !detail.empty())
        throw util::Error(fmt::format("{}: {}: the TLS handshake failed: the domain controller's certificate is not "
                                      "trusted or does not name {} (give the CA that signed it with --ca-file, or "
                                      "--insecure-tls to skip the check)",
                                      m_url, what, m_host));
    std::string text = fmt::format("{}: {}: {}", m_url, what, ldap_err2string(rc));
    if (!detail.empty())
        text += fmt::format(" ({})", detail);
    if (rc == LDAP_INVALID_CREDENTIALS)
        text += ": the user name or password is wrong";
    else if (rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT)
        text += ": the domain controller does not answer";
    throw util::Error(text);
}

Directory::Directory(const std::string& host, const Credentials& cred, const ConnectOptions& o) : m_host(host)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int gai = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); gai != 0)
        throw util::Error(fmt::format("{}: cannot find the domain controller: {}", host, ::gai_strerror(gai)));
    ::freeaddrinfo(found);

    m_url = cred.kerberos ? fmt::format("ldap://{}:389", host) : fmt::format("ldaps://{}:636", host);
    int rc = ldap_initialize(&m_ld, m_url.c_str());
    m_handle.reset(m_ld);
    if (rc != LDAP_SUCCESS)
        fail(rc, "cannot set up the connection");
    const int version = LDAP_VERSION3;
    ldap_set_option(m_ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(m_ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    m_timeout = o.timeout_seconds;
    timeval timeout{o.timeout_seconds, 0};
    ldap_set_option(m_ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(m_ld, LDAP_OPT_TIMEOUT, &timeout);
    m_watchdog = std::make_shared<Watchdog>();
    m_watchdog->callbacks.lc_add = watch_socket;
    m_watchdog->callbacks.lc_del = forget_socket;
    m_watchdog->callbacks.lc_arg = m_watchdog.get();
    ldap_set_option(m_ld, LDAP_OPT_CONNECT_CB, &m_watchdog->callbacks);
    m_watchdog->start(o.timeout_seconds);
    if (!cred.kerberos) {
        const int require = o.insecure_tls ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND;
        ldap_set_option(m_ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require);
        if (!o.ca_file.empty()) {
            if (::access(o.ca_file.c_str(), R_OK) != 0)
                throw util::Error(fmt::format("{}: cannot read the --ca-file: {}", o.ca_file, std::strerror(errno)));
            ldap_set_option(m_ld, LDAP_OPT_X_TLS_CACERTFILE, o.ca_file.c_str());
        }
        const int is_server = 0;
        rc = ldap_set_option(m_ld, LDAP_OPT_X_TLS_NEWCTX, &is_server);
        if (rc != LDAP_OPT_SUCCESS)
            fail(rc, o.ca_file.empty() ? std::string("cannot set up TLS")
                                       : fmt::format("cannot set up TLS with --ca-file {}", o.ca_file));
    }

    // The rootDSE is readable before binding; its naming context also tells the
    // domain's DNS name for a user given without one.
    std::vector<Entry> root;
    {
        const std::vector<std::string> attrs{"defaultNamingContext", "configurationNamingContext"};
        root = search("", Scope::base, "(objectClass=*)", attrs);
    }
    if (root.empty() || !root.front().first("defaultNamingContext"))
        throw util::Error(fmt::format("{}: the rootDSE has no defaultNamingContext: is {} an Active Directory "
                                      "domain controller?",
                                      m_url, host));
    m_naming_context = *root.front().first("defaultNamingContext");
    if (const std::string* config = root.front().first("configurationNamingContext"))
        m_configuration_context = *config;

    if (cred.kerberos) {
        ldap_set_option(m_ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON);
        rc = ldap_sasl_interactive_bind_s(m_ld, nullptr, "GSSAPI", nullptr, nullptr, LDAP_SASL_QUIET, sasl_defaults,
                                          nullptr);
        if (rc != LDAP_SUCCESS) {
            std::string detail = diagnostic(m_ld);
            throw util::Error(fmt::format("{}: Kerberos (SASL GSSAPI) bind failed: {}{}: run kinit first, name the DC "
                                          "by its host name (not an address), or use --user",
                                          m_url, ldap_err2string(rc), detail.empty() ? "" : " (" + detail + ")"));
        }
    } else {
        std::string who = cred.user;
        if (who.find('@') == std::string::npos && who.find('\\') == std::string::npos)
            who += "@" + dns_domain();
        berval password{static_cast<ber_len_t>(cred.password.size()), const_cast<char*>(cred.password.data())};
        rc = ldap_sasl_bind_s(m_ld, who.c_str(), LDAP_SASL_SIMPLE, &password, nullptr, nullptr, nullptr);
        if (rc != LDAP_SUCCESS)
            fail(rc, fmt::format("bind as {}", who));
    }
    // Connected and bound: later operations are bounded by LDAP_OPT_TIMEOUT.
    m_watchdog->stop();
}

void Directory::Unbind::operator()(LDAP* ld) const
{
    ldap_unbind_ext_s(ld, nullptr, nullptr);
}

std::string Directory::dns_domain() const
{
    std::string out;
    std::string_view rest = m_naming_context;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view rdn = rest.substr(0, comma);
        if (rdn.size() > 3 && util::iequal_ascii(rdn.substr(0, 3), "DC=")) {
            if (!out.empty())
                out += '.';
            out += std::string(rdn.substr(3));
        }
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    for (auto& c : out)
        c = util::lower_ascii(c);
    return out;
}

std::vector<Entry> Directory::search(const std::string& base, Scope scope, const std::string& filter,
                                     const std::vector<std::string>& attributes)
{
    std::vector<char*> attrs;
    for (const auto& a : attributes)
        attrs.push_back(const_cast<char*>(a.c_str()));
    attrs.push_back(nullptr);
    LDAPMessage* result = nullptr;
    // The SD flags control ([MS-ADTS] 3.1.1.3.4.1.11): owner, group and DACL of
    // nTSecurityDescriptor, which an ordinary administrator may read (the SACL needs a
    // privilege, and without the control a search asks for it).
    static const char k_sd_flags[] = {0x30, 0x03, 0x02, 0x01, 0x07}; // SEQUENCE { INTEGER 7 }
    berval sd_value{sizeof k_sd_flags, const_cast<char*>(k_sd_flags)};
    LDAPControl sd_control{const_cast<char*>("1.2.840.113556.1.4.801"), sd_value, 0};
    LDAPControl* controls[] = {&sd_control, nullptr};
    const int ldap_scope = scope == Scope::base        ? LDAP_SCOPE_BASE
                           : scope == Scope::one_level ? LDAP_SCOPE_ONELEVEL
                                                       : LDAP_SCOPE_SUBTREE;
    const int rc = ldap_search_ext_s(m_ld, base.c_str(), ldap_scope, filter.c_str(), attrs.data(), 0, controls, nullptr, nullptr, 0, &result);
    std::unique_ptr<LDAPMessage, int (*)(LDAPMessage*)> guard(result, ldap_msgfree);
    if (rc == LDAP_NO_SUCH_OBJECT)
        return {};
    if (rc != LDAP_SUCCESS)
        fail(rc, base.empty() ? std::string("reading the rootDSE") : fmt::format("search of \"{}\"", base));
    std::vector<Entry> entries;
    for (LDAPMessage* e = ldap_first_entry(m_ld, result); e; e = ldap_next_entry(m_ld, e)) {
        Entry entry;
        if (char* dn = ldap_get_dn(m_ld, e)) {
            entry.dn = dn;
            ldap_memfree(dn);
        }
        BerElement* ber = nullptr;
        for (char* a = ldap_first_attribute(m_ld, e, &ber); a; a = ldap_next_attribute(m_ld, e, ber)) {
            std::vector<std::string> values;
            if (berval** vals = ldap_get_values_len(m_ld, e, a)) {
                for (berval** v = vals; *v; ++v)
                    values.emplace_back((*v)->bv_val, (*v)->bv_len);
                ldap_value_free_len(vals);
            }
            entry.attributes.emplace_back(a, std::move(values));
            ldap_memfree(a);
        }
        if (ber)
            ber_free(ber, 0);
        entries.push_back(std::move(entry));
    }
    return entries;
}

void Directory::modify(const std::string& dn, const std::vector<Modification>& mods)
{
    std::vector<LDAPMod> storage(mods.size());
    std::vector<std::vector<char*>> values(mods.size());
    std::vector<LDAPMod*> list;
    for (std::size_t i = 0; i < mods.size(); ++i) {
        for (const auto& v : mods[i].values)
            values[i].push_back(const_cast<char*>(v.c_str()));
        values[i].push_back(nullptr);
        storage[i].mod_op = mods[i].op == Modification::add      ? LDAP_MOD_ADD
                            : mods[i].op == Modification::remove ? LDAP_MOD_DELETE
                                                                 : LDAP_MOD_REPLACE;
        storage[i].mod_type = const_cast<char*>(mods[i].attribute.c_str());
        storage[i].mod_values = values[i].data();
        list.push_back(&storage[i]);
    }
    list.push_back(nullptr);
    const int rc = ldap_modify_ext_s(m_ld, dn.c_str(), list.data(), nullptr, nullptr);
    if (rc == LDAP_NO_SUCH_ATTRIBUTE || rc == LDAP_TYPE_OR_VALUE_EXISTS)
        throw ModifyConflict(fmt::format("{}: modify of {}: {}", m_url, dn, ldap_err2string(rc)));
    if (rc != LDAP_SUCCESS)
        fail(rc, fmt::format("modify of {}", dn));
}

} // namespace gpokit::live
