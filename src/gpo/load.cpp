#include "gpo/load.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/xml_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace gpokit::gpo {

namespace fs = std::filesystem;
using util::XmlFile;
using util::attribute;
using util::child;
using util::local_name;
using util::text_of;

namespace {

std::string display(const fs::path& p)
{
    return util::display_path(p);
}

std::uint32_t parse_number(const XmlFile& file, pugi::xml_node element, std::string_view what)
{
    const std::string text = text_of(element);
    std::uint32_t out = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size())
        throw file.error(file.offset_of(element), fmt::format("{} \"{}\" is not a number", what, text));
    if (ec == std::errc::result_out_of_range)
        throw file.error(file.offset_of(element), fmt::format("{} {} is out of range (0 to 4294967295)", what, text));
    return out;
}

SideVersion backup_version(const XmlFile& file, pugi::xml_node element, std::string_view what)
{
    const std::uint32_t v = parse_number(file, element, what);
    return SideVersion{static_cast<std::uint16_t>(v & 0xffffu), static_cast<std::uint16_t>(v >> 16)};
}

pugi::xml_node require(const XmlFile& file, pugi::xml_node parent, std::string_view name)
{
    const auto node = child(parent, name);
    if (!node)
        throw file.error(file.offset_of(parent), fmt::format("<{}> has no <{}>", parent.name(), name));
    return node;
}

// Refuses a GPO file that is a symbolic link: gpokit never reads or writes through one.
void refuse_link(const Gpo& gpo, const fs::path& path)
{
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec)))
        throw util::Error(gpo.name_of(path) + ": is a symbolic link; gpokit does not follow links in a GPO");
}

// Fills a side from its folder under `gpo_folder`; `gpo.dir` is the backup or SYSVOL GPO
// folder, which nothing gpokit reads or writes may leave (a link in between is refused).
void fill_side(const Gpo& gpo, GpoSide& side, const fs::path& gpo_folder, std::string_view name)
{
    const auto folder = util::find_child(gpo_folder, name);
    side.folder = folder ? *folder : gpo_folder / std::string(name);
    std::error_code ec;
    if (fs::exists(gpo_folder, ec) && !util::is_inside(gpo.dir, gpo_folder))
        throw util::Error(gpo.name_of(gpo_folder) + ": leads outside " + gpo.name_of(gpo.dir) +
                          " (a symbolic link); gpokit does not follow links out of a GPO");
    if (folder) {
        refuse_link(gpo, *folder);
        if (auto pol = util::find_child(*folder, "registry.pol")) {
            refuse_link(gpo, *pol);
            side.registry_pol = *pol;
        }
    }
}

BackupInfo read_bkup_info(const XmlFile& file)
{
    const auto root = file.root();
    if (local_name(root) != "BackupInst")
        throw file.error(file.offset_of(root), "expected <BackupInst> as the root element");
    auto get = [&](std::string_view name) { return text_of(child(root, name)); };
    return {get("GPOGuid"),    get("GPODomain"), get("GPODomainGuid"), get("GPODomainController"),
            get("BackupTime"), get("ID"),        get("Comment"),       get("GPODisplayName"),
            file.position_at(file.offset_of(root))};
}

