#include "gpo/lint.hpp"

#include "gpo/bookkeeping.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/gpt_ini.hpp"
#include "util/xml_file.hpp"
#include "pol/effective.hpp"
#include "pol/pol_check.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "settings/audit.hpp"
#include "settings/inf_file.hpp"
#include "settings/preferences.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace gpokit::gpo {

namespace fs = std::filesystem;
using util::XmlFile;
using util::attribute;
using util::child;
using util::local_name;
using util::text_of;

namespace {

// Where an element of Backup.xml is, or just the file when the element is absent.
class BackupXmlPositions {
public:
    explicit BackupXmlPositions(const Gpo& gpo)
    {
        if (gpo.layout != Layout::backup)
            return;
        const auto path = util::find_child(gpo.dir, "Backup.xml");
        if (!path)
            return;
        m_file.emplace(XmlFile::load(*path, gpo.name_of(*path)));
        m_core = child(child(m_file->root(), "GroupPolicyObject"), "GroupPolicyCoreSettings");
    }

    util::Position core(std::string_view element) const
    {
        if (!m_file)
            return {};
        const auto node = child(m_core, element);
        return m_file->position_at(node ? m_file->offset_of(node) : 0);
    }

    util::Position file() const { return m_file ? util::Position::at_line(m_file->origin(), 1, 1) : util::Position{}; }

private:
    std::optional<XmlFile> m_file;
    pugi::xml_node m_core;
};

// A finding for an error: at its position, or at the file it is about (`file`) with the
// whole message.
LintFinding finding_of(const util::Error& e, LintCode code, const std::string& file)
{
    if (e.where())
        return {*e.where(), code, e.message()};
    return {util::Position::of_file(file), code, e.what()};
}

struct Linter {
    const Target& target;
    const Gpo& gpo;
    const std::vector<SideCheck>& checks;
    std::vector<LintFinding>& out;
    BackupXmlPositions positions{gpo};

    void add(util::Position where, LintCode code, std::string message)
    {
        out.push_back({std::move(where), code, std::move(message)});
    }

    util::Position gpt_ini() const
    {
        return util::Position::at_line(gpo.name_of(*util::find_child(gpo.dir, "GPT.INI")), 1, 1);
    }

    util::Position ext_where(pol::Side side) const
    {
        switch (gpo.side(side).extensions_home) {
        case ExtensionsHome::backup_xml:
            return positions.core(side == pol::Side::machine ? "MachineExtensionGuids" : "UserExtensionGuids");
        case ExtensionsHome::directory: // the container's attribute
            return util::Position::of_file(fmt::format(
                "{} {}", gpo.directory ? gpo.directory->dn : gpo.name_of(gpo.dir),
                side == pol::Side::machine ? "gPCMachineExtensionNames" : "gPCUserExtensionNames"));
        case ExtensionsHome::gpt_ini:
        case ExtensionsHome::elsewhere:
            break;
        }
        return gpt_ini();
    }

    util::Position version_where(pol::Side side) const
    {
        if (gpo.layout == Layout::backup)
            return positions.core(side == pol::Side::machine ? "MachineVersionNumber" : "UserVersionNumber");
        return gpt_ini();
    }

    // The side's registry.pol, if it parsed (a file that does not is a finding).
    std::optional<pol::PolFile> registry(pol::Side side)
    {
        const auto& s = gpo.side(side);
        if (!s.registry_pol)
            return std::nullopt;
        std::optional<pol::PolFile> file;
        try {
            file = target.registry(side);
        } catch (const util::Error& e) {
            out.push_back(finding_of(e, LintCode::registry_pol, gpo.name_of(*s.registry_pol)));
            return std::nullopt;
        }
        registry_checks(target, side, *file, checks, out);
        return file;
    }

    static void registry_checks(const Target& t, pol::Side side, const pol::PolFile& file,
                                const std::vector<SideCheck>& checks, std::vector<LintFinding>& out)
    {
        for (const auto& f : pol::check(file)) {
            const std::string record = f.record ? fmt::format("record {}: ", f.record) : std::string();
            out.push_back({util::Position::at_offset(file.origin(), f.offset), LintCode::registry_pol,
                           fmt::format("{}{} [{}]", record, f.message, f.code)});
        }
        for (const auto& check : checks)
            check(t, side, file, out);
    }

