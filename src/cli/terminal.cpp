#include "cli/terminal.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gpokit::cli {

namespace {

// While echo is off, a signal that ends the program must give the terminal back. A
// signal handler can reach only what is global: these two, set only while asking.
int g_tty = -1;
termios g_saved{};

extern "C" void restore_and_reraise(int sig)
{
    ::tcsetattr(g_tty, TCSAFLUSH, &g_saved);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

} // namespace

std::string ask_on_terminal(const std::string& question)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw util::Error(fmt::format("{}: no terminal to ask on", question));
    const std::string ask = question + ": ";
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
    std::string answer;
    char c = 0;
    ssize_t n = 0;
    while ((n = ::read(fd, &c, 1)) == 1 && c != '\n' && c != '\r')
        answer += c;
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
        throw util::Error(fmt::format("reading from the terminal: {}", std::strerror(read_error)));
    return answer;
}

} // namespace gpokit::cli
