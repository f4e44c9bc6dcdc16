#include "gpo/gpo_edit.hpp"

#include "gpo/extension_list.hpp"
#include "gpo/load.hpp"
#include "gpo/xml_text.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"

#include <fmt/format.h>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {

const char* side_word(pol::Side s)
{
    return s == pol::Side::machine ? "Machine" : "User";
}

std::string_view tool_for(pol::Side s)
{
    return s == pol::Side::machine ? k_registry_tool_machine : k_registry_tool_user;
}

// The FSObjectFile entry for a new registry.pol, its paths built like the backup's others.
std::string fs_object_entry(const Gpo& gpo, pol::Side side)
{
    const char* var = side == pol::Side::machine ? "%GPO_MACH_FSPATH%" : "%GPO_USER_FSPATH%";
    std::string prefix; // \\dc\sysvol\domain\Policies\{GUID}
    for (const auto& f : gpo.files) {
        const auto at = f.source_expanded_path.find("\\Policies\\");
        if (at == std::string::npos)
            continue;
        const auto end = f.source_expanded_path.find('\\', at + 10);
        prefix = f.source_expanded_path.substr(0, end);
        break;
    }
    if (prefix.empty()) {
        const std::string dc = gpo.info && !gpo.info->domain_controller.empty() ? gpo.info->domain_controller
                                                                               : gpo.domain;
        prefix = fmt::format("\\\\{}\\sysvol\\{}\\Policies\\{}", dc, gpo.domain, gpo.guid);
    }
    return fmt::format(R"(<FSObjectFile bkp:Path="{0}\registry.pol" bkp:SourceExpandedPath="{1}\{2}\registry.pol" bkp:Location="DomainSysvol\GPO\{2}\registry.pol"/>)",
                       var, prefix, side_word(side));
}

// Splices that add the FSObjectFile entry under the Registry GroupPolicyExtension
// (created after GroupPolicyCoreSettings when missing), indented like its neighbours.
std::vector<Splice> add_fs_object(const XmlFile& file, const Gpo& gpo, pol::Side side)
{
    const auto object = child(file.root(), "GroupPolicyObject");
    const std::string entry = fs_object_entry(gpo, side);
    const util::ByteView bytes(file.bytes());
    auto text_between = [&](std::size_t a, std::size_t b) {
        return std::string(reinterpret_cast<const char*>(bytes.data()) + a, b - a);
    };
    auto find_from = [&](std::size_t from, std::string_view needle) {
        const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const auto at = all.find(needle, from);
        if (at == std::string_view::npos)
            throw util::Error(file.at(from, fmt::format("malformed XML: no {} after this point", needle)));
        return at;
    };
    // The end of an element: after its closing tag, or after "/>".
    auto end_of = [&](pugi::xml_node node) {
        const std::size_t name_at = file.offset_of(node);
        const std::size_t gt = find_from(name_at, ">");
        if (bytes[gt - 1] == std::byte{'/'})
            return gt + 1;
        const std::string closing = fmt::format("</{}>", node.name());
        return find_from(gt, closing) + closing.size();
    };

    for (auto ext = object.first_child(); ext; ext = ext.next_sibling()) {
        if (local_name(ext) != "GroupPolicyExtension" || !guid_equal(attribute(ext, "ID").value(), k_registry_cse))
            continue;
        pugi::xml_node last;
        for (auto f = ext.first_child(); f; f = f.next_sibling())
            if (local_name(f) == "FSObjectFile")
                last = f;
        if (last) {
            // Repeat the whitespace that precedes the last entry (its line break and indent).
            const std::size_t start = file.offset_of(last) - 1;
            std::size_t ws = start;
            while (ws > 0 && (bytes[ws - 1] == std::byte{' '} || bytes[ws - 1] == std::byte{'\t'} ||
                              bytes[ws - 1] == std::byte{'\r'} || bytes[ws - 1] == std::byte{'\n'}))
                --ws;
            const std::size_t at = end_of(last);
            return {{at, at, text_between(ws, start) + entry}};
        }
        // An empty Registry extension element: put the entry inside it.
        const std::size_t name_at = file.offset_of(ext);
        const std::size_t gt = find_from(name_at, ">");
        if (bytes[gt - 1] == std::byte{'/'})
            return {{gt - 1, gt + 1, fmt::format(">{}</{}>", entry, ext.name())}};
        return {{gt + 1, gt + 1, entry}};
    }
    // A new Registry extension element goes on its own line after the core settings,
    // with the file's line ending and GPMC's indentation.
    const auto core = child(object, "GroupPolicyCoreSettings");
    const std::size_t at = end_of(core);
    const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const std::string eol = all.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
    const std::string ext = fmt::format(R"({}        <GroupPolicyExtension bkp:ID="{}" bkp:DescName="Registry">{}</GroupPolicyExtension>)",
                                        eol, k_registry_cse, entry);
    return {{at, at, ext}};
}

} // namespace

