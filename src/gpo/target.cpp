#include "gpo/target.hpp"

#include "gpo/bookkeeping.hpp"
#include "gpo/snapshot.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gpokit::gpo {

namespace fs = std::filesystem;

const char* source_kind_name(SourceKind kind)
{
    switch (kind) {
    case SourceKind::backup: return "backup";
    case SourceKind::sysvol: return "sysvol";
    case SourceKind::snapshot: return "snapshot";
    case SourceKind::live: return "live";
    case SourceKind::registry_pol: return "registry.pol";
    }
    return "";
}

Target::Target(SourceKind kind, std::string label, Gpo gpo, fs::path root)
    : m_kind(kind), m_label(std::move(label)), m_gpo(std::move(gpo)), m_root(std::move(root))
{
    if (m_root.empty())
        m_root = m_gpo->dir;
}

Target::Target(std::string label, fs::path file, pol::Side side, bool lenient)
    : m_kind(SourceKind::registry_pol), m_label(std::move(label)), m_only(side), m_file(std::move(file)),
      m_lenient(lenient)
{
}

std::string Target::name_of(const fs::path& path) const
{
    return m_gpo ? m_gpo->name_of(path) : util::display_path(path);
}

pol::PolFile Target::registry(pol::Side side) const
{
    if (m_gpo) {
        const auto& s = m_gpo->side(side);
        if (s.registry_pol)
            return pol::PolFile::load(*s.registry_pol, {}, m_gpo->name_of(*s.registry_pol));
        pol::PolFile empty;
        empty.set_origin(m_gpo->name_of(s.folder / std::string(new_registry_pol_name(m_gpo->layout))));
        return empty;
    }
    std::error_code ec;
    if (*m_only != side || (!fs::exists(m_file, ec) && !ec)) {
        pol::PolFile empty;
        empty.set_origin(util::display_path(m_file));
        return empty;
    }
    return pol::PolFile::load(m_file, pol::ReadOptions{m_lenient});
}

fs::path security_template_path(const Gpo& gpo)
{
    return util::resolve_inside(gpo.machine.folder, "Microsoft/Windows NT/SecEdit/GptTmpl.inf");
}

fs::path Target::security_template_path() const
{
    return m_gpo ? gpo::security_template_path(*m_gpo) : fs::path();
}

std::optional<settings::InfFile> Target::security_template() const
{
    const fs::path path = security_template_path();
    std::error_code ec;
    if (path.empty() || !fs::is_regular_file(path, ec))
        return std::nullopt;
    const std::string name = name_of(path);
    return settings::InfFile::parse(util::read_file(path, name), name);
}

