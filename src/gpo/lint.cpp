#include "gpo/lint.hpp"

#include "gpo/extension_list.hpp"
#include "gpo/xml_text.hpp"
#include "pol/effective.hpp"
#include "pol/pol_check.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {


// "where" for an element of Backup.xml, or just the file when the element is absent.
class BackupXmlPositions {
public:
    explicit BackupXmlPositions(const Gpo& gpo)
    {
        if (gpo.kind != GpoKind::backup)
            return;
        const auto path = util::find_child(gpo.dir, "Backup.xml");
        if (!path)
            return;
        m_file.emplace(XmlFile::load(*path, util::display_path(*path)));
        m_core = child(child(m_file->root(), "GroupPolicyObject"), "GroupPolicyCoreSettings");
    }

    std::string core(std::string_view element) const
    {
        if (!m_file)
            return {};
        const auto node = child(m_core, element);
        return m_file->position(node ? m_file->offset_of(node) : 0);
    }

    std::string file() const { return m_file ? m_file->origin() : std::string(); }

private:
    std::optional<XmlFile> m_file;
    pugi::xml_node m_core;
};

struct Linter {
    const Gpo& gpo;
    std::vector<LintFinding>& out;
    BackupXmlPositions positions{gpo};

    void add(std::string where, std::string code, std::string message)
    {
        out.push_back({std::move(where), std::move(code), std::move(message)});
    }

    std::string ext_where(pol::Side side) const
    {
        if (gpo.kind == GpoKind::backup)
            return positions.core(side == pol::Side::machine ? "MachineExtensionGuids" : "UserExtensionGuids");
        // A domain GPO read from a DC keeps its lists in the directory.
        if (gpo.directory)
            return fmt::format("{} {}", gpo.directory->dn,
                               side == pol::Side::machine ? "gPCMachineExtensionNames" : "gPCUserExtensionNames");
        return util::display_path(*util::find_child(gpo.dir, "GPT.INI"));
    }

    std::string version_where(pol::Side side) const
    {
        if (gpo.kind == GpoKind::backup)
            return positions.core(side == pol::Side::machine ? "MachineVersionNumber" : "UserVersionNumber");
        return util::display_path(*util::find_child(gpo.dir, "GPT.INI"));
    }

    // Returns the side's effective state, if its registry.pol parsed.
    std::optional<pol::EffectiveState> registry(pol::Side side, std::optional<pol::PolFile>& keep)
    {
        const auto& s = gpo.side(side);
        if (!s.registry_pol)
            return std::nullopt;
        try {
            keep = pol::PolFile::load(*s.registry_pol);
        } catch (const util::Error& e) {
            add("", "registry-pol", e.what());
            return std::nullopt;
        }
        for (const auto& f : pol::check(*keep)) {
            const std::string record = f.record ? fmt::format("record {}: ", f.record) : std::string();
            add(util::offset_position(keep->origin(), f.offset), "registry-pol", fmt::format("{}{} [{}]", record, f.message, f.code));
        }
        return pol::apply(*keep);
    }

    void side(pol::Side side)
    {
        const auto& s = gpo.side(side);
        const char* label = side == pol::Side::machine ? "machine" : "user";
        std::optional<pol::PolFile> file;
        const auto state = registry(side, file);
        const bool has_settings = file && !file->records.empty();

        std::optional<ExtensionList> list;
        if (s.extensions) {
            std::string error;
            list = parse_extension_list(*s.extensions, &error);
            if (!list)
                add(ext_where(side), "extension-list",
                    fmt::format("malformed {} extension list \"{}\": {}", label, *s.extensions, error));
            else if (!is_sorted(*list))
                add(ext_where(side), "extension-list",
                    fmt::format("the {} extension list is not sorted by GUID; clients stop at the first entry out "
                                "of order: \"{}\"",
                                label, *s.extensions));
        }
        const std::string_view tool = side == pol::Side::machine ? k_registry_tool_machine : k_registry_tool_user;
        // Clients look for the extension GUID only; the tool GUID names the editor that wrote
        // the settings (Administrative Templates, AppLocker, certificates, firewall all write
        // registry.pol under the Registry extension with their own tool GUID).
        if (list && has_settings && !list->has_cse(k_registry_cse))
            add(ext_where(side), "extension-missing",
                fmt::format("{} has registry settings but the {} extension list lacks the Registry extension {}: "
                            "clients ignore them (expected [{}{}])",
                            util::display_path(*s.registry_pol), label, k_registry_cse, k_registry_cse, tool));
        if (list && !s.registry_pol && list->has_cse(k_registry_cse))
            add(ext_where(side), "extension-unused",
                fmt::format("the {} extension list names the Registry extension but there is no {} registry.pol",
                            label, label));
        if (has_settings && gpo.kind == GpoKind::backup && gpo.registry_entry(side) == nullptr)
            add(positions.file(), "fsobject-missing",
                fmt::format("Backup.xml lists no FSObjectFile for the {} registry.pol: an import leaves it behind",
                            label));
        if (has_settings && gpo.side_disabled(side))
            add(positions.core("Options"), "side-disabled",
                fmt::format("the {} side has registry settings but is disabled (Options={}): clients ignore them",
                            label, gpo.options));
        if (has_settings && s.version == 0)
            add(version_where(side), "version-zero",
                fmt::format("the {} side has registry settings but its version is 0: clients never apply it", label));
    }

