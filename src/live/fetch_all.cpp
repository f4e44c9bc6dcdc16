#include "live/fetch_all.hpp"

#include "live/live_gpo.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

std::string upper(std::string text)
{
    for (auto& c : text)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return text;
}

// gpokit-estate.json: the domain's GPOs with their links and WMI filters.
std::string estate_json(Connection& connection, const std::string& host, const std::vector<LiveGpo>& gpos)
{
    auto& directory = connection.directory();
    std::map<std::string, std::vector<GpoLink>> links; // upper-case GUID -> links
    std::vector<std::string> bases{directory.naming_context()};
    if (!directory.configuration_context().empty())
        bases.push_back("CN=Sites," + directory.configuration_context());
    for (const auto& base : bases)
        for (const auto& e : directory.search(base, Directory::Scope::subtree, "(gPLink=*)", {"gPLink"}))
            if (const std::string* value = e.first("gPLink"))
                for (auto& [guid, link] : parse_gplink(e.dn, *value))
                    links[upper(guid)].push_back(std::move(link));
    nlohmann::ordered_json j;
    j["schema"] = "gpokit-estate/1";
    j["format"] = "gpokit-live-estate";
    j["format_version"] = 1;
    j["host"] = host;
    j["domain"] = gpos.empty() ? directory.dns_domain() : gpos.front().domain;
    j["gpos"] = nlohmann::ordered_json::array();
    for (const auto& g : gpos) {
        nlohmann::ordered_json entry;
        entry["guid"] = g.guid;
        const std::string* name = g.object.attribute("displayName");
        entry["display_name"] = name ? *name : "";
        entry["links"] = nlohmann::ordered_json::array();
        auto& mine = links[upper(g.guid)];
        std::sort(mine.begin(), mine.end(), [](const GpoLink& a, const GpoLink& b) { return a.container < b.container; });
        for (const auto& l : mine)
            entry["links"].push_back({{"container", l.container}, {"enabled", l.enabled}, {"enforced", l.enforced}});
        entry["wmi_filter"] = nullptr;
        // gPCWQLFilter: "[domain;{FILTER-GUID};0]"; the filter is CN={FILTER-GUID},CN=SOM,CN=WMIPolicy,CN=System.
        if (const std::string* wql = g.object.attribute("gPCWQLFilter"); wql && !wql->empty()) {
            const auto open = wql->find('{');
            const auto close = wql->find('}', open == std::string::npos ? 0 : open);
            nlohmann::ordered_json filter{{"reference", *wql}};
            if (open != std::string::npos && close != std::string::npos) {
                const std::string id = wql->substr(open, close - open + 1);
                const auto found = directory.search("CN=SOM,CN=WMIPolicy,CN=System," + directory.naming_context(),
                                                     Directory::Scope::one_level,
                                                     "(&(objectClass=msWMI-Som)(msWMI-ID=" + filter_escape(id) + "))",
                                                     {"msWMI-Name", "msWMI-Parm2"});
                filter["id"] = id;
                if (!found.empty()) {
                    const std::string* fname = found.front().first("msWMI-Name");
                    const std::string* query = found.front().first("msWMI-Parm2");
                    filter["name"] = fname ? *fname : "";
                    filter["query"] = query ? *query : "";
                } else {
                    filter["missing"] = true; // the GPO names a filter the directory no longer holds
                }
            }
            entry["wmi_filter"] = filter;
        }
        j["gpos"].push_back(entry);
    }
    return j.dump(2) + "\n";
}

} // namespace

std::vector<std::pair<std::string, GpoLink>> parse_gplink(const std::string& container, std::string_view value)
{
    std::vector<std::pair<std::string, GpoLink>> out;
    std::size_t at = 0;
    while ((at = value.find('[', at)) != std::string_view::npos) {
        const auto end = value.find(']', at);
        if (end == std::string_view::npos)
            break;
        const std::string_view item = value.substr(at + 1, end - at - 1);
        at = end + 1;
        const auto semicolon = item.rfind(';');
        const auto open = item.find('{');
        const auto close = item.find('}');
        if (semicolon == std::string_view::npos || open == std::string_view::npos || close == std::string_view::npos ||
            close < open)
            continue;
        unsigned options = 0;
        for (const char c : item.substr(semicolon + 1))
            if (c >= '0' && c <= '9')
                options = options * 10 + static_cast<unsigned>(c - '0');
        out.push_back({std::string(item.substr(open, close - open + 1)),
                       GpoLink{container, (options & 1u) == 0, (options & 2u) != 0}});
    }
    return out;
}

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
    std::string estate;
    {
        std::vector<util::Error> problems;
        Connection connection(host, resolved);
        gpos = connection.list(problems);
        for (const auto& p : problems)
            result.failures.push_back({"", "", p.what()});
        estate = estate_json(connection, host, gpos);
    } // the listing connection (and its watchdog thread) ends before any fork
    fs::create_directories(out);
    util::write_file_atomic(out / gpo::k_estate_file, util::as_bytes(estate));
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

gpo::Estate read_estate(const std::string& host, const ConnectOptions& options, util::TempFolders& temps, int jobs)
{
    const fs::path dir = temps.make("gpokit-estate") / "gpos";
    const FetchAllResult fetched = fetch_all(host, options, dir, jobs, {});
    const std::string address = "live://" + host;
    gpo::Estate estate = gpo::load_estate(dir, address, {address, gpo::SourceKind::live});
    // A GPO whose fetch failed is listed in the estate file without a snapshot: its
    // reason, not the private folder's, is the problem to report.
    estate.problems.erase(estate.problems.end() - static_cast<std::ptrdiff_t>(estate.unread.size()),
                          estate.problems.end());
    for (const auto& f : fetched.failures)
        estate.problems.emplace_back(fmt::format("{}: {}{}: {}", address, f.guid.empty() ? "a container" : f.guid,
                                                 f.name.empty() ? "" : " (" + f.name + ")", f.reason));
    return estate;
}

} // namespace gpokit::live