    void side(pol::Side side)
    {
        const auto& s = gpo.side(side);
        const char* label = side_name(side);
        const std::optional<pol::PolFile> file = registry(side);
        const bool has_settings = file && !file->records.empty();

        std::optional<ExtensionList> list;
        if (s.extensions) {
            std::string error;
            list = parse_extension_list(*s.extensions, &error);
            if (!list)
                add(ext_where(side), LintCode::extension_list,
                    fmt::format("malformed {} extension list \"{}\": {}", label, *s.extensions, error));
            else if (!is_sorted(*list))
                add(ext_where(side), LintCode::extension_list,
                    fmt::format("the {} extension list is not sorted by GUID; clients stop at the first entry out "
                                "of order: \"{}\"",
                                label, *s.extensions));
        }
        // Clients look for the extension GUID only; the tool GUID names the editor that wrote
        // the settings (Administrative Templates, AppLocker, certificates, firewall all write
        // registry.pol under the Registry extension with their own tool GUID).
        if (list && has_settings && !list->has_cse(k_registry_cse))
            add(ext_where(side), LintCode::extension_missing,
                fmt::format("{} has registry settings but the {} extension list lacks the Registry extension {}: "
                            "clients ignore them (expected [{}{}]: {})",
                            gpo.name_of(*s.registry_pol), label, k_registry_cse, k_registry_cse, registry_tool(side),
                            pair_text(k_registry_cse, registry_tool(side))));
        if (list && !s.registry_pol && list->has_cse(k_registry_cse))
            add(ext_where(side), LintCode::extension_unused,
                fmt::format("the {} extension list names the Registry extension but there is no {} registry.pol",
                            label, label));
        if (has_settings && gpo.layout == Layout::backup && gpo.registry_entry(side) == nullptr)
            add(positions.file(), LintCode::fsobject_missing,
                fmt::format("Backup.xml lists no FSObjectFile for the {} registry.pol: an import leaves it behind",
                            label));
        if (has_settings && gpo.side_disabled(side))
            add(gpo.layout == Layout::backup ? positions.core("Options") : ext_where(side), LintCode::side_disabled,
                fmt::format("the {} side has registry settings but is disabled ({}={}): clients ignore them", label,
                            gpo.directory ? "flags" : "Options", *gpo.options));
        if (has_settings && s.version.highest() == 0)
            add(version_where(side), LintCode::version_zero,
                fmt::format("the {} side has registry settings but its version is 0: clients never apply it", label));
    }

    void gpt()
    {
        if (gpo.layout != Layout::sysvol)
            return;
        const auto path = *util::find_child(gpo.dir, "GPT.INI");
        const std::string origin = gpo.name_of(path);
        const GptIni ini = parse_gpt_ini(util::read_file(path, origin), origin);
        if (ini.second_version_line)
            add(util::Position::at_line(origin, *ini.second_version_line, 1), LintCode::gpt_ini,
                fmt::format("a second Version line in [General]: Windows reads the first ({}) and ignores this one",
                            ini.version));
    }

    void identity()
    {
        if (gpo.layout != Layout::backup || !gpo.info)
            return;
        const auto& info = *gpo.info;
        const auto& where = info.where;
        if (!util::iequal_ascii(info.gpo_guid, gpo.guid))
            add(where, LintCode::identity, fmt::format("GPOGuid {} differs from Backup.xml's ID {}", info.gpo_guid, gpo.guid));
        if (info.display_name != gpo.display_name)
            add(where, LintCode::identity, fmt::format("GPODisplayName \"{}\" differs from Backup.xml's DisplayName \"{}\"",
                                               info.display_name, gpo.display_name));
        if (!util::iequal_ascii(info.id, gpo.backup_id))
            add(where, LintCode::identity, fmt::format("ID {} differs from the backup folder's name {}", info.id, gpo.backup_id));
    }

