// How gpokit reaches a domain controller: who it authenticates as and how it checks
// the server. Passwords never come from the command line: GPOKIT_PASSWORD, a file,
// or a prompt on the terminal.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace gpokit::live {

struct ConnectOptions {
    std::string user;          // empty: Kerberos with the caller's ticket cache
    std::string password_file; // for --user
    std::string ca_file;       // CA certificates for LDAPS (default: the system's)
    bool insecure_tls = false; // LDAPS without certificate verification
    int timeout_seconds = 15;
    // Where a --user password comes from when there is no --password-file: the
    // caller's GPOKIT_PASSWORD, else a question on the terminal (without echo).
    std::optional<std::string> environment_password;
    std::function<std::string(const std::string& question)> ask_password;
};

struct Credentials {
    bool kerberos = true;
    std::string user;   // as given: NAME, DOMAIN\NAME or NAME@REALM
    std::string password;
};

// Resolves the password for --user (--password-file, GPOKIT_PASSWORD, or the
// question). Throws util::Error when none can be had.
Credentials credentials_for(const ConnectOptions& options);

} // namespace gpokit::live