namespace {

std::string backup_time(const Gpo& g)
{
    return g.info ? g.info->backup_time : std::string();
}

std::string asked(const Selector& s)
{
    std::string out;
    if (!s.gpo.empty())
        out += fmt::format("--gpo \"{}\"", s.gpo);
    if (!s.backup_id.empty())
        out += fmt::format("{}--backup-id \"{}\"", out.empty() ? "" : " ", s.backup_id);
    return out;
}

// The snapshot folder around a GPO folder (<root>/<domain>/Policies/{GUID}), if it is
// one's.
std::optional<fs::path> snapshot_root_of(const fs::path& folder)
{
    const fs::path dir = clean_dir(fs::absolute(folder));
    const fs::path root = dir.parent_path().parent_path().parent_path();
    if (root.empty() || !util::find_child(root, k_snapshot_file))
        return std::nullopt;
    return root;
}

// The GPO folder inside a snapshot is read as the snapshot, with what the directory said.
std::optional<Target> snapshot_around(const fs::path& folder, const Selector& selector, const std::string& spec)
{
    const auto root = snapshot_root_of(folder);
    if (!root)
        return std::nullopt;
    Gpo g = load_snapshot(*root);
    std::error_code ec;
    if (fs::equivalent(g.dir, clean_dir(fs::absolute(folder)), ec) && matches(g, selector))
        return Target(SourceKind::snapshot, spec, std::move(g), clean_dir(*root));
    return std::nullopt;
}

// A folder of snapshots (`live fetch --all`): the one the selector names, if any.
std::optional<Target> choose_snapshot(const fs::path& path, const std::string& spec, const Selector& selector)
{
    std::vector<Target> found;
    for (const auto& folder : snapshot_folders(path)) {
        Gpo g = load_snapshot(folder);
        if (matches(g, selector))
            found.emplace_back(SourceKind::snapshot, spec, std::move(g), clean_dir(folder));
    }
    if (found.size() > 1) {
        std::string names;
        for (const auto& t : found)
            names += fmt::format("\n  {} {}", t.gpo().guid, t.gpo().display_name);
        throw util::Error(fmt::format("{}: {} snapshots{}; choose one with --gpo NAME|GUID:{}",
                                      util::display_path(path), found.size(),
                                      selector.empty() ? "" : " match " + asked(selector), names));
    }
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

Target choose(const fs::path& path, const std::string& spec, const Selector& selector)
{
    if (auto t = choose_snapshot(path, spec, selector))
        return std::move(*t);
    Catalogue cat = scan(path);
    // A broken backup or manifest.xml in the set is an error even when another backup
    // would match: Import-GPO reads the same files.
    if (!cat.problems.empty())
        throw cat.problems.front();
    std::vector<Gpo> found;
    for (auto& g : cat.backups)
        if (matches(g, selector))
            found.push_back(std::move(g));
    if (found.empty()) {
        if (selector.empty())
            throw util::Error(util::display_path(path) + ": no GPO backup found" + manifest_above_hint(path));
        throw util::Error(fmt::format("{}: no GPO backup matches {}", util::display_path(path), asked(selector)));
    }
    // Several backups of one GPO: the newest by BackupTime (ISO 8601 sorts as text).
    const std::string guid = found.front().guid;
    const bool one_gpo =
        std::all_of(found.begin(), found.end(), [&](const Gpo& g) { return util::iequal_ascii(g.guid, guid); });
    if (!one_gpo) {
        std::string names;
        std::vector<std::string> guids;
        for (const auto& g : found) {
            names += fmt::format("\n  {} {} (backup {})", g.guid, g.display_name, g.backup_id);
            if (std::none_of(guids.begin(), guids.end(), [&](const auto& x) { return util::iequal_ascii(x, g.guid); }))
                guids.push_back(g.guid);
        }
        throw util::Error(fmt::format("{}: {} GPOs found ({} backups); choose one with --gpo NAME|GUID|BACKUP-ID:{}",
                                      util::display_path(path), guids.size(), found.size(), names));
    }
    auto newest = std::max_element(found.begin(), found.end(),
                                   [](const Gpo& a, const Gpo& b) { return backup_time(a) < backup_time(b); });
    return Target(SourceKind::backup, spec, std::move(*newest));
}

// True when `path` with `selector` names one GPO rather than a root of backups.
bool names_one(const fs::path& path, const Selector& selector)
{
    return util::find_child(path, "Backup.xml") || util::find_child(path, "GPT.INI") ||
           util::find_child(path, k_snapshot_file) || !selector.empty();
}

void check_match(const Gpo& g, const Selector& selector, const std::string& spec, const char* what)
{
    if (!matches(g, selector))
        throw util::Error(fmt::format("{}: the {} of \"{}\" does not match {}", spec, what, g.display_name,
                                      asked(selector)));
}

} // namespace

pol::Side folder_side(const fs::path& file)
{
    return util::iequal_ascii(fs::absolute(file).parent_path().filename().string(), "User") ? pol::Side::user
                                                                                            : pol::Side::machine;
}

bool matches(const Gpo& g, const Selector& s)
{
    if (!s.backup_id.empty() && !util::iequal_ascii(g.backup_id, s.backup_id) &&
        !(g.info && util::iequal_ascii(g.info->id, s.backup_id)))
        return false;
    if (s.gpo.empty())
        return true;
    const bool braced = !s.gpo.empty() && s.gpo.front() == '{';
    const std::string as_guid = braced ? s.gpo : "{" + s.gpo + "}";
    // A backup is its folder's name or, for a renamed folder, the ID bkupInfo.xml records.
    const auto backup_is = [&](const std::string& id) {
        return util::iequal_ascii(g.backup_id, id) || (g.info && util::iequal_ascii(g.info->id, id));
    };
    return util::iequal_ascii(g.display_name, s.gpo) || util::iequal_ascii(g.guid, as_guid) || backup_is(as_guid) ||
           backup_is(s.gpo);
}

void Openers::add(std::string prefix, Opener opener)
{
    m_openers.emplace_back(std::move(prefix), std::move(opener));
}

const Opener* Openers::find(std::string_view address) const
{
    for (const auto& [prefix, opener] : m_openers)
        if (address.size() >= prefix.size() && util::iequal_ascii(address.substr(0, prefix.size()), prefix))
            return &opener;
    return nullptr;
}

Target open_target(const std::string& spec, const OpenOptions& options, const Openers& openers)
{
    if (const Opener* opener = openers.find(spec))
        return (*opener)(spec, options);
    const fs::path path(spec);
    const Selector& selector = options.selector;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
        if (!selector.empty())
            throw util::Error(spec + ": --gpo and --backup-id select within a folder, not a registry.pol file");
        if (!options.for_edit && !fs::exists(fs::symlink_status(path, ec)))
            throw util::Error(spec + ": no such file or folder (expected a GPO backup, a backup root, a SYSVOL GPO "
                                     "folder, a snapshot or a registry.pol)");
        const pol::Side side = options.side.value_or(folder_side(path));
        return Target(spec, path, side, options.lenient);
    }
    if (util::find_child(path, "Backup.xml")) {
        Gpo g = load_backup(path);
        check_match(g, selector, spec, "backup");
        return Target(SourceKind::backup, spec, std::move(g));
    }
    if (util::find_child(path, "GPT.INI")) {
        if (auto t = snapshot_around(path, selector, spec))
            return std::move(*t);
        Gpo g = load_sysvol(path);
        check_match(g, selector, spec, "GPO folder");
        return Target(SourceKind::sysvol, spec, std::move(g));
    }
    if (util::find_child(path, k_snapshot_file)) {
        Gpo g = load_snapshot(path);
        check_match(g, selector, spec, "snapshot");
        return Target(SourceKind::snapshot, spec, std::move(g), clean_dir(path));
    }
    return choose(path, spec, selector);
}

