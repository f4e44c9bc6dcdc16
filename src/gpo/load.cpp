#include "gpo/load.hpp"

#include "gpo/snapshot.hpp"
#include "gpo/xml_text.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {

std::string display(const fs::path& p)
{
    return util::display_path(p);
}

std::uint32_t parse_u32(const XmlFile& file, pugi::xml_node element, std::string_view what)
{
    const std::string text = text_of(element);
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw util::Error(file.at(file.offset_of(element), fmt::format("{} \"{}\" is not a number", what, text)));
    return v;
}

pugi::xml_node require(const XmlFile& file, pugi::xml_node parent, std::string_view name)
{
    const auto node = child(parent, name);
    if (!node)
        throw util::Error(file.at(file.offset_of(parent), fmt::format("<{}> has no <{}>", parent.name(), name)));
    return node;
}

// Fills a side from its folder under `gpo_folder`; `root` is the backup or SYSVOL GPO
// folder, which nothing gpokit reads or writes may leave (a link in between is refused).
void fill_side(GpoSide& side, const fs::path& root, const fs::path& gpo_folder, std::string_view name)
{
    const auto folder = util::find_child(gpo_folder, name);
    side.folder = folder ? *folder : gpo_folder / std::string(name);
    std::error_code ec;
    if (fs::exists(gpo_folder, ec) && !util::is_inside(root, gpo_folder))
        throw util::Error(display(gpo_folder) + ": leads outside " + display(root) +
                          " (a symbolic link); gpokit does not follow links out of a GPO");
    if (folder) {
        if (fs::is_symlink(fs::symlink_status(*folder, ec)))
            throw util::Error(display(*folder) + ": is a symbolic link; gpokit does not follow links in a GPO");
        if (auto pol = util::find_child(*folder, "registry.pol")) {
            if (fs::is_symlink(fs::symlink_status(*pol, ec)))
                throw util::Error(display(*pol) + ": is a symbolic link; gpokit does not follow links in a GPO");
            side.registry_pol = *pol;
        }
    }
}

BackupInfo read_bkup_info(const XmlFile& file)
{
    const auto root = file.root();
    if (local_name(root) != "BackupInst")
        throw util::Error(file.at(file.offset_of(root), "expected <BackupInst> as the root element"));
    auto get = [&](std::string_view name) { return text_of(child(root, name)); };
    return {get("GPOGuid"),      get("GPODomain"), get("GPODomainGuid"), get("GPODomainController"),
            get("BackupTime"),   get("ID"),        get("Comment"),       get("GPODisplayName")};
}

void read_report_versions(const fs::path& path, ReportVersions& out)
{
    // gpreport.xml is Windows' own report; a broken one is reported by lint, not here.
    try {
        const XmlFile report = XmlFile::load(path, display(path));
        auto read = [](pugi::xml_node side, std::string_view name) -> std::optional<std::uint32_t> {
            const std::string text = text_of(child(side, name));
            std::uint32_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
                return std::nullopt;
            return v;
        };
        const auto computer = child(report.root(), "Computer");
        const auto user = child(report.root(), "User");
        out.machine_directory = read(computer, "VersionDirectory");
        out.machine_sysvol = read(computer, "VersionSysvol");
        out.user_directory = read(user, "VersionDirectory");
        out.user_sysvol = read(user, "VersionSysvol");
        for (const auto& [side_node, side] : {std::pair{computer, pol::Side::machine}, std::pair{user, pol::Side::user}}) {
            for (const auto& hit : side_node.select_nodes(".//*[local-name()='RegistrySetting']")) {
                const auto setting = hit.node();
                const auto value = child(setting, "Value");
                if (!value)
                    continue; // a key without a value
                ReportRegistryValue v{side, text_of(child(setting, "KeyPath")), text_of(child(value, "Name")), {}, {}};
                if (const auto number = child(value, "Number")) {
                    const std::string t = text_of(number);
                    std::uint64_t n = 0;
                    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
                    if (ec == std::errc{} && end == t.data() + t.size())
                        v.number = n;
                } else if (const auto str = child(value, "String")) {
                    v.text = text_of(str);
                } else {
                    continue; // other kinds (binary, multi-string) are not compared
                }
                out.registry_values.push_back(std::move(v));
            }
        }
    } catch (const util::Error&) {
    }
}

// A folder path without "." / ".." / trailing separators, so that its last component is
// the folder's own name (a backup's ID) and temporaries go beside it, not inside it.
fs::path clean_dir(const fs::path& dir)
{
    fs::path p = dir.lexically_normal();
    if (p.filename().empty())
        p = p.parent_path();
    if (p.empty() || p.filename() == "." || p.filename() == "..")
        p = fs::absolute(p).lexically_normal();
    if (p.filename().empty())
        p = p.parent_path();
    return p;
}