    // The settings files other than registry.pol: each must parse; a preference must not
    // carry a password.
    void settings_files()
    {
        const fs::path root = gpo.machine.folder.parent_path();
        std::error_code ec;
        for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file(ec) || it->is_symlink(ec))
                continue;
            const std::string relative = util::to_lower_ascii(it->path().lexically_relative(root).generic_string());
            const std::string name = gpo.name_of(it->path());
            try {
                if (relative == "machine/microsoft/windows nt/secedit/gpttmpl.inf") {
                    settings::InfFile::parse(util::read_file(it->path(), name), name);
                } else if (relative == "machine/microsoft/windows nt/audit/audit.csv") {
                    settings::AuditFile::load(it->path(), name);
                } else if (settings::is_preferences_path(relative)) {
                    const auto file = settings::PreferencesFile::load(it->path(), name);
                    for (const auto& at : file.cpassword_positions())
                        add(at, LintCode::cpassword,
                            "a Group Policy Preferences password (cpassword): every domain user can read it and "
                            "the key that decrypts it is public (MS14-025); remove it and use LAPS or another "
                            "way to set the password");
                }
            } catch (const util::Error& e) {
                out.push_back(finding_of(e, LintCode::settings, name));
            }
        }
    }

    void links()
    {
        for (const auto& [link, target_path] : outward_links(gpo))
            add(util::Position::of_file(gpo.name_of(link)), LintCode::link_outside,
                fmt::format("a symbolic link leading out of the GPO (to {}): readers do not follow it, and an edit "
                            "refuses the GPO",
                            target_path.generic_string()));
    }

    void duplicate_entries()
    {
        std::map<std::string, std::size_t> paths, locations;
        for (const auto& f : gpo.files) {
            const std::string path = normal_backup_path(f.path);
            const std::string location = normal_backup_path(f.location);
            if (!path.empty() && paths[path]++ == 1)
                add(positions.file(), LintCode::fsobject_duplicate,
                    fmt::format("Backup.xml lists bkp:Path \"{}\" more than once: an import copies one of them", f.path));
            if (!location.empty() && locations[location]++ == 1)
                add(positions.file(), LintCode::fsobject_duplicate,
                    fmt::format("Backup.xml lists bkp:Location \"{}\" more than once", f.location));
        }
    }

    void locations()
    {
        for (const auto& f : gpo.files) {
            if (f.location.empty())
                continue;
            const auto& where = f.where;
            try {
                const fs::path p = util::resolve_inside(gpo.dir, f.location);
                std::error_code ec;
                if (!fs::exists(p, ec))
                    add(where, LintCode::location, fmt::format("bkp:Location \"{}\" names a file the backup does not have",
                                                       f.location));
            } catch (const util::Error& e) {
                add(where, LintCode::location, fmt::format("bkp:Location: {}", e.what()));
            }
        }
    }

    void report()
    {
        if (gpo.layout != Layout::backup || !gpo.report)
            return;
        const auto& r = *gpo.report;
        const std::string where = gpo.name_of(r.path);
        if (r.problem) {
            out.push_back(finding_of(*r.problem, LintCode::gpreport, where));
            return;
        }
        auto check = [&](const char* label, const SideVersion& version, std::optional<std::uint16_t> dir,
                         std::optional<std::uint16_t> sysvol) {
            if (!dir || !sysvol)
                return;
            if (*dir != version.directory.value_or(0) || *sysvol != version.sysvol)
                add(r.versions_at, LintCode::gpreport_stale,
                    fmt::format("gpreport.xml reports {} version {}/{} (directory/sysvol) but Backup.xml holds {}/{}: "
                                "the report is stale",
                                label, *dir, *sysvol, version.directory.value_or(0), version.sysvol));
        };
        check("machine", gpo.machine.version, r.machine_directory, r.machine_sysvol);
        check("user", gpo.user.version, r.user_directory, r.user_sysvol);
        if (!r.registry_values.empty())
            report_values();
    }

    // Every plain registry value the report lists must be what registry.pol gives a client.
    void report_values()
    {
        // The effective values point into their files: both live as long as the states.
        std::optional<pol::PolFile> files[2];
        std::optional<pol::EffectiveState> states[2];
        for (const auto side : {pol::Side::machine, pol::Side::user}) {
            if (!gpo.side(side).registry_pol)
                continue;
            const int i = side == pol::Side::machine ? 0 : 1;
            try {
                files[i] = target.registry(side);
                states[i] = pol::apply(*files[i]);
            } catch (const util::Error&) {
                return; // the file's own finding (registry-pol) says why; nothing to compare against
            }
        }
        for (const auto& v : gpo.report->registry_values) {
            const int i = v.side == pol::Side::machine ? 0 : 1;
            const pol::EffectiveValue* got =
                states[i] ? states[i]->find(util::utf8_to_u16(v.key), util::utf8_to_u16(v.name)) : nullptr;
            const char* label = side_name(v.side);
            if (got == nullptr) {
                add(v.where, LintCode::gpreport_registry,
                    fmt::format("the report lists {} value {}\\{} but the {} registry.pol does not set it", label,
                                v.key, v.name, label));
                continue;
            }
            const pol::Value data = pol::decode(got->type, got->data);
            const bool same = v.number ? (std::holds_alternative<std::uint64_t>(data) &&
                                          std::get<std::uint64_t>(data) == *v.number)
                                       : (std::holds_alternative<std::string>(data) && std::get<std::string>(data) == *v.text);
            if (!same)
                add(v.where, LintCode::gpreport_registry,
                    fmt::format("the report gives {} value {}\\{} as {} but registry.pol sets {}", label, v.key,
                                v.name, v.number ? std::to_string(*v.number) : "\"" + *v.text + "\"",
                                pol::type_name(got->type)));
        }
    }
};

} // namespace

