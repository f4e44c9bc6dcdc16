#include "live/fetch_all.hpp"

#include "live/live_gpo.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gpokit::live {

namespace fs = std::filesystem;

namespace {

// One line a worker writes per GPO: "INDEX\tok" or "INDEX\tfail\tREASON".
void report(int fd, std::size_t index, const std::string& reason)
{
    std::string line = std::to_string(index) + (reason.empty() ? "\tok" : "\tfail\t" + reason);
    std::replace(line.begin(), line.end(), '\n', ' ');
    line += '\n';
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

// A worker: fetches every `jobs`-th GPO from `first` on, over its own connections.
[[noreturn]] void work(int fd, const std::string& host, const ConnectOptions& options, const std::vector<LiveGpo>& gpos,
                       const fs::path& out, std::size_t first, std::size_t jobs)
{
    int status = 0;
    try {
        Connection connection(host, options);
        for (std::size_t i = first; i < gpos.size(); i += jobs) {
            try {
                fetch(connection, gpos[i], out / gpos[i].guid);
                report(fd, i, {});
            } catch (const std::exception& e) {
                report(fd, i, e.what());
            }
        }
    } catch (const std::exception& e) {
        for (std::size_t i = first; i < gpos.size(); i += jobs)
            report(fd, i, e.what());
        status = 2;
    }
    ::close(fd);
    std::fflush(nullptr);
    ::_exit(status);
}

} // namespace

FetchAllResult fetch_all(const std::string& host, const ConnectOptions& options, const fs::path& out, int jobs,
                         const std::function<void(std::size_t, std::size_t)>& progress)
{
    std::error_code ec;
    if (fs::exists(out, ec) && !(fs::is_directory(out, ec) && fs::is_empty(out, ec)))
        throw util::Error(util::display_path(out) + ": exists and is not an empty folder");
    // The password is asked once, here; the workers inherit it.
    ConnectOptions resolved = options;
    const Credentials credentials = credentials_for(options);
    if (!credentials.kerberos) {
        resolved.password_file.clear();
        resolved.environment_password = credentials.password;
        resolved.ask_password = nullptr;
    }
    FetchAllResult result;
    std::vector<LiveGpo> gpos;
    {
        std::vector<util::Error> problems;
        Connection connection(host, resolved);
        gpos = connection.list(problems);
        for (const auto& p : problems)
            result.failures.push_back({"", "", p.what()});
    } // the listing connection (and its watchdog thread) ends before any fork
    fs::create_directories(out);
    const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), std::max<std::size_t>(gpos.size(), 1));
    std::vector<std::pair<pid_t, int>> running; // pid, read end
    std::fflush(nullptr);
    for (std::size_t w = 0; w < workers && !gpos.empty(); ++w) {
        int fds[2];
        if (::pipe(fds) != 0)
            throw util::Error(fmt::format("cannot start a worker: {}", std::strerror(errno)));
        const pid_t pid = ::fork();
        if (pid < 0)
            throw util::Error(fmt::format("cannot start a worker: {}", std::strerror(errno)));
        if (pid == 0) {
            ::close(fds[0]);
            for (const auto& [other, fd] : running)
                ::close(fd);
            work(fds[1], host, resolved, gpos, out, w, workers);
        }
        ::close(fds[1]);
        running.emplace_back(pid, fds[0]);
    }

    std::map<std::size_t, std::string> outcome; // index -> "" (ok) or the reason
    std::map<int, std::string> pending;          // fd -> partial line
    std::size_t open = running.size();
    while (open > 0) {
        std::vector<pollfd> polls;
        for (const auto& [pid, fd] : running)
            if (fd >= 0)
                polls.push_back({fd, POLLIN, 0});
        if (::poll(polls.data(), polls.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (const auto& p : polls) {
            if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            const ssize_t n = ::read(p.fd, buf, sizeof buf);
            if (n > 0) {
                std::string& text = pending[p.fd];
                text.append(buf, static_cast<std::size_t>(n));
                for (std::size_t nl; (nl = text.find('\n')) != std::string::npos; text.erase(0, nl + 1)) {
                    const std::string line = text.substr(0, nl);
                    const auto tab = line.find('\t');
                    const std::size_t index = std::stoul(line.substr(0, tab));
                    const bool ok = line.compare(tab + 1, 2, "ok") == 0;
                    outcome[index] = ok ? std::string() : line.substr(line.find('\t', tab + 1) + 1);
                    if (progress)
                        progress(outcome.size(), gpos.size());
                }
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            ::close(p.fd);
            for (auto& r : running)
                if (r.second == p.fd)
                    r.second = -1;
            --open;
        }
    }
    for (const auto& [pid, fd] : running) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    for (std::size_t i = 0; i < gpos.size(); ++i) {
        const auto it = outcome.find(i);
        const std::string* name = gpos[i].object.attribute("displayName");
        if (it == outcome.end())
            result.failures.push_back({gpos[i].guid, name ? *name : "", "its worker stopped before it was fetched"});
        else if (!it->second.empty())
            result.failures.push_back({gpos[i].guid, name ? *name : "", it->second});
        else
            ++result.fetched;
    }
    return result;
}

} // namespace gpokit::live