// Refuses a GPO file that is a symbolic link: gpokit never reads or writes through one.
void refuse_link(const fs::path& path)
{
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec)))
        throw util::Error(display(path) + ": is a symbolic link; gpokit does not follow links in a GPO");
}


} // namespace

Gpo load_backup(const fs::path& given)
{
    const fs::path dir = clean_dir(given);
    const auto backup_xml = util::find_child(dir, "Backup.xml");
    if (!backup_xml)
        throw util::Error(display(dir) + ": not a GPO backup folder (no Backup.xml)");
    refuse_link(*backup_xml);
    const XmlFile file = XmlFile::load(*backup_xml, display(*backup_xml));
    const auto root = file.root();
    if (local_name(root) != "GroupPolicyBackupScheme")
        throw util::Error(file.at(file.offset_of(root), "expected <GroupPolicyBackupScheme> as the root element"));
    const auto object = require(file, root, "GroupPolicyObject");
    const auto core = require(file, object, "GroupPolicyCoreSettings");

    Gpo gpo;
    gpo.kind = GpoKind::backup;
    gpo.dir = dir;
    gpo.backup_id = dir.filename().string();
    gpo.guid = text_of(require(file, core, "ID"));
    gpo.domain = text_of(child(core, "Domain"));
    gpo.display_name = text_of(child(core, "DisplayName"));
    gpo.options = text_of(child(core, "Options"));
    gpo.machine.version = parse_u32(file, require(file, core, "MachineVersionNumber"), "MachineVersionNumber");
    gpo.user.version = parse_u32(file, require(file, core, "UserVersionNumber"), "UserVersionNumber");
    gpo.machine.extensions = text_of(require(file, core, "MachineExtensionGuids"));
    gpo.user.extensions = text_of(require(file, core, "UserExtensionGuids"));

    for (auto ext = object.first_child(); ext; ext = ext.next_sibling()) {
        if (local_name(ext) != "GroupPolicyExtension")
            continue;
        for (auto f = ext.first_child(); f; f = f.next_sibling()) {
            if (local_name(f) != "FSObjectFile")
                continue;
            gpo.files.push_back({attribute(ext, "ID").value(), attribute(ext, "DescName").value(),
                                 attribute(f, "Path").value(), attribute(f, "SourceExpandedPath").value(),
                                 attribute(f, "Location").value()});
        }
    }

    if (auto info = util::find_child(dir, "bkupInfo.xml")) {
        refuse_link(*info);
        gpo.info = read_bkup_info(XmlFile::load(*info, display(*info)));
    }
    if (auto report = util::find_child(dir, "gpreport.xml")) {
        gpo.gpreport = *report;
        read_report_versions(*report, gpo.report_versions);
    }

    fs::path gpo_folder = dir / "DomainSysvol" / "GPO";
    if (auto sysvol = util::find_child(dir, "DomainSysvol"))
        gpo_folder = util::find_child(*sysvol, "GPO").value_or(*sysvol / "GPO");
    fill_side(gpo.machine, dir, gpo_folder, "Machine");
    fill_side(gpo.user, dir, gpo_folder, "User");
    return gpo;
}

GptIni parse_gpt_ini(const util::Bytes& bytes, const std::string& origin)
{
    const std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    GptIni ini;
    bool in_general = false;
    bool saw_general = false;
    std::size_t general_line = 1;
    bool saw_version = false;
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++line_no;
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::size_t line_end = end;
        if (line_end > start && text[line_end - 1] == '\r')
            --line_end;
        std::string_view line(text.data() + start, line_end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        const std::size_t line_start = start;
        start = end + 1;
        if (line.empty() || line.front() == ';')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                throw util::Error(util::at_line(origin, line_no, line.size() + 1, "expected ']' to close the section name"));
            in_general = util::iequal_ascii(line.substr(1, line.size() - 2), "General");
            if (in_general && !saw_general)
                general_line = line_no;
            saw_general |= in_general;
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos)
            throw util::Error(util::at_line(origin, line_no, 1, "expected name=value"));
        if (!in_general)
            continue;
        // Spaces around '=' are allowed, as Windows reads the file.
        std::string_view name = line.substr(0, eq);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.remove_suffix(1);
        std::size_t skip = eq + 1;
        while (skip < line.size() && (line[skip] == ' ' || line[skip] == '\t'))
            ++skip;
        const std::string_view value = line.substr(skip);
        const std::size_t value_begin = line_start + skip;
        if (util::iequal_ascii(name, "Version") && saw_version)
            continue; // Windows uses the first Version line
        if (util::iequal_ascii(name, "Version")) {
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ini.version);
            if (value.empty() || ec != std::errc{} || p != value.data() + value.size())
                throw util::Error(util::at_line(origin, line_no, skip + 1,
                                                fmt::format("Version \"{}\" is not a number from 0 to 4294967295", value)));
            ini.version_begin = value_begin;
            ini.version_end = value_begin + value.size();
            saw_version = true;
        } else if (util::iequal_ascii(name, "displayName")) {
            ini.display_name = std::string(value);
        } else if (util::iequal_ascii(name, "gPCMachineExtensionNames")) {
            ini.machine_extensions = std::string(value);
            ini.machine_extensions_range = std::pair{value_begin, value_begin + value.size()};
        } else if (util::iequal_ascii(name, "gPCUserExtensionNames")) {
            ini.user_extensions = std::string(value);
            ini.user_extensions_range = std::pair{value_begin, value_begin + value.size()};
        }
    }
    if (!saw_general)
        throw util::Error(util::at_line(origin, 1, 1, "no [General] section"));
    if (!saw_version)
        throw util::Error(util::at_line(origin, general_line, 1, "[General] has no Version="));
    return ini;
}