std::optional<std::string> merged_extensions(const std::string& text, pol::Side side, const std::string& where,
                                             const std::vector<std::string>& extra)
{
    std::string error;
    auto list = parse_extension_list(text, &error);
    if (!list)
        throw util::Error(fmt::format("{}: malformed extension list \"{}\": {}; fix it before editing", where, text,
                                      error));
    bool changed = merge(*list, k_registry_cse, tool_for(side));
    for (const auto& cse : extra)
        changed |= merge(*list, cse, tool_for(side));
    if (!changed)
        return std::nullopt;
    return to_string(*list);
}

std::uint32_t bumped_version(const Gpo& gpo, pol::Side side)
{
    const std::uint32_t v = gpo.side(side).version;
    if (gpo.kind == GpoKind::sysvol) {
        if (v >= 0xffffu)
            throw util::Error(fmt::format("the {} version is {}, the largest GPT.INI can hold", side_word(side), v));
        return v + 1;
    }
    const std::uint32_t sysvol = v >> 16;
    const std::uint32_t directory = v & 0xffffu;
    if (sysvol >= 0xffffu || directory >= 0xffffu)
        throw util::Error(fmt::format("{}VersionNumber {} is at its limit (sysvol {}, directory {})", side_word(side),
                                      v, sysvol, directory));
    return ((sysvol + 1) << 16) | (directory + 1);
}

GpoChange plan_edit(const Gpo& gpo, pol::Side side, const PolEdit& edit, const std::vector<std::string>& extra)
{
    const GpoSide& s = gpo.side(side);
    GpoChange change;
    if (s.registry_pol) {
        change.before = pol::PolFile::load(*s.registry_pol);
    } else {
        change.before.set_origin(util::display_path(s.folder / "registry.pol"));
    }
    change.after = change.before;
    if (!edit(change.after))
        return change;
    change.changed = true;

    const fs::path pol_path = s.registry_pol ? *s.registry_pol : s.folder / "registry.pol";
    change.writes.push_back({pol_path.lexically_relative(gpo.dir), change.after.serialize()});
    if (!s.registry_pol)
        change.notes.push_back(fmt::format("created {}", util::display_path(pol_path)));

    if (gpo.side_disabled(side))
        change.notes.push_back(fmt::format("the {} side of this GPO is disabled (Options={}): clients ignore its "
                                           "settings until it is enabled",
                                           side == pol::Side::machine ? "computer" : "user", gpo.options));
    const std::uint32_t version = bumped_version(gpo, side);
    if (gpo.kind == GpoKind::backup) {
        const auto backup_xml = *util::find_child(gpo.dir, "Backup.xml");
        const XmlFile file = XmlFile::load(backup_xml, util::display_path(backup_xml));
        const auto core = child(child(file.root(), "GroupPolicyObject"), "GroupPolicyCoreSettings");
        const std::string prefix = side_word(side);
        std::vector<Splice> splices;
        splices.push_back(set_text(file, child(core, prefix + "VersionNumber"), std::to_string(version)));
        change.notes.push_back(fmt::format("{}VersionNumber {} -> {} (sysvol {} -> {}, directory {} -> {})", prefix,
                                           s.version, version, s.version >> 16, version >> 16, s.version & 0xffffu,
                                           version & 0xffffu));
        if (auto merged = merged_extensions(*s.extensions, side, file.origin(), extra)) {
            splices.push_back(set_text(file, child(core, prefix + "ExtensionGuids"), *merged));
            change.notes.push_back(fmt::format("{}ExtensionGuids \"{}\" -> \"{}\"", prefix, *s.extensions, *merged));
        }
        if (gpo.registry_entry(side) == nullptr) {
            for (auto& splice : add_fs_object(file, gpo, side))
                splices.push_back(std::move(splice));
            change.notes.push_back(fmt::format("added the FSObjectFile entry for DomainSysvol\\GPO\\{}\\registry.pol "
                                               "to Backup.xml",
                                               prefix));
        }
        change.writes.push_back({backup_xml.lexically_relative(gpo.dir), apply_splices(file.bytes(), std::move(splices))});
        if (gpo.gpreport)
            change.notes.push_back("gpreport.xml is Windows' report of the old settings: it is now stale (left as is; "
                                   "GPMC writes a new one at the next backup)");
    } else {
        const auto gpt = *util::find_child(gpo.dir, "GPT.INI");
        const util::Bytes bytes = util::read_file(gpt);
        const GptIni ini = parse_gpt_ini(bytes, util::display_path(gpt));
        const std::uint32_t full = side == pol::Side::machine ? ((ini.version & 0xffff0000u) | version)
                                                              : ((version << 16) | (ini.version & 0xffffu));
        std::vector<Splice> splices{{ini.version_begin, ini.version_end, std::to_string(full)}};
        change.notes.push_back(fmt::format("GPT.INI Version {} -> {} ({} {} -> {})", ini.version, full,
                                           side == pol::Side::machine ? "machine" : "user", s.version, version));
        const auto& range = side == pol::Side::machine ? ini.machine_extensions_range : ini.user_extensions_range;
        if (s.extensions && range) {
            if (auto merged = merged_extensions(*s.extensions, side, util::display_path(gpt), extra)) {
                splices.push_back({range->first, range->second, *merged});
                change.notes.push_back(fmt::format("GPT.INI gPC{}ExtensionNames -> \"{}\"", side_word(side), *merged));
            }
        } else {
            change.notes.push_back(fmt::format("the {} extension list of a domain GPO is in AD (gPC{}ExtensionNames): "
                                               "it must list [{}{}]",
                                               side == pol::Side::machine ? "machine" : "user", side_word(side),
                                               k_registry_cse, tool_for(side)));
        }
        change.writes.push_back({gpt.lexically_relative(gpo.dir), apply_splices(bytes, std::move(splices))});
    }
    return change;
}