const char* lint_code_name(LintCode code)
{
    switch (code) {
    case LintCode::registry_pol: return "registry-pol";
    case LintCode::extension_missing: return "extension-missing";
    case LintCode::extension_unused: return "extension-unused";
    case LintCode::extension_list: return "extension-list";
    case LintCode::fsobject_missing: return "fsobject-missing";
    case LintCode::fsobject_duplicate: return "fsobject-duplicate";
    case LintCode::link_outside: return "link-outside";
    case LintCode::side_disabled: return "side-disabled";
    case LintCode::version_zero: return "version-zero";
    case LintCode::gpt_ini: return "gpt-ini";
    case LintCode::identity: return "identity";
    case LintCode::manifest_stale: return "manifest-stale";
    case LintCode::location: return "location";
    case LintCode::gpreport: return "gpreport";
    case LintCode::gpreport_stale: return "gpreport-stale";
    case LintCode::gpreport_registry: return "gpreport-registry";
    case LintCode::unreadable: return "unreadable";
    case LintCode::leftover: return "leftover";
    case LintCode::settings: return "settings";
    case LintCode::cpassword: return "cpassword";
    case LintCode::kerberos: return "kerberos";
    }
    return "";
}

namespace {

// Temporaries a killed gpokit left beside the target (an edit's copy of a GPO, a file
// written before it replaced another) or inside a GPO.
void leftovers(const Target& target, std::vector<LintFinding>& out)
{
    const fs::path own = target.is_gpo() ? target.root() : target.file();
    const std::string name = own.filename().string();
    std::vector<fs::path> found;
    std::error_code ec;
    for (fs::directory_iterator it(fs::absolute(own).parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (util::is_temporary_name(entry) &&
            (entry.rfind(".gpokit-" + name + "-", 0) == 0 || entry.rfind("." + name + ".gpokit-", 0) == 0))
            found.push_back(it->path());
    }
    if (target.is_gpo())
        for (auto& p : util::leftover_temporaries(target.root()))
            found.push_back(std::move(p));
    std::sort(found.begin(), found.end());
    for (const auto& p : found)
        out.push_back({util::Position::of_file(util::display_path(p)), LintCode::leftover,
                       "left by a gpokit edit that was killed (the GPO itself is whole); `gpokit gpo clean` removes "
                       "it"});
}

} // namespace

std::vector<LintFinding> lint(const Target& target, const std::vector<SideCheck>& checks)
{
    std::vector<LintFinding> out;
    if (target.kind() != SourceKind::live)
        leftovers(target, out);
    if (!target.is_gpo()) {
        const pol::Side side = *target.only();
        try {
            Linter::registry_checks(target, side, target.registry(side), checks, out);
        } catch (const util::Error& e) {
            out.push_back(finding_of(e, LintCode::registry_pol, target.label()));
        }
        return out;
    }
    Linter l{target, target.gpo(), checks, out};
    l.side(pol::Side::machine);
    l.side(pol::Side::user);
    l.gpt();
    l.identity();
    l.links();
    l.settings_files();
    l.duplicate_entries();
    l.locations();
    l.report();
    return out;
}

std::vector<LintFinding> lint(const TargetSet& set, const std::vector<SideCheck>& checks)
{
    std::vector<LintFinding> out;
    for (const auto& problem : set.problems)
        out.push_back(finding_of(problem, LintCode::unreadable, "(backup set)"));
    for (const auto& t : set.targets) {
        auto found = lint(t, checks);
        out.insert(out.end(), found.begin(), found.end());
        if (!t.is_gpo())
            continue;
        const Gpo& g = t.gpo();
        // The manifest entry for this backup must agree with it.
        for (const auto& m : set.manifest) {
            if (!util::iequal_ascii(m.id, g.backup_id))
                continue;
            if (!util::iequal_ascii(m.gpo_guid, g.guid) || m.display_name != g.display_name)
                out.push_back({m.where, LintCode::identity,
                               fmt::format("the entry for backup {} says GPO {} \"{}\", the backup holds {} \"{}\"",
                                           m.id, m.gpo_guid, m.display_name, g.guid, g.display_name)});
        }
    }
    for (const auto& m : set.manifest)
        if (!m.folder_exists)
            out.push_back({m.where, LintCode::manifest_stale,
                           fmt::format("lists backup {} (\"{}\") but there is no such folder beside it", m.id,
                                       m.display_name)});
    return out;
}

} // namespace gpokit::gpo