Gpo load_sysvol(const fs::path& given)
{
    const fs::path dir = clean_dir(given);
    const auto gpt = util::find_child(dir, "GPT.INI");
    if (!gpt)
        throw util::Error(display(dir) + ": not a SYSVOL GPO folder (no GPT.INI)");
    refuse_link(*gpt);
    const GptIni ini = parse_gpt_ini(util::read_file(*gpt), display(*gpt));
    Gpo gpo;
    gpo.kind = GpoKind::sysvol;
    gpo.dir = dir;
    gpo.guid = dir.filename().string();
    gpo.display_name = ini.display_name;
    gpo.machine.version = ini.version & 0xffffu;
    gpo.user.version = ini.version >> 16;
    gpo.machine.extensions = ini.machine_extensions;
    gpo.user.extensions = ini.user_extensions;
    fill_side(gpo.machine, dir, dir, "Machine");
    fill_side(gpo.user, dir, dir, "User");
    return gpo;
}

namespace {

void read_manifest(const fs::path& path, Catalogue& out)
{
    const XmlFile file = XmlFile::load(path, display(path));
    const auto root = file.root();
    if (local_name(root) != "Backups")
        throw util::Error(file.at(file.offset_of(root), "expected <Backups> as the root element"));
    for (auto inst = root.first_child(); inst; inst = inst.next_sibling()) {
        if (local_name(inst) != "BackupInst")
            continue;
        ManifestEntry e;
        e.id = text_of(child(inst, "ID"));
        e.gpo_guid = text_of(child(inst, "GPOGuid"));
        e.display_name = text_of(child(inst, "GPODisplayName"));
        e.domain = text_of(child(inst, "GPODomain"));
        e.backup_time = text_of(child(inst, "BackupTime"));
        e.manifest = path;
        const auto folder = e.id.empty() ? std::nullopt : util::find_child(path.parent_path(), e.id);
        e.folder_exists = folder && util::find_child(*folder, "Backup.xml").has_value();
        out.manifest.push_back(std::move(e));
    }
}

void walk(const fs::path& dir, Catalogue& out, int depth)
{
    if (depth > 16)
        return;
    std::error_code ec;
    std::vector<fs::path> subdirs;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (fs::is_symlink(status) || !fs::is_directory(status))
            continue;
        const std::string name = it->path().filename().string();
        if (name.rfind(".gpokit-", 0) == 0)
            continue;
        subdirs.push_back(it->path());
    }
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& sub : subdirs) {
        if (util::find_child(sub, "Backup.xml")) {
            try {
                out.backups.push_back(load_backup(sub));
            } catch (const util::Error& e) {
                out.problems.emplace_back(e.what());
            }
        } else {
            walk(sub, out, depth + 1);
        }
    }
    if (auto manifest = util::find_child(dir, "manifest.xml"); manifest && fs::is_regular_file(*manifest)) {
        try {
            read_manifest(*manifest, out);
        } catch (const util::Error& e) {
            out.problems.emplace_back(e.what());
        }
    }
}

bool matches(const Gpo& g, const Selector& s)
{
    if (!s.backup_id.empty() && !util::iequal_ascii(g.backup_id, s.backup_id))
        return false;
    if (s.gpo.empty())
        return true;
    return util::iequal_ascii(g.display_name, s.gpo) || util::iequal_ascii(g.guid, s.gpo) || util::iequal_ascii(g.backup_id, s.gpo);
}

std::string backup_time(const Gpo& g)
{
    return g.info ? g.info->backup_time : std::string();
}

} // namespace

Catalogue scan(const fs::path& root)
{
    Catalogue out;
    if (!fs::is_directory(root))
        throw util::Error(display(root) + ": not a folder");
    if (util::find_child(root, "Backup.xml")) {
        out.backups.push_back(load_backup(root));
        return out;
    }
    walk(root, out, 0);
    // A manifest one folder up describes the backups in the root's siblings too.
    if (root.has_parent_path()) {
        const auto parent = fs::absolute(root).parent_path();
        if (auto manifest = util::find_child(parent, "manifest.xml"); manifest && fs::is_regular_file(*manifest)) {
            try {
                read_manifest(*manifest, out);
            } catch (const util::Error& e) {
                out.problems.emplace_back(e.what());
            }
        }
    }
    return out;
}