std::optional<std::string> commit(const Gpo& gpo, const GpoChange& change, const std::optional<fs::path>& output)
{
    if (!change.changed)
        return std::nullopt;
    for (const auto& w : change.writes)
        if (w.relative.empty() || w.relative.is_absolute() || *w.relative.begin() == "..")
            throw util::Error(fmt::format("internal error: {} is not inside the GPO", w.relative.generic_string()));
    // A GPO folder reached through a symbolic link is edited where it really is.
    std::error_code link_ec;
    const fs::path dir = fs::is_symlink(fs::symlink_status(gpo.dir, link_ec)) ? fs::canonical(gpo.dir) : gpo.dir;
    fs::path out_dir;
    if (output) {
        out_dir = output->lexically_normal();
        if (out_dir.filename().empty())
            out_dir = out_dir.parent_path();
    }
    const fs::path target = output ? out_dir : dir;
    if (output && fs::exists(out_dir))
        throw util::Error(util::display_path(out_dir) + ": already exists; --output needs a new folder");
    if (output && util::is_inside(dir, fs::absolute(out_dir).parent_path()))
        throw util::Error(util::display_path(out_dir) + ": is inside the GPO; --output needs a folder outside it");

    const fs::path temp = util::make_sibling_temp(target);
    try {
        fs::remove(temp);
        util::copy_tree(dir, temp);
        for (const auto& w : change.writes) {
            const fs::path path = temp / w.relative;
            fs::create_directories(path.parent_path());
            // A read-only file keeps its permission bits, but can still be replaced.
            std::error_code ec;
            const auto status = fs::symlink_status(path, ec);
            if (fs::is_symlink(status))
                throw util::Error(util::display_path(dir / w.relative) + ": is a symbolic link; not written");
            const bool existed = fs::exists(status);
            const fs::perms mode = existed ? status.permissions() : fs::perms::none;
            if (existed)
                fs::permissions(path, fs::perms::owner_write, fs::perm_options::add, ec);
            util::write_file_durable(path, w.bytes);
            if (existed)
                fs::permissions(path, mode, fs::perm_options::replace, ec);
        }
        util::sync_tree(temp);
        if (output) {
            fs::rename(temp, out_dir);
            util::sync_dir(out_dir.parent_path());
            return std::nullopt;
        }
        if (util::exchange(temp, dir)) {
            util::sync_dir(dir.parent_path());
            std::error_code ec;
            fs::remove_all(temp, ec); // the old GPO, now under the temporary name
            return std::nullopt;
        }
    } catch (const fs::filesystem_error& e) {
        std::error_code ec;
        fs::remove_all(temp, ec);
        throw util::Error(fmt::format("{}: {}", util::display_path(target), e.code().message()));
    } catch (...) {
        std::error_code ec;
        fs::remove_all(temp, ec);
        throw;
    }
    // The filesystem cannot swap folders: replace the files one by one, each atomically.
    std::error_code ec;
    fs::remove_all(temp, ec);
    for (const auto& w : change.writes) {
        const fs::path path = dir / w.relative;
        fs::create_directories(path.parent_path());
        util::write_file_atomic(path, w.bytes);
    }
    return std::string("this filesystem cannot swap folders atomically: the files were replaced one at a time");
}

} // namespace gpokit::gpo