TargetSet open_targets(const std::string& spec, const OpenOptions& options, const Openers& openers)
{
    TargetSet set;
    std::error_code ec;
    if (openers.find(spec) || !fs::is_directory(spec, ec) || names_one(spec, options.selector)) {
        set.targets.push_back(open_target(spec, options, openers));
        return set;
    }
    Catalogue cat = scan(spec);
    if (cat.backups.empty() && cat.manifest.empty() && cat.problems.empty()) {
        throw util::Error(util::display_path(spec) +
                          ": no GPO here (no Backup.xml below it, no GPT.INI in it, no manifest.xml)" +
                          manifest_above_hint(spec));
    }
    for (auto& g : cat.backups) {
        const std::string label = util::display_path(g.dir);
        set.targets.emplace_back(SourceKind::backup, label, std::move(g));
    }
    set.manifest = std::move(cat.manifest);
    set.problems = std::move(cat.problems);
    return set;
}

std::optional<Gpo> Target::enclosing_gpo() const
{
    if (m_gpo)
        return m_gpo;
    // <backup>/DomainSysvol/GPO/Machine/registry.pol, or <GPO>/Machine/registry.pol.
    const fs::path folder = fs::absolute(m_file).parent_path().parent_path();
    const fs::path backup = folder.parent_path().parent_path();
    if (util::iequal_ascii(folder.filename().string(), "GPO") && util::find_child(backup, "Backup.xml"))
        return load_backup(backup);
    if (!util::find_child(folder, "GPT.INI"))
        return std::nullopt;
    if (auto t = snapshot_around(folder, {}, m_label))
        return t->gpo();
    return load_sysvol(folder);
}

} // namespace gpokit::gpo
