#include "live/live_gpo.hpp"

#include "gpo/gpt_ini.hpp"
#include "gpo/load.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"

#include <fmt/format.h>

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <thread>
#include <system_error>

namespace gpokit::live {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_max_files = 100000;
constexpr std::uint64_t k_max_bytes = 4ull << 30;


// Letters, digits and '-' in dot-separated labels, none empty.
bool is_dns_name(std::string_view name)
{
    if (name.empty() || name.size() > 253)
        return false;
    std::size_t label = 0;
    for (const char c : name) {
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
            ++label;
        } else {
            return false;
        }
    }
    return label > 0;
}

// A name from the server becomes a local file name: it must be one plain component.
void check_name(const Share& share, const std::string& folder, const std::string& name)
{
    bool bad = name.empty() || name == "." || name == "..";
    for (const char c : name)
        bad = bad || c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 0x20;
    if (bad)
        throw util::Error(fmt::format("{}: the server listed an entry named \"{}\", which is not a plain file name",
                                      share.display(folder), name));
}

struct Walk {
    Share& share;
    fs::path local;     // where the files go (a folder beside the snapshot, renamed when whole)
    std::string shown;  // how to name them: where they will be
    std::vector<gpo::SnapshotFile> files;
    std::uint64_t bytes = 0;

    void folder(const std::string& remote, const std::string& relative, int depth)
    {
        if (depth > 16)
            throw util::Error(share.display(remote) + ": folders nested more than 16 deep");
        for (const auto& item : share.list(remote)) {
            check_name(share, remote, item.name);
            // A running or interrupted `live push` leaves its lock and temporary files.
            if (!item.folder &&
                (item.name.find(k_temporary_infix) != std::string::npos || item.name == k_push_lock))
                continue;
            const std::string r = remote + "/" + item.name;
            const std::string rel = relative.empty() ? item.name : relative + "/" + item.name;
            if (item.folder) {
                fs::create_directory(local / rel);
                folder(r, rel, depth + 1);
                continue;
            }
            const util::Bytes data = share.read(r);
            bytes += data.size();
            if (files.size() >= k_max_files || bytes > k_max_bytes)
                throw util::Error(share.display(remote) + ": the GPO holds more than 100000 files or 4 GiB");
            util::write_file_durable(local / rel, data, shown + "/" + rel);
            files.push_back({rel, data.size()});
        }
    }
};