Gpo open_gpo(const fs::path& path, const Selector& selector)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        throw util::Error(display(path) + ": not a folder (expected a GPO backup, a backup root or a SYSVOL GPO folder)");
    if (util::find_child(path, "Backup.xml")) {
        Gpo g = load_backup(path);
        if (!matches(g, selector))
            throw util::Error(fmt::format("{}: the backup of \"{}\" does not match --gpo/--backup-id", display(path),
                                          g.display_name));
        return g;
    }
    if (util::find_child(path, "GPT.INI")) {
        // The GPO folder inside a snapshot (<root>/<domain>/Policies/{GUID}) is read as
        // the snapshot, with what the directory said.
        const fs::path dir = clean_dir(fs::absolute(path));
        const fs::path root = dir.parent_path().parent_path().parent_path();
        if (!root.empty() && util::find_child(root, k_snapshot_file)) {
            Gpo g = load_snapshot(root);
            std::error_code same_ec;
            if (fs::equivalent(g.dir, dir, same_ec) && matches(g, selector))
                return g;
        }
        return load_sysvol(path);
    }
    if (util::find_child(path, k_snapshot_file)) {
        Gpo g = load_snapshot(path);
        if (!matches(g, selector))
            throw util::Error(fmt::format("{}: the snapshot of \"{}\" does not match --gpo/--backup-id", display(path),
                                          g.display_name));
        return g;
    }

    Catalogue cat = scan(path);
    // A broken backup or manifest.xml in the set is an error even when another backup
    // would match: Import-GPO reads the same files.
    if (!cat.problems.empty())
        throw util::Error(cat.problems.front());
    std::vector<Gpo> found;
    for (auto& g : cat.backups)
        if (matches(g, selector))
            found.push_back(std::move(g));
    if (found.empty()) {
        throw util::Error(display(path) + ": no GPO backup " +
                          (selector.gpo.empty() && selector.backup_id.empty() ? std::string("found")
                                                                              : "matches --gpo/--backup-id"));
    }
    // Several backups of one GPO: the newest by BackupTime (ISO 8601 sorts as text).
    const std::string guid = found.front().guid;
    const bool one_gpo = std::all_of(found.begin(), found.end(), [&](const Gpo& g) { return util::iequal_ascii(g.guid, guid); });
    if (!one_gpo) {
        std::string names;
        std::vector<std::string> guids;
        for (const auto& g : found) {
            names += fmt::format("\n  {} {} (backup {})", g.guid, g.display_name, g.backup_id);
            if (std::none_of(guids.begin(), guids.end(), [&](const auto& x) { return util::iequal_ascii(x, g.guid); }))
                guids.push_back(g.guid);
        }
        throw util::Error(fmt::format("{}: {} GPOs found ({} backups); choose one with --gpo NAME|GUID|BACKUP-ID:{}",
                                      display(path), guids.size(), found.size(), names));
    }
    return *std::max_element(found.begin(), found.end(),
                             [](const Gpo& a, const Gpo& b) { return backup_time(a) < backup_time(b); });
}

} // namespace gpokit::gpo

namespace gpokit::gpo {

bool names_one_gpo(const fs::path& path, const Selector& selector)
{
    return util::find_child(path, "Backup.xml") || util::find_child(path, "GPT.INI") ||
           util::find_child(path, k_snapshot_file) || !selector.gpo.empty() || !selector.backup_id.empty();
}

std::vector<Gpo> gpos_at(const fs::path& path, const Selector& selector)
{
    if (names_one_gpo(path, selector))
        return {open_gpo(path, selector)};
    return scan(path).backups;
}

} // namespace gpokit::gpo

namespace gpokit::gpo {

bool Gpo::side_disabled(pol::Side s) const
{
    std::uint32_t bits = 0;
    const auto [end, ec] = std::from_chars(options.data(), options.data() + options.size(), bits);
    (void)end;
    if (ec != std::errc{})
        return false;
    return (bits & (s == pol::Side::machine ? 2u : 1u)) != 0;
}

const FileEntry* Gpo::registry_entry(pol::Side s) const
{
    const std::string want = s == pol::Side::machine ? "domainsysvol\\gpo\\machine\\registry.pol"
                                                     : "domainsysvol\\gpo\\user\\registry.pol";
    for (const auto& f : files) {
        std::string location = f.location;
        for (auto& c : location)
            c = c == '/' ? '\\' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (location == want)
            return &f;
    }
    return nullptr;
}

} // namespace gpokit::gpo