std::optional<std::uint16_t> report_number(pugi::xml_node side, std::string_view name)
{
    const std::string text = text_of(child(side, name));
    std::uint16_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

// gpreport.xml is Windows' own report. A report that cannot be read keeps the error
// (lint reports it with its position); the GPO itself is still readable.
Report read_report(const Gpo& gpo, const fs::path& path)
{
    Report out;
    out.path = path;
    try {
        const XmlFile report = XmlFile::load(path, gpo.name_of(path));
        const auto computer = child(report.root(), "Computer");
        const auto user = child(report.root(), "User");
        out.versions_at = report.position_at(report.offset_of(computer ? computer : report.root()));
        out.machine_directory = report_number(computer, "VersionDirectory");
        out.machine_sysvol = report_number(computer, "VersionSysvol");
        out.user_directory = report_number(user, "VersionDirectory");
        out.user_sysvol = report_number(user, "VersionSysvol");
        for (const auto& [side_node, side] : {std::pair{computer, pol::Side::machine}, std::pair{user, pol::Side::user}}) {
            for (const auto& hit : side_node.select_nodes(".//*[local-name()='RegistrySetting']")) {
                const auto setting = hit.node();
                const auto value = child(setting, "Value");
                if (!value)
                    continue; // a key without a value
                ReportRegistryValue v{side, text_of(child(setting, "KeyPath")), text_of(child(value, "Name")), {}, {},
                                      report.position_at(report.offset_of(setting))};
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
    } catch (const util::Error& e) {
        out.problem = e;
    }
    return out;
}

} // namespace

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

Gpo load_backup(const fs::path& given, util::ShownPaths shown)
{
    Gpo gpo;
    gpo.layout = Layout::backup;
    gpo.dir = clean_dir(given);
    gpo.shown = std::move(shown);
    gpo.backup_id = gpo.dir.filename().string();
    const auto backup_xml = util::find_child(gpo.dir, "Backup.xml");
    if (!backup_xml)
        throw util::Error(gpo.name_of(gpo.dir) + ": not a GPO backup folder (no Backup.xml)");
    refuse_link(gpo, *backup_xml);
    const XmlFile file = XmlFile::load(*backup_xml, gpo.name_of(*backup_xml));
    const auto root = file.root();
    if (local_name(root) != "GroupPolicyBackupScheme")
        throw file.error(file.offset_of(root), "expected <GroupPolicyBackupScheme> as the root element");
    const auto object = require(file, root, "GroupPolicyObject");
    const auto core = require(file, object, "GroupPolicyCoreSettings");

    gpo.guid = text_of(require(file, core, "ID"));
    gpo.domain = text_of(child(core, "Domain"));
    gpo.display_name = text_of(child(core, "DisplayName"));
    if (const auto options = child(core, "Options"); options && !text_of(options).empty()) {
        gpo.options = parse_number(file, options, "Options");
    }
    gpo.machine.version = backup_version(file, require(file, core, "MachineVersionNumber"), "MachineVersionNumber");
    gpo.user.version = backup_version(file, require(file, core, "UserVersionNumber"), "UserVersionNumber");
    gpo.machine.extensions = text_of(require(file, core, "MachineExtensionGuids"));
    gpo.user.extensions = text_of(require(file, core, "UserExtensionGuids"));
    gpo.machine.extensions_home = gpo.user.extensions_home = ExtensionsHome::backup_xml;

    if (const auto sd = child(core, "SecurityDescriptor")) {
        try {
            gpo.security_descriptor = util::from_hex(text_of(sd));
        } catch (const util::Error& e) {
            throw file.error(file.offset_of(sd), fmt::format("<SecurityDescriptor> is not hex bytes: {}", e.what()));
        }
    }
    if (const auto wmi = child(core, "WMIFilter"))
        gpo.wmi_filter = text_of(wmi);
    for (auto g = child(object, "SecurityGroups").first_child(); g; g = g.next_sibling())
        if (local_name(g) == "Group")
            gpo.security_groups.push_back(
                {text_of(child(g, "Sid")), text_of(child(g, "SamAccountName")), text_of(child(g, "NetBIOSDomainName"))});
    for (auto f = child(object, "FilePaths").first_child(); f; f = f.next_sibling())
        if (f.type() == pugi::node_element)
            gpo.file_paths.push_back(text_of(f));

    for (auto ext = object.first_child(); ext; ext = ext.next_sibling()) {
        if (local_name(ext) != "GroupPolicyExtension")
            continue;
        for (auto f = ext.first_child(); f; f = f.next_sibling()) {
            if (local_name(f) != "FSObjectFile")
                continue;
            gpo.files.push_back({attribute(ext, "ID").value(), attribute(ext, "DescName").value(),
                                 attribute(f, "Path").value(), attribute(f, "SourceExpandedPath").value(),
                                 attribute(f, "Location").value(), file.position_at(file.offset_of(f))});
        }
    }

    if (auto info = util::find_child(gpo.dir, "bkupInfo.xml")) {
        refuse_link(gpo, *info);
        gpo.info = read_bkup_info(XmlFile::load(*info, gpo.name_of(*info)));
    }
    if (auto report = util::find_child(gpo.dir, "gpreport.xml")) {
        refuse_link(gpo, *report);
        gpo.report = read_report(gpo, *report);
    }

    fs::path gpo_folder = gpo.dir / "DomainSysvol" / "GPO";
    if (auto sysvol = util::find_child(gpo.dir, "DomainSysvol"))
        gpo_folder = util::find_child(*sysvol, "GPO").value_or(*sysvol / "GPO");
    fill_side(gpo, gpo.machine, gpo_folder, "Machine");
    fill_side(gpo, gpo.user, gpo_folder, "User");
    return gpo;
}

Gpo load_sysvol(const fs::path& given, util::ShownPaths shown)
{
    Gpo gpo;
    gpo.layout = Layout::sysvol;
    gpo.dir = clean_dir(given);
    gpo.shown = std::move(shown);
    gpo.guid = gpo.dir.filename().string();
    const auto gpt = util::find_child(gpo.dir, "GPT.INI");
    if (!gpt)
        throw util::Error(gpo.name_of(gpo.dir) + ": not a SYSVOL GPO folder (no GPT.INI)");
    refuse_link(gpo, *gpt);
    const std::string origin = gpo.name_of(*gpt);
    const GptIni ini = parse_gpt_ini(util::read_file(*gpt, origin), origin);
    gpo.display_name = ini.display_name;
    gpo.machine.version.sysvol = static_cast<std::uint16_t>(ini.version & 0xffffu);
    gpo.user.version.sysvol = static_cast<std::uint16_t>(ini.version >> 16);
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        auto& s = gpo.side(side);
        s.extensions = side == pol::Side::machine ? ini.machine_extensions : ini.user_extensions;
        s.extensions_home = s.extensions ? ExtensionsHome::gpt_ini : ExtensionsHome::elsewhere;
    }
    fill_side(gpo, gpo.machine, gpo.dir, "Machine");
    fill_side(gpo, gpo.user, gpo.dir, "User");
    return gpo;
}

namespace {

// Reads manifest.xml at `path`; `shown` is how messages name it (the path as the user
// reached it when that differs).
void read_manifest(const fs::path& path, Catalogue& out, const fs::path& shown = {})
{
    const XmlFile file = XmlFile::load(path, display(shown.empty() ? path : shown));
    const auto root = file.root();
    if (local_name(root) != "Backups")
        throw file.error(file.offset_of(root), "expected <Backups> as the root element");
    for (auto inst = root.first_child(); inst; inst = inst.next_sibling()) {
        if (local_name(inst) != "BackupInst")
            continue;
        ManifestEntry e;
        e.id = text_of(child(inst, "ID"));
        e.gpo_guid = text_of(child(inst, "GPOGuid"));
        e.display_name = text_of(child(inst, "GPODisplayName"));
        e.domain = text_of(child(inst, "GPODomain"));
        e.backup_time = text_of(child(inst, "BackupTime"));
        e.manifest = shown.empty() ? path : shown;
        e.where = file.position_at(file.offset_of(inst));
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
                out.problems.push_back(e);
            }
        } else {
            walk(sub, out, depth + 1);
        }
    }
    if (auto manifest = util::find_child(dir, "manifest.xml"); manifest && fs::is_regular_file(*manifest)) {
        try {
            read_manifest(*manifest, out);
        } catch (const util::Error& e) {
            out.problems.push_back(e);
        }
    }
}

} // namespace