    void identity()
    {
        if (gpo.kind != GpoKind::backup || !gpo.info)
            return;
        const auto& info = *gpo.info;
        const std::string where = util::display_path(*util::find_child(gpo.dir, "bkupInfo.xml"));
        if (!util::iequal_ascii(info.gpo_guid, gpo.guid))
            add(where, "identity", fmt::format("GPOGuid {} differs from Backup.xml's ID {}", info.gpo_guid, gpo.guid));
        if (info.display_name != gpo.display_name)
            add(where, "identity", fmt::format("GPODisplayName \"{}\" differs from Backup.xml's DisplayName \"{}\"",
                                               info.display_name, gpo.display_name));
        if (!util::iequal_ascii(info.id, gpo.backup_id))
            add(where, "identity", fmt::format("ID {} differs from the backup folder's name {}", info.id, gpo.backup_id));
    }

    void locations()
    {
        for (const auto& f : gpo.files) {
            if (f.location.empty())
                continue;
            const std::string where = positions.file();
            try {
                const fs::path p = util::resolve_inside(gpo.dir, f.location);
                std::error_code ec;
                if (!fs::exists(p, ec))
                    add(where, "location", fmt::format("bkp:Location \"{}\" names a file the backup does not have",
                                                       f.location));
            } catch (const util::Error& e) {
                add(where, "location", fmt::format("bkp:Location: {}", e.what()));
            }
        }
    }

    void report()
    {
        if (gpo.kind != GpoKind::backup || !gpo.gpreport)
            return;
        const std::string where = util::display_path(*gpo.gpreport);
        const auto& r = gpo.report_versions;
        auto check = [&](const char* label, std::uint32_t version, std::optional<std::uint32_t> dir,
                         std::optional<std::uint32_t> sysvol) {
            if (!dir || !sysvol)
                return;
            if (*dir != (version & 0xffffu) || *sysvol != (version >> 16))
                add(where, "gpreport-stale",
                    fmt::format("gpreport.xml reports {} version {}/{} (directory/sysvol) but Backup.xml holds {}/{}: "
                                "the report is stale",
                                label, *dir, *sysvol, version & 0xffffu, version >> 16));
        };
        check("machine", gpo.machine.version, r.machine_directory, r.machine_sysvol);
        check("user", gpo.user.version, r.user_directory, r.user_sysvol);
        if (!r.registry_values.empty())
            report_values(where);
    }

    // Every plain registry value the report lists must be what registry.pol gives a client.
    void report_values(const std::string& where)
    {
        std::optional<pol::PolFile> files[2];
        std::optional<pol::EffectiveState> states[2];
        for (const auto side : {pol::Side::machine, pol::Side::user}) {
            const int i = side == pol::Side::machine ? 0 : 1;
            if (const auto& path = gpo.side(side).registry_pol) {
                try {
                    files[i] = pol::PolFile::load(*path);
                    states[i] = pol::apply(*files[i]);
                } catch (const util::Error&) {
                    return; // reported as registry-pol
                }
            }
        }
        for (const auto& v : gpo.report_versions.registry_values) {
            const int i = v.side == pol::Side::machine ? 0 : 1;
            const pol::EffectiveValue* got =
                states[i] ? states[i]->find(util::utf8_to_u16(v.key), util::utf8_to_u16(v.name)) : nullptr;
            const char* label = v.side == pol::Side::machine ? "machine" : "user";
            if (got == nullptr) {
                add(where, "gpreport-registry",
                    fmt::format("the report lists {} value {}\\{} but the {} registry.pol does not set it", label,
                                v.key, v.name, label));
                continue;
            }
            const pol::Value data = pol::decode(got->type, got->data);
            const bool same = v.number ? (std::holds_alternative<std::uint64_t>(data) &&
                                          std::get<std::uint64_t>(data) == *v.number)
                                       : (std::holds_alternative<std::string>(data) && std::get<std::string>(data) == *v.text);
            if (!same)
                add(where, "gpreport-registry",
                    fmt::format("the report gives {} value {}\\{} as {} but registry.pol sets {}", label, v.key,
                                v.name, v.number ? std::to_string(*v.number) : "\"" + *v.text + "\"",
                                pol::type_name(got->type)));
        }
    }
};

} // namespace

std::vector<LintFinding> lint(const Gpo& gpo)
{
    std::vector<LintFinding> out;
    Linter l{gpo, out};
    l.side(pol::Side::machine);
    l.side(pol::Side::user);
    l.identity();
    l.locations();
    l.report();
    return out;
}

std::vector<LintFinding> lint_path(const fs::path& path, const Selector& selector)
{
    if (names_one_gpo(path, selector))
        return lint(open_gpo(path, selector));
    const Catalogue cat = scan(path);
    if (cat.backups.empty() && cat.manifest.empty() && cat.problems.empty())
        throw util::Error(util::display_path(path) +
                          ": no GPO here (no Backup.xml below it, no GPT.INI in it, no manifest.xml)");
    std::vector<LintFinding> out;
    for (const auto& problem : cat.problems)
        out.push_back({"", "unreadable", problem});
    for (const auto& g : cat.backups) {
        auto found = lint(g);
        out.insert(out.end(), found.begin(), found.end());
        // The manifest entry for this backup must agree with it.
        for (const auto& m : cat.manifest) {
            if (!util::iequal_ascii(m.id, g.backup_id))
                continue;
            if (!util::iequal_ascii(m.gpo_guid, g.guid) || m.display_name != g.display_name)
                out.push_back({util::display_path(m.manifest), "identity",
                               fmt::format("the entry for backup {} says GPO {} \"{}\", the backup holds {} \"{}\"",
                                           m.id, m.gpo_guid, m.display_name, g.guid, g.display_name)});
        }
    }
    for (const auto& m : cat.manifest)
        if (!m.folder_exists)
            out.push_back({util::display_path(m.manifest), "manifest-stale",
                           fmt::format("lists backup {} (\"{}\") but there is no such folder beside it", m.id,
                                       m.display_name)});
    return out;
}

} // namespace gpokit::gpo