// Splits \\server\share\path\to\gpo into the share and the path inside it.
bool split_sysvol_path(const std::string& unc, std::string& share, std::string& path)
{
    std::vector<std::string> parts;
    std::string part;
    for (const char c : unc) {
        if (c == '\\' || c == '/') {
            if (!part.empty())
                parts.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    if (!part.empty())
        parts.push_back(part);
    if (parts.size() < 3 || unc.rfind("\\\\", 0) != 0)
        return false;
    for (const auto& p : parts)
        if (p == "." || p == "..")
            return false;
    share = parts[1];
    path.clear();
    for (std::size_t i = 2; i < parts.size(); ++i)
        path += (path.empty() ? "" : "/") + parts[i];
    return true;
}

} // namespace

const std::vector<std::string>& container_attributes()
{
    static const std::vector<std::string> names{"displayName",
                                                "versionNumber",
                                                "flags",
                                                "gPCFileSysPath",
                                                "gPCFunctionalityVersion",
                                                "gPCMachineExtensionNames",
                                                "gPCUserExtensionNames",
                                                "gPCWQLFilter",
                                                "nTSecurityDescriptor",
                                                "whenChanged"};
    return names;
}

Connection::Connection(const std::string& host, const ConnectOptions& options)
    : m_host(host), m_options(options), m_credentials(credentials_for(options)),
      m_directory(std::make_unique<Directory>(host, m_credentials, options))
{
}

Share& Connection::share(const std::string& name)
{
    if (!m_share || !util::iequal_ascii(m_share->name(), name))
        m_share = std::make_unique<Share>(m_host, name, m_credentials, m_options);
    return *m_share;
}

void Connection::reconnect()
{
    m_directory.reset();
    m_directory = std::make_unique<Directory>(m_host, m_credentials, m_options);
}

static gpo::DirectoryObject object_of(const Entry& e, const std::string& host, const std::string& guid)
{
    gpo::DirectoryObject o;
    o.host = host;
    o.source = fmt::format("live://{}/{}", host, guid);
    o.dn = e.dn;
    for (const auto& name : container_attributes())
        if (const auto* v = e.first(name))
            // The security descriptor is binary: recorded as hex, as Backup.xml keeps it.
            o.attributes.emplace_back(name, util::iequal_ascii(name, "nTSecurityDescriptor") ? util::to_hex(util::as_bytes(*v)) : *v);
    return o;
}

LiveGpo Connection::find(const LiveUrl& url, const std::string& fallback)
{
    const std::string base = "CN=Policies,CN=System," + m_directory->naming_context();
    std::string guid = url.guid;
    std::string name = url.name;
    if (!url.explicit_gpo && !fallback.empty()) {
        std::string g = fallback.front() == '{' ? fallback : "{" + fallback + "}";
        if (util::is_guid(g)) {
            guid = g;
        } else {
            guid.clear();
            name = fallback;
        }
    }
    std::vector<std::string> attrs = container_attributes();
    attrs.push_back("cn");
    const std::string filter = guid.empty()
                                   ? fmt::format("(&(objectClass=groupPolicyContainer)(displayName={}))",
                                                 filter_escape(name))
                                   : fmt::format("(&(objectClass=groupPolicyContainer)(cn={}))", filter_escape(guid));
    const auto found = m_directory->search(base, Directory::Scope::one_level, filter, attrs);
    const std::string what = guid.empty() ? fmt::format("named \"{}\"", name) : guid;
    if (found.empty())
        throw util::Error(fmt::format("{}: no GPO {} on {} (searched {})", url.text, what, m_host, base));
    if (found.size() > 1) {
        std::string list;
        for (const auto& e : found)
            list += fmt::format("\n  {}", e.dn);
        throw util::Error(fmt::format("{}: {} GPOs are {}; name one by GUID (live://{}/{{GUID}}):{}", url.text,
                                      found.size(), what, m_host, list));
    }
    return gpo_of(found.front(), url.text, guid);
}

LiveGpo Connection::gpo_of(const Entry& e, const std::string& asked, const std::string& guid)
{
    LiveGpo g;
    // Both become folder names in a snapshot: they must be what they claim to be.
    const std::string* cn = e.first("cn");
    if (!cn || !util::is_guid(*cn) || (!guid.empty() && !util::iequal_ascii(*cn, guid)))
        throw util::Error(fmt::format("{}: the GPO container's cn \"{}\" is not a GPO GUID", e.dn, cn ? *cn : ""));
    g.guid = *cn;
    g.domain = m_directory->dns_domain();
    if (!is_dns_name(g.domain))
        throw util::Error(fmt::format("{}: the naming context {} does not give a DNS domain name", asked,
                                      m_directory->naming_context()));
    g.object = object_of(e, m_host, g.guid);
    const std::string* sysvol = e.first("gPCFileSysPath");
    if (!sysvol || !split_sysvol_path(*sysvol, g.share, g.gpo_path)) {
        if (sysvol)
            throw util::Error(fmt::format("{}: gPCFileSysPath \"{}\" is not \\\\SERVER\\SHARE\\PATH", e.dn, *sysvol));
        g.share = "sysvol";
        g.gpo_path = g.domain + "/Policies/" + g.guid;
    }
    return g;
}

std::vector<LiveGpo> Connection::list(std::vector<util::Error>& problems)
{
    const std::string base = "CN=Policies,CN=System," + m_directory->naming_context();
    std::vector<std::string> attrs = container_attributes();
    attrs.push_back("cn");
    std::vector<LiveGpo> out;
    for (const auto& e : m_directory->search(base, Directory::Scope::one_level, "(objectClass=groupPolicyContainer)", attrs)) {
        try {
            out.push_back(gpo_of(e, "live://" + m_host, {}));
        } catch (const util::Error& err) {
            problems.push_back(err);
        }
    }
    std::sort(out.begin(), out.end(), [](const LiveGpo& a, const LiveGpo& b) { return a.guid < b.guid; });
    return out;
}

gpo::DirectoryObject Connection::read_object(const LiveGpo& g)
{
    const auto found = m_directory->search(g.object.dn, Directory::Scope::base, "(objectClass=groupPolicyContainer)",
                                           container_attributes());
    if (found.empty())
        throw util::Error(fmt::format("{}: the GPO's container {} is gone", g.object.source, g.object.dn));
    return object_of(found.front(), m_host, g.guid);
}

gpo::Snapshot fetch(Connection& c, const LiveGpo& g, const fs::path& out_given)
{
    if (out_given.empty())
        throw util::Error("--output is empty: name the snapshot folder to create");
    // "." and "dir/" name a folder by its parent's entry: work with the absolute path.
    fs::path out = fs::absolute(out_given).lexically_normal();
    if (out.filename().empty())
        out = out.parent_path();
    std::error_code ec;
    if (fs::equivalent(out, fs::current_path(), ec))
        throw util::Error(util::display_path(out_given) + ": is the current folder; name a new or empty folder");
    if (fs::is_symlink(fs::symlink_status(out, ec)))
        throw util::Error(util::display_path(out_given) + ": is a symbolic link; name the folder itself");
    const bool existed = fs::exists(out, ec);
    if (existed && !(fs::is_directory(out, ec) && fs::is_empty(out, ec)))
        throw util::Error(util::display_path(out_given) + ": exists and is not an empty folder");
    const auto permissions = existed ? fs::status(out, ec).permissions() : fs::perms::unknown;

    gpo::Snapshot s;
    s.object = g.object;
    s.domain = g.domain;
    s.guid = g.guid;
    s.gpo_path = g.domain + "/Policies/" + g.guid;

    Share& share = c.share(g.share);
    // A gpokit push in progress holds a lock file in the GPO's folder: wait for it to
    // finish rather than copy a GPO half written.
    for (int waited = 0;; ++waited) {
        const auto items = share.list(g.gpo_path);
        const bool locked = std::any_of(items.begin(), items.end(), [](const Share::Item& i) {
            return !i.folder && i.name == k_push_lock;
        });
        if (!locked)
            break;
        if (waited >= 50)
            throw util::Error(fmt::format("{}: a push to this GPO has been in progress for 10 s ({} exists); try "
                                          "again later. If no push is running (one crashed), `gpokit live push "
                                          "--break-lock` removes it.",
                                          g.object.source, share.display(g.gpo_path + "/" + std::string(k_push_lock))));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    // The container as it is now, with the files about to be read (a push may have
    // finished while we waited).
    s.object = c.read_object(g);
    const fs::path temp = util::make_sibling_temp(out);
    try {
        const fs::path gpo_dir = temp / s.gpo_path;
        fs::create_directories(gpo_dir);
        Walk walk{share, gpo_dir, util::display_path(out / s.gpo_path), {}, 0};
        walk.folder(g.gpo_path, "", 0);
        if (!util::find_child(gpo_dir, "GPT.INI"))
            throw util::Error(share.display(g.gpo_path) + ": the GPO folder has no GPT.INI");
        s.files = std::move(walk.files);
        const auto gpt = *util::find_child(gpo_dir, "GPT.INI");
        const std::string gpt_name = share.display(g.gpo_path + "/GPT.INI");
        s.object.gpt_version = gpo::parse_gpt_ini(util::read_file(gpt, gpt_name), gpt_name).version;
        util::write_file_durable(temp / gpo::k_snapshot_file, gpo::snapshot_json(s),
                                 util::display_path(out / gpo::k_snapshot_file));
        util::sync_tree(temp);
        if (existed) {
            fs::permissions(temp, permissions); // the empty folder given keeps its mode
            fs::remove(out);
        }
        fs::rename(temp, out);
        util::sync_dir(out.parent_path().empty() ? fs::path(".") : out.parent_path());
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    return s;
}

util::ShownPaths shown_paths(const fs::path& snapshot, const LiveGpo& g)
{
    util::ShownPaths shown;
    shown.add(snapshot, g.object.source);
    shown.add(snapshot / (g.domain + "/Policies/" + g.guid), fmt::format("//{}/{}/{}", g.object.host, g.share, g.gpo_path));
    return shown;
}

gpo::Target read_live(Connection& c, const LiveGpo& g, util::TempFolders& temps, const std::string& label)
{
    const fs::path snapshot = temps.make("gpokit-live") / "snapshot";
    fetch(c, g, snapshot);
    return gpo::Target(gpo::SourceKind::live, label, gpo::load_snapshot(snapshot, shown_paths(snapshot, g)));
}

gpo::Opener opener(const ConnectOptions& options, util::TempFolders& temps)
{
    return [options, &temps](const std::string& address, const gpo::OpenOptions& open) {
        if (open.for_edit)
            throw util::Error(address + ": live:// targets are read here, not edited: `gpokit live fetch` a snapshot, "
                                        "edit it, review it with `gpokit diff`, then `gpokit live push` it");
        const LiveUrl url = parse_live_url(address);
        Connection c(url.host, options);
        const LiveGpo g = c.find(url, open.selector.gpo);
        return read_live(c, g, temps, address);
    };
}

} // namespace gpokit::live