std::string manifest_above_hint(const fs::path& root)
{
    if (!util::find_child(util::folder_path(root).parent_path(), "manifest.xml"))
        return {};
    return "; the folder above holds a manifest.xml: point at " +
           display((root / "..").lexically_normal()) + " instead";
}

Catalogue scan(const fs::path& root)
{
    Catalogue out;
    if (!fs::is_directory(root))
        throw util::Error(display(root) + ": not a folder");
    if (util::find_child(root, "Backup.xml")) {
        out.backups.push_back(load_backup(root));
        // GPMC keeps manifest.xml beside the backup folders: the entry for this one is read
        // from the folder above (the entries for its siblings do not concern it).
        const fs::path folder = util::folder_path(root);
        const fs::path parent = folder.parent_path();
        if (auto manifest = util::find_child(parent, "manifest.xml"); manifest && fs::is_regular_file(*manifest)) {
            const fs::path shown = root / ".." / manifest->filename();
            try {
                Catalogue above;
                read_manifest(*manifest, above, shown.lexically_normal());
                const std::string name = folder.filename().string();
                for (auto& e : above.manifest)
                    if (util::iequal_ascii(e.id, name))
                        out.manifest.push_back(std::move(e));
            } catch (const util::Error& e) {
                out.problems.push_back(e);
            }
        }
        return out;
    }
    walk(root, out, 0);
    return out;
}


const char* side_name(pol::Side s)
{
    return s == pol::Side::machine ? "machine" : "user";
}

bool Gpo::side_disabled(pol::Side s) const
{
    return options && (*options & (s == pol::Side::machine ? 2u : 1u)) != 0;
}

std::string normal_backup_path(std::string_view text)
{
    std::string out = util::to_lower_ascii(text);
    std::replace(out.begin(), out.end(), '/', '\\');
    return out;
}

const FileEntry* Gpo::misplaced_registry_entry(pol::Side s) const
{
    if (registry_entry(s) != nullptr)
        return nullptr;
    const std::string want = s == pol::Side::machine ? "%gpo_mach_fspath%\\registry.pol" : "%gpo_user_fspath%\\registry.pol";
    for (const auto& f : files)
        if (normal_backup_path(f.path) == want)
            return &f;
    return nullptr;
}

std::vector<std::pair<fs::path, fs::path>> outward_links(const Gpo& gpo)
{
    std::vector<std::pair<fs::path, fs::path>> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(gpo.dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!fs::is_symlink(it->symlink_status(ec)))
            continue;
        const fs::path target = fs::read_symlink(it->path(), ec);
        const fs::path resolved = (target.is_absolute() ? target : it->path().parent_path() / target).lexically_normal();
        const fs::path rel = resolved.lexically_relative(gpo.dir.lexically_normal());
        if (target.is_absolute() || rel.empty() || *rel.begin() == "..")
            out.emplace_back(it->path(), target);
    }
    return out;
}

const FileEntry* Gpo::registry_entry(pol::Side s) const
{
    const std::string want = s == pol::Side::machine ? "domainsysvol\\gpo\\machine\\registry.pol"
                                                     : "domainsysvol\\gpo\\user\\registry.pol";
    for (const auto& f : files)
        if (normal_backup_path(f.location) == want)
            return &f;
    return nullptr;
}

} // namespace gpokit::gpo
