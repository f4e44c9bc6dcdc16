#include "live/connect.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gpokit::live {

namespace {

std::string first_line(std::string text)
{
    const auto eol = text.find_first_of("\r\n");
    if (eol != std::string::npos)
        text.resize(eol);
    return text;
}

// While echo is off, a signal that ends the program must give the terminal back.
int g_tty = -1;
termios g_saved{};

extern "C" void restore_and_reraise(int sig)
{
    ::tcsetattr(g_tty, TCSAFLUSH, &g_saved);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

std::string prompt_password(const std::string& user)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw util::Error(fmt::format("no password for {}: set GPOKIT_PASSWORD, use --password-file FILE, "
                                      "or run from a terminal",
                                      user));
    const std::string ask = fmt::format("Password for {}: ", user);
    (void)!::write(fd, ask.data(), ask.size());
    termios old{};
    const bool tty = ::tcgetattr(fd, &old) == 0;
    constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction previous[4] = {};
    if (tty) {
        g_tty = fd;
        g_saved = old;
        struct sigaction action = {};
        action.sa_handler = restore_and_reraise;
        for (int i = 0; i < 4; ++i)
            ::sigaction(k_signals[i], &action, &previous[i]);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string password;
    char c = 0;
    ssize_t n = 0;
    while ((n = ::read(fd, &c, 1)) == 1 && c != '\n' && c != '\r')
        password += c;
    const int read_error = n < 0 ? errno : 0;
    if (tty) {
        ::tcsetattr(fd, TCSAFLUSH, &old);
        for (int i = 0; i < 4; ++i)
            ::sigaction(k_signals[i], &previous[i], nullptr);
        g_tty = -1;
    }
    (void)!::write(fd, "\n", 1);
    ::close(fd);
    if (read_error != 0)
        throw util::Error(fmt::format("reading the password from the terminal: {}", std::strerror(read_error)));
    // An empty password makes an LDAP simple bind anonymous (RFC 4513 5.1.2).
    if (password.empty())
        throw util::Error(fmt::format("no password given for {}", user));
    return password;
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
        const auto bytes = util::read_file(o.password_file);
        c.password = first_line(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
        if (c.password.empty())
            throw util::Error(o.password_file + ":1: the password file's first line is empty");
    } else if (const char* env = std::getenv("GPOKIT_PASSWORD"); env && *env) {
        c.password = env;
    } else {
        c.password = prompt_password(o.user);
    }
    return c;
}

} // namespace gpokit::live
