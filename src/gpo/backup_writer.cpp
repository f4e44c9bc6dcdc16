#include "gpo/backup_writer.hpp"

#include "gpo/extension_list.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"
#include "util/xml_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>

namespace gpokit::gpo {

namespace fs = std::filesystem;

namespace {

std::string cdata(std::string_view text)
{
    std::string out = "<![CDATA[";
    std::size_t start = 0;
    for (std::size_t at; (at = text.find("]]>", start)) != std::string_view::npos; start = at + 2)
        out.append(text.substr(start, at + 2 - start)).append("]]><![CDATA[");
    out.append(text.substr(start));
    return out + "]]>";
}

// The folder a GPO's files sit in: DomainSysvol/GPO of a backup, the SYSVOL folder itself.
fs::path content_root(const Gpo& gpo)
{
    if (gpo.layout == Layout::sysvol)
        return gpo.dir;
    const auto sysvol = util::find_child(gpo.dir, "DomainSysvol");
    const auto root = sysvol ? util::find_child(*sysvol, "GPO") : std::nullopt;
    return root ? *root : gpo.dir / "DomainSysvol" / "GPO";
}

bool left_out(const std::string& top)
{
    return util::iequal_ascii(top, "GPT.INI") || top == "gpokit-snapshot.json" || util::is_temporary_name(top);
}

struct FsObject {
    std::string cse;
    bool directory = false;
    std::string path, expanded, location;
    bool security = false;
};

// Where GPMC puts one entry: the variable its bkp:Path starts with, and which extension owns it.
FsObject fs_object(const GpoEntry& e, const std::string& prefix, bool security_listed)
{
    const auto slash = e.relative.find('/');
    const std::string top = e.relative.substr(0, slash);
    const std::string rest = slash == std::string::npos ? std::string() : e.relative.substr(slash + 1);
    std::string var = "%GPO_FSPATH%\\" + util::backslashed(e.relative);
    if (!rest.empty() && util::iequal_ascii(top, "Machine"))
        var = "%GPO_MACH_FSPATH%\\" + util::backslashed(rest);
    else if (!rest.empty() && util::iequal_ascii(top, "User"))
        var = "%GPO_USER_FSPATH%\\" + util::backslashed(rest);
    FsObject o{std::string(k_files_cse), e.directory, var, prefix + "\\" + util::backslashed(e.relative),
               "DomainSysvol\\GPO\\" + util::backslashed(e.relative), false};
    const bool side_file = !rest.empty() && rest.find('/') == std::string::npos &&
                           (util::iequal_ascii(top, "Machine") || util::iequal_ascii(top, "User"));
    if (!e.directory && side_file && util::iequal_ascii(rest, "registry.pol"))
        o.cse = std::string(k_registry_cse);
    if (!e.directory && util::iequal_ascii(top, "Machine") &&
        util::iequal_ascii(rest, "microsoft/windows nt/SecEdit/GptTmpl.inf") && security_listed) {
        o.cse = std::string(k_security_cse);
        o.security = true;
    }
    return o;
}

std::string element(const FsObject& o)
{
    return fmt::format("<{} bkp:Path=\"{}\" bkp:SourceExpandedPath=\"{}\"{} bkp:Location=\"{}\"/>",
                       o.directory ? "FSObjectDir" : "FSObjectFile", util::xml_escape(o.path),
                       util::xml_escape(o.expanded),
                       o.security ? " bkp:ReEvaluateFunction=\"SecurityValidateSettings\"" : "",
                       util::xml_escape(o.location));
}

std::string hex_spaced(const util::Bytes& bytes)
{
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        out += fmt::format("{}{:02x}", i ? " " : "", std::to_integer<unsigned>(bytes[i]));
    return out;
}

// A version-4 GUID from 128 bits ({8-4-4-4-12}, upper case).
std::string new_guid(std::uint64_t a, std::uint64_t b)
{
    a = (a & ~0xf000ull) | 0x4000ull;                            // version 4
    b = (b & ~0xc000000000000000ull) | 0x8000000000000000ull;   // RFC 4122 variant
    return fmt::format("{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                       (b >> 48) & 0xffff, b & 0xffffffffffffull);
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed)
{
    std::uint64_t h = 14695981039346656037ull ^ seed;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::string time_text(long long epoch)
{
    const std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

// The source's <SecurityGroups> and <FilePaths> elements as they stand in its Backup.xml.
std::string groups_and_paths_of(const Gpo& gpo)
{
    if (gpo.layout != Layout::backup)
        return {};
    const auto path = util::find_child(gpo.dir, "Backup.xml");
    if (!path)
        return {};
    const util::XmlFile file = util::XmlFile::load(*path, gpo.name_of(*path));
    const auto object = util::child(file.root(), "GroupPolicyObject");
    std::string out;
    for (const char* name : {"SecurityGroups", "FilePaths"}) {
        const auto e = util::child(object, name);
        if (!e)
            continue;
        const std::size_t begin = file.offset_of(e) - 1; // the '<' before the name
        const std::size_t end = file.end_of(e);
        out.append(reinterpret_cast<const char*>(file.bytes().data()) + begin, end - begin);
    }
    return out;
}

std::string domain_controller(const Gpo& gpo)
{
    if (gpo.info && !gpo.info->domain_controller.empty())
        return gpo.info->domain_controller;
    if (gpo.directory && !gpo.directory->host.empty())
        return gpo.directory->host;
    return {};
}

} // namespace

std::string sysvol_unc(const Gpo& gpo, const std::string& dc)
{
    return fmt::format("\\\\{}\\sysvol\\{}\\Policies\\{}", dc, gpo.domain, gpo.guid);
}

FsObjectElement fs_object_element(const GpoEntry& entry, const std::string& prefix, bool security_listed)
{
    const FsObject o = fs_object(entry, prefix, security_listed);
    return {o.cse, element(o)};
}

std::vector<GpoEntry> gpo_entries(const Gpo& gpo)
{
    const fs::path root = content_root(gpo);
    std::vector<GpoEntry> out;
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        return out;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path rel = it->path().lexically_relative(root);
        const std::string top = rel.begin()->string();
        const bool side_folder = rel == rel.begin()->string() && (util::iequal_ascii(top, "Machine") ||
                                                                  util::iequal_ascii(top, "User"));
        if (side_folder)
            continue; // GPMC lists what is inside a side's folder, not the folder
        if (left_out(top)) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        const auto status = it->symlink_status(ec);
        if (fs::is_symlink(status) || (!fs::is_directory(status) && !fs::is_regular_file(status)))
            throw util::Error(gpo.name_of(it->path()) +
                              ": not a regular file or folder (a link, pipe or device): a backup cannot carry it");
        out.push_back({rel.generic_string(), fs::is_directory(status)});
    }
    if (ec)
        throw util::IoError(util::Position::of_file(gpo.name_of(root)), "cannot list the GPO's files: " + ec.message(), ec);
    std::sort(out.begin(), out.end(), [](const GpoEntry& a, const GpoEntry& b) { return a.relative < b.relative; });
    return out;
}

std::string backup_xml(const Gpo& gpo, const std::vector<GpoEntry>& entries, const std::string& dc,
                       const std::string& groups_and_paths, std::vector<std::string>& missing)
{
    const std::string prefix = sysvol_unc(gpo, dc.empty() ? gpo.domain : dc);
    const auto machine_list = parse_extension_list(gpo.machine.extensions.value_or(""));
    const bool security_listed = machine_list && machine_list->has_cse(k_security_cse);

    std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                    "<GroupPolicyBackupScheme bkp:version=\"2.0\" bkp:type=\"GroupPolicyBackupTemplate\" "
                    "xmlns:bkp=\"http://www.microsoft.com/GroupPolicy/GPOOperations\" "
                    "xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations\">\r\n"
                    "    <GroupPolicyObject>";
    x += groups_and_paths.empty() ? "<SecurityGroups/><FilePaths/>" : groups_and_paths;
    x += "<GroupPolicyCoreSettings>";
    x += "<ID>" + cdata(gpo.guid) + "</ID><Domain>" + cdata(gpo.domain) + "</Domain>";
    if (gpo.security_descriptor)
        x += "<SecurityDescriptor>" + hex_spaced(*gpo.security_descriptor) + "</SecurityDescriptor>";
    else
        missing.push_back("the security descriptor (who may read, apply and edit the GPO): the source does not "
                          "hold one; Import-GPO keeps the target GPO's");
    x += "<DisplayName>" + cdata(gpo.display_name) + "</DisplayName>";
    if (!gpo.options)
        missing.push_back("the GPO's options (sides disabled): not in the source; written as 0 (both sides on)");
    x += "<Options>" + cdata(std::to_string(gpo.options.value_or(0))) + "</Options>";
    for (const auto side : {pol::Side::user, pol::Side::machine}) {
        SideVersion v = gpo.side(side).version;
        if (!v.directory) {
            missing.push_back(fmt::format("the {} side's directory version: not in the source; taken equal to "
                                          "GPT.INI's ({})",
                                          side_name(side), v.sysvol));
            v.directory = v.sysvol;
        }
        const char* name = side == pol::Side::machine ? "MachineVersionNumber" : "UserVersionNumber";
        x += fmt::format("<{0}>{1}</{0}>", name, cdata(std::to_string(v.backup_number())));
    }
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const auto& s = gpo.side(side);
        const char* name = side == pol::Side::machine ? "MachineExtensionGuids" : "UserExtensionGuids";
        if (s.extensions_home == ExtensionsHome::elsewhere)
            missing.push_back(fmt::format("the {} side's extension list: kept in the directory, which the source "
                                          "does not include",
                                          side_name(side)));
        const std::string list = s.extensions.value_or("");
        x += list.empty() ? fmt::format("<{}/>", name) : fmt::format("<{0}>{1}</{0}>", name, cdata(list));
    }
    x += gpo.wmi_filter && !gpo.wmi_filter->empty() ? "<WMIFilter>" + cdata(*gpo.wmi_filter) + "</WMIFilter>"
                                                    : "<WMIFilter/>";
    x += "</GroupPolicyCoreSettings>\r\n";

    // One GroupPolicyExtension per extension, in GPMC's order: Registry (with the Adm
    // folder it always lists), Security, then the GPO's other files and folders.
    std::vector<FsObject> objects;
    for (const auto& e : entries)
        objects.push_back(fs_object(e, prefix, security_listed));
    const auto extension = [&](std::string_view cse, const char* name, const std::string& first) {
        std::string body = first;
        for (const auto& o : objects)
            if (o.cse == cse)
                body += "\r\n            " + element(o);
        if (body.empty())
            return;
        x += fmt::format("        <GroupPolicyExtension bkp:ID=\"{}\" bkp:DescName=\"{}\">{}\r\n        "
                         "</GroupPolicyExtension>\r\n",
                         cse, name, body);
    };
    extension(k_registry_cse, "Registry",
              fmt::format("\r\n            <FSObjectFile bkp:Path=\"%GPO_FSPATH%\\Adm\\*.*\" "
                          "bkp:SourceExpandedPath=\"{}\\Adm\\*.*\"/>",
                          util::xml_escape(prefix)));
    extension(k_security_cse, "Security", "");
    extension(k_files_cse, "Unknown Extension", "");
    x += "    </GroupPolicyObject>\r\n</GroupPolicyBackupScheme>\r\n";
    return x;
}

BackupResult write_backup(const Target& source, const fs::path& root, const BackupOptions& options)
{
    if (!source.is_gpo())
        throw util::Error(source.label() + ": not a GPO (a registry.pol alone cannot make a backup)");
    const Gpo& gpo = source.gpo();
    if (gpo.guid.empty())
        throw util::Error(source.label() + ": the GPO's GUID is unknown, and a backup must name it");
    BackupResult result;
    const long long epoch =
        options.epoch ? *options.epoch
                      : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                            .count();
    result.id = options.backup_id;
    if (result.id.empty()) {
        if (options.deterministic) {
            const std::string seed = fmt::format("{}|{}|{}|{}", gpo.guid, gpo.machine.version.backup_number(),
                                                 gpo.user.version.backup_number(), epoch);
            result.id = new_guid(fnv1a(seed, 1), fnv1a(seed, 2));
        } else {
            std::random_device random;
            const auto r64 = [&] { return (std::uint64_t{random()} << 32) | random(); };
            result.id = new_guid(r64(), r64());
        }
    }
    const auto entries = gpo_entries(gpo);
    const std::string dc = domain_controller(gpo);
    if (dc.empty())
        result.missing.push_back("the domain controller the GPO was read from: the source does not say; the "
                                 "domain's name stands in its paths");
    const std::string xml = backup_xml(gpo, entries, dc, groups_and_paths_of(gpo), result.missing);
    const std::string domain_guid = gpo.info ? gpo.info->domain_guid : std::string();
    if (domain_guid.empty())
        result.missing.push_back("the domain's GUID: not in the source");
    const std::string time = time_text(epoch);
    const std::string inst =
        fmt::format("<BackupInst xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\">"
                    "<GPOGuid>{}</GPOGuid><GPODomain>{}</GPODomain><GPODomainGuid>{}</GPODomainGuid>"
                    "<GPODomainController>{}</GPODomainController><BackupTime>{}</BackupTime><ID>{}</ID>"
                    "<Comment>{}</Comment><GPODisplayName>{}</GPODisplayName></BackupInst>",
                    cdata(gpo.guid), cdata(gpo.domain), cdata(domain_guid), cdata(dc), cdata(time), cdata(result.id),
                    cdata(options.comment), cdata(gpo.display_name));

    fs::create_directories(root);
    result.folder = root / result.id;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(result.folder, ec)))
        throw util::Error(util::display_path(result.folder) + ": a backup with this ID exists; it is left alone");
    const fs::path temp = util::make_sibling_temp(result.folder);
    try {
        const fs::path content = content_root(gpo);
        fs::create_directories(temp / "DomainSysvol" / "GPO");
        const auto copy = [&](const fs::path& from, const fs::path& to) {
            std::error_code copy_ec;
            fs::create_directories(to.parent_path(), copy_ec);
            if (!copy_ec)
                fs::copy_file(from, to, copy_ec);
            if (copy_ec)
                throw util::IoError(util::Position::of_file(gpo.name_of(from)),
                                    fmt::format("cannot copy into the backup {}: {}",
                                                util::display_path(result.folder), copy_ec.message()),
                                    copy_ec);
        };
        for (const auto& e : entries) {
            const fs::path to = temp / "DomainSysvol" / "GPO" / e.relative;
            if (e.directory)
                fs::create_directories(to);
            else
                copy(content / e.relative, to);
        }
        if (gpo.report && gpo.report->path.has_filename() && fs::is_regular_file(gpo.report->path, ec))
            copy(gpo.report->path, temp / "gpreport.xml");
        util::write_file_durable(temp / "Backup.xml", util::as_bytes(xml), util::display_path(result.folder / "Backup.xml"));
        util::write_file_durable(temp / "bkupInfo.xml", util::as_bytes(inst),
                                 util::display_path(result.folder / "bkupInfo.xml"));
        util::sync_tree(temp);
        fs::rename(temp, result.folder);
        util::sync_dir(root);
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }

    // The root's manifest gains the backup (made when there is none).
    const auto manifest = util::find_child(root, "manifest.xml");
    std::string text;
    if (manifest) {
        const util::XmlFile file = util::XmlFile::load(*manifest, util::display_path(*manifest));
        if (util::local_name(file.root()) != "Backups")
            throw util::Error(util::display_path(*manifest) + ": not a GPMC manifest (no <Backups>); the backup was "
                                                            "written, the manifest left as it was");
        const auto& bytes = file.bytes();
        text.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const auto end = text.rfind("</Backups>");
        if (end == std::string::npos || text.find('\0') != std::string::npos)
            throw util::Error(util::display_path(*manifest) + ": cannot add to this manifest (not UTF-8); the backup "
                                                            "was written, the manifest left as it was");
        text.insert(end, inst);
    } else {
        text = "<Backups xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" "
               "xmlns:mfst=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" mfst:version=\"1.0\">" +
               inst + "</Backups>";
    }
    util::write_file_atomic(manifest ? *manifest : root / "manifest.xml", util::as_bytes(text));
    return result;
}

} // namespace gpokit::gpo
