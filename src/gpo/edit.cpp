#include "gpo/edit.hpp"

#include "gpo/backup_writer.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/gpt_ini.hpp"
#include "gpo/load.hpp"
#include "gpo/snapshot.hpp"
#include "settings/security_template.hpp"
#include "util/xml_file.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/metadata.hpp"
#include "util/signals.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"

#include <fmt/format.h>

#include <map>

namespace gpokit::gpo {

namespace fs = std::filesystem;
using util::XmlFile;
using util::attribute;
using util::child;
using util::local_name;
using util::text_of;

namespace {

const char* side_word(pol::Side s)
{
    return s == pol::Side::machine ? "Machine" : "User";
}

// The GPO's folder as the backup's SourceExpandedPath values begin with it
// (\\dc\sysvol\domain\Policies\{GUID}), taken from an entry when there is one.
std::string source_prefix(const Gpo& gpo)
{
    for (const auto& f : gpo.files) {
        const auto at = f.source_expanded_path.find("\\Policies\\");
        if (at == std::string::npos)
            continue;
        return f.source_expanded_path.substr(0, f.source_expanded_path.find('\\', at + 10));
    }
    const std::string dc = gpo.info && !gpo.info->domain_controller.empty() ? gpo.info->domain_controller : gpo.domain;
    return sysvol_unc(gpo, dc);
}

// The FSObjectFile entry for a new registry.pol, its paths built like the backup's others.
std::string fs_object_entry(const Gpo& gpo, pol::Side side)
{
    return fs_object_element({fmt::format("{}/registry.pol", side_word(side)), false}, source_prefix(gpo), false).xml;
}

// The line break and indentation before `node` (the whitespace since the previous
// markup, from its last line break on), to repeat before a sibling inserted next to it.
std::string indent_before(const XmlFile& file, pugi::xml_node node)
{
    const util::ByteView bytes(file.bytes());
    const std::size_t start = file.offset_of(node) - 1; // the '<'
    std::size_t ws = start;
    while (ws > 0 && (bytes[ws - 1] == std::byte{' '} || bytes[ws - 1] == std::byte{'\t'} ||
                      bytes[ws - 1] == std::byte{'\r'} || bytes[ws - 1] == std::byte{'\n'}))
        --ws;
    std::size_t from = ws;
    for (std::size_t i = start; i > ws; --i)
        if (bytes[i - 1] == std::byte{'\n'}) {
            from = i - 1 > ws && bytes[i - 2] == std::byte{'\r'} ? i - 2 : i - 1;
            break;
        }
    return std::string(reinterpret_cast<const char*>(bytes.data()) + from, start - from);
}

std::string line_ending(const XmlFile& file)
{
    const util::ByteView bytes(file.bytes());
    const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return all.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

pugi::xml_node extension_element(pugi::xml_node object, std::string_view cse)
{
    for (auto ext = object.first_child(); ext; ext = ext.next_sibling())
        if (local_name(ext) == "GroupPolicyExtension" && guid_equal(attribute(ext, "ID").value(), cse))
            return ext;
    return {};
}

// Splices that add the FSObjectFile entry under the Registry GroupPolicyExtension
// (created after GroupPolicyCoreSettings when missing), indented like its neighbours.
std::vector<util::Splice> add_fs_object(const XmlFile& file, const Gpo& gpo, pol::Side side)
{
    const auto object = child(file.root(), "GroupPolicyObject");
    const std::string entry = fs_object_entry(gpo, side);
    if (const pugi::xml_node ext = extension_element(object, k_registry_cse)) {
        pugi::xml_node last;
        for (auto f = ext.first_child(); f; f = f.next_sibling())
            if (local_name(f) == "FSObjectFile")
                last = f;
        if (last) {
            const std::size_t at = file.end_of(last);
            return {{at, at, indent_before(file, last) + entry}};
        }
        // An empty Registry extension element: put the entry inside it.
        const std::size_t name_at = file.offset_of(ext);
        const std::size_t gt = file.start_tag_end(name_at);
        if (file.bytes()[gt - 1] == std::byte{'/'})
            return {{gt - 1, gt + 1, fmt::format(">{}</{}>", entry, ext.name())}};
        return {{gt + 1, gt + 1, entry}};
    }
    // A new Registry extension element goes on its own line after the core settings,
    // with the file's line ending and GPMC's indentation.
    const std::size_t at = file.end_of(child(object, "GroupPolicyCoreSettings"));
    const std::string ext = fmt::format(R"({}        <GroupPolicyExtension bkp:ID="{}" bkp:DescName="Registry">{}</GroupPolicyExtension>)",
                                        line_ending(file), k_registry_cse, entry);
    return {{at, at, ext}};
}

// Splices that list a new security template (`relative`: under the GPO folder,
// "Machine/microsoft/windows nt/SecEdit/GptTmpl.inf") in Backup.xml as GPMC does: an
// FSObjectFile under a Security GroupPolicyExtension (placed before the generic file
// extension), and an FSObjectDir under the generic file extension for each folder on its
// way that Backup.xml does not list yet, in path order among the others.
std::vector<util::Splice> add_template_objects(const XmlFile& file, const Gpo& gpo, const std::string& relative)
{
    const auto object = child(file.root(), "GroupPolicyObject");
    const std::string prefix = source_prefix(gpo);
    const std::string eol = line_ending(file);
    const std::string inner = eol + "            "; // GPMC's indentation of an entry
    std::map<std::size_t, std::string> inserts;      // insertions at one offset are joined in order

    // The folders on the way, each unless listed already: "Machine/microsoft", ...
    const pugi::xml_node files = extension_element(object, k_files_cse);
    std::vector<std::string> new_folders; // their FSObjectDir elements
    for (std::size_t at = relative.find('/', relative.find('/') + 1); at != std::string::npos;
         at = relative.find('/', at + 1)) {
        const GpoEntry dir{relative.substr(0, at), true};
        const FsObjectElement element = fs_object_element(dir, prefix, false);
        const std::string key = normal_backup_path(dir.relative.substr(dir.relative.find('/') + 1));
        pugi::xml_node before; // the first entry that sorts after the folder
        bool listed = false;
        for (auto f = files.first_child(); f && !listed && !before; f = f.next_sibling()) {
            std::string path = attribute(f, "Path").value();
            path = normal_backup_path(path.substr(std::min(path.find('\\') + 1, path.size())));
            listed = local_name(f) == "FSObjectDir" && path == key;
            if (!listed && path > key)
                before = f;
        }
        if (listed)
            continue;
        if (!files)
            new_folders.push_back(element.xml);
        else if (before)
            inserts[file.offset_of(before) - 1] += element.xml + indent_before(file, before);
        else if (auto last = files.last_child())
            inserts[file.end_of(last)] += indent_before(file, last) + element.xml;
        else
            inserts[file.start_tag_end(file.offset_of(files)) + 1] += inner + element.xml;
    }

    // The file, under Security.
    const std::string entry = fs_object_element({relative, false}, prefix, true).xml;
    if (const pugi::xml_node security = extension_element(object, k_security_cse)) {
        if (auto last = security.last_child())
            inserts[file.end_of(last)] += indent_before(file, last) + entry;
        else
            inserts[file.start_tag_end(file.offset_of(security)) + 1] += inner + entry;
    } else {
        std::string element = fmt::format(R"(<GroupPolicyExtension bkp:ID="{}" bkp:DescName="Security">{}{}{}        </GroupPolicyExtension>)",
                                          k_security_cse, inner, entry, eol);
        if (!files && !new_folders.empty()) {
            element += fmt::format(R"({}        <GroupPolicyExtension bkp:ID="{}" bkp:DescName="Unknown Extension">)", eol,
                                   k_files_cse);
            for (const auto& folder : new_folders)
                element += inner + folder;
            element += eol + "        </GroupPolicyExtension>";
        }
        if (files) {
            // On a line of its own before the file extension's, when that starts a line.
            const std::string indent = indent_before(file, files);
            const bool own_line = indent.find('\n') != std::string::npos;
            const std::size_t at = file.offset_of(files) - 1 - (own_line ? indent.size() - (indent.find('\n') + 1) : 0);
            inserts[at] += own_line ? "        " + element + eol : element + indent;
        } else {
            pugi::xml_node last_extension = child(object, "GroupPolicyCoreSettings");
            for (auto e = object.first_child(); e; e = e.next_sibling())
                if (local_name(e) == "GroupPolicyExtension")
                    last_extension = e;
            inserts[file.end_of(last_extension)] += eol + "        " + element;
        }
    }
    std::vector<util::Splice> splices;
    for (auto& [at, text] : inserts)
        splices.push_back({at, at, std::move(text)});
    return splices;
}

} // namespace

namespace {

// The backup's Backup.xml with the side's version, extension list and FSObjectFile
// entry; notes for each.
FileWrite backup_xml_write(const Gpo& gpo, const fs::path& root, const SideBookkeeping& b, std::vector<Note>& notes,
                           bool registry_file, const std::optional<std::string>& new_template)
{
    const auto backup_xml = *util::find_child(gpo.dir, "Backup.xml");
    const XmlFile file = XmlFile::load(backup_xml, gpo.name_of(backup_xml));
    const auto core = child(child(file.root(), "GroupPolicyObject"), "GroupPolicyCoreSettings");
    const std::string prefix = side_word(b.side);
    std::vector<util::Splice> splices;
    splices.push_back(util::set_text(file, child(core, prefix + "VersionNumber"), std::to_string(b.after.backup_number())));
    notes.push_back({NoteKind::version, b.side, Layout::backup, prefix + "VersionNumber",
                     std::to_string(b.before.backup_number()), std::to_string(b.after.backup_number()), b.before,
                     b.after});
    if (b.extensions_after) {
        splices.push_back(util::set_text(file, child(core, prefix + "ExtensionGuids"), *b.extensions_after));
        notes.push_back({NoteKind::extensions, b.side, Layout::backup, prefix + "ExtensionGuids",
                         b.extensions_before.value_or(""), *b.extensions_after, {}, {}});
    }
    if (registry_file && gpo.registry_entry(b.side) == nullptr) {
        for (auto& splice : add_fs_object(file, gpo, b.side))
            splices.push_back(std::move(splice));
        notes.push_back({NoteKind::file_entry, b.side, Layout::backup,
                         fmt::format("DomainSysvol\\GPO\\{}\\registry.pol", prefix), {}, {}, {}, {}});
    }
    if (new_template) {
        for (auto& splice : add_template_objects(file, gpo, *new_template))
            splices.push_back(std::move(splice));
        notes.push_back({NoteKind::file_entry, b.side, Layout::backup,
                         "DomainSysvol\\GPO\\" + util::backslashed(*new_template), {}, {}, {}, {}});
    }
    if (gpo.report)
        notes.push_back({NoteKind::report_stale, b.side, Layout::backup, gpo.name_of(gpo.report->path), {}, {}, {}, {}});
    return {backup_xml.lexically_relative(root), util::apply_splices(file.bytes(), std::move(splices)), file.bytes()};
}

// The SYSVOL folder's GPT.INI with the side's version (and, for a local GPO, its
// extension list); notes for each.
FileWrite gpt_ini_write(const Gpo& gpo, const fs::path& root, const SideBookkeeping& b, const ExtensionPairs& pairs,
                        std::vector<Note>& notes)
{
    const auto gpt = *util::find_child(gpo.dir, "GPT.INI");
    const std::string origin = gpo.name_of(gpt);
    const util::Bytes bytes = util::read_file(gpt, origin);
    const GptIni ini = parse_gpt_ini(bytes, origin);
    const std::uint32_t full = b.side == pol::Side::machine ? ((ini.version & 0xffff0000u) | b.after.sysvol)
                                                            : ((std::uint32_t{b.after.sysvol} << 16) | (ini.version & 0xffffu));
    std::vector<util::Splice> splices{{ini.version_begin, ini.version_end, std::to_string(full)}};
    notes.push_back({NoteKind::version, b.side, Layout::sysvol, "GPT.INI Version", std::to_string(ini.version),
                     std::to_string(full), b.before, b.after});
    const auto& range = b.side == pol::Side::machine ? ini.machine_extensions_range : ini.user_extensions_range;
    if (gpo.side(b.side).extensions_home == ExtensionsHome::gpt_ini && range) {
        if (b.extensions_after) {
            splices.push_back({range->first, range->second, *b.extensions_after});
            notes.push_back({NoteKind::extensions, b.side, Layout::sysvol,
                             fmt::format("GPT.INI gPC{}ExtensionNames", side_word(b.side)),
                             b.extensions_before.value_or(""), *b.extensions_after, {}, {}});
        }
    } else if (gpo.side(b.side).extensions_home == ExtensionsHome::elsewhere) {
        std::string needed; // the pairs the list must hold, as brackets
        for (const auto& [cse, tool] : pairs)
            needed += fmt::format("[{}{}]", cse, tool);
        notes.push_back({NoteKind::extensions_elsewhere, b.side, Layout::sysvol,
                         fmt::format("gPC{}ExtensionNames", side_word(b.side)), b.extensions_before.value_or(""), needed,
                         {}, {}});
    }
    return {gpt.lexically_relative(root), util::apply_splices(bytes, std::move(splices)), bytes};
}

// A snapshot records what the edit changes in the directory (the extension list) in
// its gpokit-snapshot.json, for `live push` to write and for the snapshot to read as.
std::optional<FileWrite> snapshot_write(const fs::path& root, const SideBookkeeping& b, std::vector<Note>& notes)
{
    if (!b.extensions_after)
        return std::nullopt;
    const fs::path meta = root / k_snapshot_file;
    const std::string origin = util::display_path(meta);
    const util::Bytes bytes = util::read_file(meta, origin);
    Snapshot s = parse_snapshot(bytes, origin);
    const std::string attribute = fmt::format("gPC{}ExtensionNames", side_word(b.side));
    s.set_edited(attribute, *b.extensions_after);
    notes.push_back({NoteKind::extensions, b.side, Layout::sysvol, fmt::format("{} {}", k_snapshot_file, attribute),
                     b.extensions_before.value_or(""), *b.extensions_after, {}, {}});
    return FileWrite{meta.lexically_relative(root), snapshot_json(s), bytes};
}

// Refuses to go on when a file changed since the plan read it.
void check_unchanged(const fs::path& path, const std::optional<util::Bytes>& original, const std::string& shown)
{
    std::error_code ec;
    const bool exists = fs::exists(fs::symlink_status(path, ec));
    if ((!original && !exists) || (original && exists && util::read_file(path, shown) == *original))
        return;
    throw util::ConflictError(shown + ": changed since gpokit read it (another edit at the same time?); nothing "
                                      "was written. Run the command again to edit what is there now.");
}

} // namespace

namespace {

// What an edit would have to guess about is refused.
void refuse_outward_links(const Gpo& gpo)
{
    if (const auto links = outward_links(gpo); !links.empty())
        throw util::Error(fmt::format("{}: a symbolic link leading out of the GPO (to {}); gpokit edits no GPO that "
                                      "holds one (the edited copy would carry it)",
                                      gpo.name_of(links.front().first), links.front().second.generic_string()));
}

// The version, extension list and Backup.xml or GPT.INI (and a snapshot's metadata)
// of a side whose settings file changes.
void add_bookkeeping(const Target& target, pol::Side side, bool has_settings, const ExtensionPairs& pairs,
                     bool registry_file, const std::optional<std::string>& new_template, EditPlan& plan)
{
    const Gpo& gpo = target.gpo();
    const std::string where = gpo.layout == Layout::backup ? gpo.name_of(gpo.dir / "Backup.xml") : gpo.name_of(gpo.dir);
    SideBookkeeping b = plan_side(gpo, side, gpo.side(side).extensions, has_settings, pairs, where);
    const fs::path& root = target.root();
    for (auto& note : b.notes)
        plan.notes.push_back(note);
    plan.writes.push_back(gpo.layout == Layout::backup ? backup_xml_write(gpo, root, b, plan.notes, registry_file, new_template)
                                                       : gpt_ini_write(gpo, root, b, pairs, plan.notes));
    if (target.kind() == SourceKind::snapshot)
        if (auto meta = snapshot_write(root, b, plan.notes))
            plan.writes.push_back(std::move(*meta));
    plan.bookkeeping = std::move(b);
}

} // namespace

EditPlan plan_edit(const Target& target, pol::Side side, const PolEdit& edit, const std::vector<std::string>& extra)
{
    if (target.kind() == SourceKind::live)
        throw util::Error(target.label() + ": a live GPO changes only through `gpokit live push`");
    if (!target.holds(side))
        throw util::Error(fmt::format("{}: holds the {} side only (from its folder, or --side); this edit is for the {} "
                                      "side",
                                      target.label(), side_name(*target.only()), side_name(side)));
    EditPlan plan;
    plan.side = side;
    plan.before = target.registry(side);
    plan.after = plan.before;
    plan.changed = edit(plan.after);
    // What the edit is based on: the file as read (serialising an untouched PolFile gives
    // its bytes back), so that commit can tell whether someone changed it since.
    std::error_code ec;
    const bool existed = target.is_gpo() ? target.gpo().side(side).registry_pol.has_value()
                                         : std::filesystem::exists(target.file(), ec);
    const std::optional<util::Bytes> original =
        existed ? std::optional<util::Bytes>(plan.before.serialize()) : std::nullopt;
    if (!target.is_gpo())
        plan.original = original;
    if (!plan.changed || !target.is_gpo())
        return plan;

    const Gpo& gpo = target.gpo();
    const GpoSide& s = gpo.side(side);
    refuse_outward_links(gpo);
    if (const FileEntry* wrong = gpo.layout == Layout::backup ? gpo.misplaced_registry_entry(side) : nullptr)
        throw util::Error(fmt::format("{}: the FSObjectFile for {} has bkp:Location \"{}\", not "
                                      "DomainSysvol\\GPO\\{}\\registry.pol where the file is; fix Backup.xml before "
                                      "editing (an import would copy the wrong file)",
                                      gpo.name_of(gpo.dir / "Backup.xml"), wrong->path, wrong->location,
                                      side_word(side)));
    const fs::path pol_path = s.registry_pol ? *s.registry_pol : s.folder / std::string(new_registry_pol_name(gpo.layout));
    plan.writes.push_back({pol_path.lexically_relative(target.root()), plan.after.serialize(), original});
    if (!s.registry_pol)
        plan.notes.push_back({NoteKind::created_file, side, gpo.layout, gpo.name_of(pol_path), {}, {}, {}, {}});
    add_bookkeeping(target, side, !plan.after.records.empty(), registry_pairs(side, extra), true, std::nullopt, plan);
    return plan;
}

EditPlan plan_template_edit(const Target& target, const TemplateEdit& edit)
{
    if (target.kind() == SourceKind::live)
        throw util::Error(target.label() + ": a live GPO changes only through `gpokit live push`");
    if (!target.is_gpo())
        throw util::Error(target.label() + ": a security template belongs to a GPO (a backup, SYSVOL folder or "
                                           "snapshot), not to a registry.pol");
    const Gpo& gpo = target.gpo();
    EditPlan plan;
    plan.side = pol::Side::machine;
    plan.template_before = target.security_template();
    // A new template in a backup goes where GPMC puts it: Machine/microsoft/windows nt/SecEdit.
    const fs::path path = plan.template_before || gpo.layout != Layout::backup
                              ? target.security_template_path()
                              : util::resolve_inside(gpo.machine.folder, "microsoft/windows nt/SecEdit/GptTmpl.inf");
    settings::InfFile after = plan.template_before ? *plan.template_before : settings::InfFile::empty(gpo.name_of(path));
    plan.changed = edit(after);
    plan.template_after = after;
    if (!plan.changed)
        return plan;
    refuse_outward_links(gpo);
    const std::optional<util::Bytes> original =
        plan.template_before ? std::optional<util::Bytes>(plan.template_before->bytes()) : std::nullopt;
    plan.writes.push_back({path.lexically_relative(target.root()), after.bytes(), original});
    std::optional<std::string> new_entry; // the template's path under the GPO folder, for Backup.xml
    if (!plan.template_before) {
        plan.notes.push_back({NoteKind::created_file, pol::Side::machine, gpo.layout, gpo.name_of(path), {}, {}, {}, {}});
        if (gpo.layout == Layout::backup)
            new_entry = "Machine/" + path.lexically_relative(gpo.machine.folder).generic_string();
    }
    const bool has_settings = !settings::security_settings(after).empty();
    add_bookkeeping(target, pol::Side::machine, has_settings, security_pairs(), false, new_entry, plan);
    return plan;
}

std::vector<Note> commit(const Target& target, const EditPlan& plan, const std::optional<fs::path>& output)
{
    if (target.kind() == SourceKind::live)
        throw util::Error(target.label() + ": a live GPO changes only through `gpokit live push`");
    if (!target.is_gpo()) {
        if (output) {
            util::write_file_atomic(*output, plan.after.serialize());
        } else if (plan.changed) {
            const util::FolderLock lock(fs::absolute(target.file()).parent_path());
            check_unchanged(target.file(), plan.original, target.name_of(target.file()));
            util::write_file_atomic(target.file(), plan.after.serialize());
        }
        return {};
    }
    if (!plan.changed && !output)
        return {};
    const Gpo& gpo = target.gpo();
    for (const auto& w : plan.writes)
        if (w.relative.empty() || w.relative.is_absolute() || *w.relative.begin() == "..")
            throw util::Error(fmt::format("internal error: {} is not inside the GPO", w.relative.generic_string()));
    // A GPO folder reached through a symbolic link is edited where it really is.
    std::error_code link_ec;
    const fs::path dir =
        fs::is_symlink(fs::symlink_status(target.root(), link_ec)) ? fs::canonical(target.root()) : target.root();
    fs::path out_dir;
    if (output) {
        out_dir = output->lexically_normal();
        if (out_dir.filename().empty())
            out_dir = out_dir.parent_path();
    }
    const fs::path target_dir = output ? out_dir : dir;
    if (output && fs::exists(out_dir))
        throw util::Error(util::display_path(out_dir) + ": already exists; --output needs a new folder");
    if (output && util::is_inside(dir, fs::absolute(out_dir).parent_path()))
        throw util::Error(util::display_path(out_dir) + ": is inside the GPO; --output needs a folder outside it");

    // Editors of this folder take turns from here to the swap; what the plan read must
    // still be there.
    // SIGINT, SIGTERM and SIGHUP wait until the copy has landed or been removed.
    const util::HoldSignals hold;
    const util::FolderLock lock(fs::absolute(dir).parent_path());
    if (!output)
        for (const auto& w : plan.writes)
            check_unchanged(dir / w.relative, w.original, gpo.name_of(dir / w.relative));
    const fs::path temp = util::make_sibling_temp(target_dir);
    try {
        fs::remove(temp);
        util::copy_tree(dir, temp);
        for (const auto& w : plan.writes) {
            const fs::path path = temp / w.relative;
            fs::create_directories(path.parent_path());
            // A read-only file keeps its permission bits, but can still be replaced.
            std::error_code ec;
            const auto status = fs::symlink_status(path, ec);
            if (fs::is_symlink(status))
                throw util::Error(gpo.name_of(dir / w.relative) + ": is a symbolic link; not written");
            const bool existed = fs::exists(status);
            const fs::perms mode = existed ? status.permissions() : fs::perms::none;
            if (existed)
                fs::permissions(path, fs::perms::owner_write, fs::perm_options::add, ec);
            util::write_file_durable(path, w.bytes, gpo.name_of(dir / w.relative));
            if (existed)
                fs::permissions(path, mode, fs::perm_options::replace, ec);
        }
        util::sync_tree(temp);
        if (output) {
            fs::rename(temp, out_dir);
            util::sync_dir(out_dir.parent_path());
            return {};
        }
        if (util::exchange(temp, dir)) {
            util::sync_dir(dir.parent_path());
            std::error_code ec;
            fs::remove_all(temp, ec); // the old GPO, now under the temporary name
            return {};
        }
    } catch (const fs::filesystem_error& e) {
        std::error_code ec;
        fs::remove_all(temp, ec);
        throw util::io_error(e, gpo.name_of(target_dir));
    } catch (...) {
        std::error_code ec;
        fs::remove_all(temp, ec);
        throw;
    }
    // The filesystem cannot swap folders: replace the files one by one, each atomically.
    std::error_code ec;
    fs::remove_all(temp, ec);
    for (const auto& w : plan.writes) {
        const fs::path path = dir / w.relative;
        fs::create_directories(path.parent_path());
        util::write_file_atomic(path, w.bytes);
    }
    return {Note{NoteKind::not_atomic, plan.side, gpo.layout, gpo.name_of(dir), {}, {}, {}, {}}};
}

} // namespace gpokit::gpo
