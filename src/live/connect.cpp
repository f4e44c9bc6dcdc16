#include "live/connect.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>


namespace gpokit::live {

namespace {

std::string first_line(std::string text)
{
    const auto eol = text.find_first_of("\r\n");
    if (eol != std::string::npos)
        text.resize(eol);
    return text;
}

} // namespace

Credentials credentials_for(const ConnectOptions& o)
{
    Credentials c;
    if (o.user.empty()) {
        if (!o.password_file.empty())
            throw util::Error("--password-file needs --user (without --user, gpokit uses your Kerberos tickets)");
        return c;
    }
    c.kerberos = false;
    c.user = o.user;
    if (!o.password_file.empty()) {
        const auto bytes = util::read_input(o.password_file, 1 << 16);
        c.password = first_line(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
        if (c.password.empty())
            throw util::Error(o.password_file + ":1: the password file's first line is empty");
    } else if (o.environment_password) {
        c.password = *o.environment_password;
    } else {
        if (!o.ask_password)
            throw util::Error(fmt::format("no password for {}: set GPOKIT_PASSWORD, use --password-file FILE, or "
                                          "run from a terminal",
                                          o.user));
        try {
            c.password = o.ask_password(fmt::format("Password for {}", o.user));
        } catch (const util::Error& e) {
            throw util::Error(fmt::format("no password for {} ({}): set GPOKIT_PASSWORD, use --password-file FILE, "
                                          "or run from a terminal",
                                          o.user, e.what()));
        }
        // An empty password makes an LDAP simple bind anonymous (RFC 4513 5.1.2).
        if (c.password.empty())
            throw util::Error(fmt::format("no password given for {}", o.user));
    }
    return c;
}

} // namespace gpokit::live
