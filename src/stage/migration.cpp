#include "stage/migration.hpp"

#include "settings/inf_file.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/utf16.hpp"
#include "util/xml_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace gpokit::stage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_namespace = "http://www.microsoft.com/GroupPolicy/GPOOperations/MigrationTable";
const std::vector<std::string_view> k_types = {"User",           "Computer", "LocalGroup", "GlobalGroup",
                                               "UniversalGroup", "UNCPath",  "Unknown"};

bool domain_sid(std::string_view sid)
{
    return sid.rfind("S-1-5-21-", 0) == 0;
}

// A principal named with its domain (DOMAIN\name, name@domain), not a built-in one.
bool domain_name(std::string_view name)
{
    const std::string lower = util::to_lower_ascii(name);
    if (lower.rfind("builtin\\", 0) == 0 || lower.rfind("nt authority\\", 0) == 0 || lower.rfind("nt service\\", 0) == 0)
        return false;
    return name.find('\\') != std::string_view::npos || name.find('@') != std::string_view::npos;
}

// "\\server\share" of a UNC path, or empty.
std::string unc_share(std::string_view text)
{
    if (text.size() < 5 || text.substr(0, 2) != "\\\\")
        return {};
    const std::size_t server_end = text.find('\\', 2);
    if (server_end == std::string_view::npos || server_end == 2)
        return {};
    std::size_t share_end = text.find_first_of("\\ \t\"", server_end + 1);
    if (share_end == std::string_view::npos)
        share_end = text.size();
    if (share_end == server_end + 1)
        return {};
    return std::string(text.substr(0, share_end));
}

class Collector {
public:
    void add(std::string type, std::string source)
    {
        const std::string key = util::to_lower_ascii(source);
        auto [it, inserted] = m_found.try_emplace(key, Mapping{type, source, source});
        if (!inserted && it->second.type == "Unknown" && type != "Unknown")
            it->second.type = std::move(type); // a better guess from elsewhere
    }
    void principal(std::string_view text)
    {
        std::string_view p = text;
        while (!p.empty() && (p.front() == ' ' || p.front() == '"'))
            p.remove_prefix(1);
        while (!p.empty() && (p.back() == ' ' || p.back() == '"'))
            p.remove_suffix(1);
        if (!p.empty() && p.front() == '*')
            p.remove_prefix(1);
        if (domain_sid(p) || domain_name(p))
            add("Unknown", std::string(p));
    }
    void unc(std::string_view text)
    {
        if (auto share = unc_share(text); !share.empty())
            add("UNCPath", share);
    }
    std::vector<Mapping> result() const
    {
        std::vector<Mapping> out;
        for (const auto& [key, m] : m_found)
            out.push_back(m);
        return out;
    }

private:
    std::map<std::string, Mapping> m_found;
};

void from_backup_xml(const gpo::Gpo& g, Collector& c)
{
    const auto backup_xml = util::find_child(g.dir, "Backup.xml");
    if (g.layout != gpo::Layout::backup || !backup_xml)
        return;
    const util::XmlFile file = util::XmlFile::load(*backup_xml, g.name_of(*backup_xml));
    const auto groups = util::child(util::child(file.root(), "GroupPolicyObject"), "SecurityGroups");
    for (auto group = groups.first_child(); group; group = group.next_sibling()) {
        const std::string sid = util::text_of(util::child(group, "Sid"));
        const std::string sam = util::text_of(util::child(group, "SamAccountName"));
        const std::string upn = util::text_of(util::child(group, "UPN"));
        const std::string netbios = util::text_of(util::child(group, "NetBIOSDomainName"));
        std::string type = util::text_of(util::child(group, "Type"));
        if (std::find(k_types.begin(), k_types.end(), type) == k_types.end())
            type = "Unknown";
        const std::string source = !upn.empty() ? upn : !netbios.empty() ? netbios + "\\" + sam : std::string();
        if (!source.empty())
            c.add(type, source);
        else if (domain_sid(sid))
            c.add(type, sid);
    }
}

void from_template(const gpo::Target& t, Collector& c)
{
    const auto inf = t.security_template();
    if (!inf)
        return;
    for (const auto& line : inf->lines()) {
        if (line.kind != settings::InfLine::Kind::entry)
            continue;
        const bool rights = util::iequal_ascii(line.section, "Privilege Rights");
        const bool groups = util::iequal_ascii(line.section, "Group Membership");
        if (!rights && !groups)
            continue;
        if (groups) {
            const auto cut = line.key.rfind("__");
            c.principal(cut == std::string::npos ? line.key : line.key.substr(0, cut));
        }
        std::size_t start = 0;
        while (start <= line.value.size()) {
            const std::size_t end = std::min(line.value.find(',', start), line.value.size());
            c.principal(std::string_view(line.value).substr(start, end - start));
            start = end + 1;
        }
    }
}

void from_xml_attributes(pugi::xml_node node, Collector& c)
{
    for (auto n = node; n; n = n.next_sibling()) {
        if (n.type() != pugi::node_element)
            continue;
        for (auto a = n.first_attribute(); a; a = a.next_attribute()) {
            const std::string_view name = a.name();
            const std::string_view value = a.value();
            if (util::iequal_ascii(name, "sid") || (util::iequal_ascii(name, "name") && util::iequal_ascii(n.name(), "Member")))
                c.principal(value);
            c.unc(value);
        }
        from_xml_attributes(n.first_child(), c);
    }
}

void from_side_files(const gpo::Gpo& g, Collector& c)
{
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const fs::path folder = g.side(side).folder;
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            continue;
        if (const auto prefs = util::find_child(folder, "Preferences"); prefs && fs::is_directory(*prefs, ec))
            for (const auto& kind : fs::directory_iterator(*prefs))
                if (kind.is_directory() && !kind.is_symlink())
                    for (const auto& file : fs::directory_iterator(kind.path()))
                        if (file.is_regular_file() && !file.is_symlink() &&
                            util::iequal_ascii(file.path().extension().string(), ".xml")) {
                            const util::XmlFile x = util::XmlFile::load(file.path(), g.name_of(file.path()));
                            from_xml_attributes(x.root(), c);
                        }
        if (const auto scripts = util::find_child(folder, "Scripts"); scripts && fs::is_directory(*scripts, ec))
            for (const char* name : {"scripts.ini", "psscripts.ini"})
                if (const auto ini = util::find_child(*scripts, name)) {
                    const util::Bytes bytes = util::read_file(*ini, g.name_of(*ini));
                    const bool utf16 = bytes.size() >= 2 && bytes[0] == std::byte{0xff} && bytes[1] == std::byte{0xfe};
                    const std::string text = utf16 ? util::utf16le_to_utf8_lossy(util::ByteView(bytes).subspan(2))
                                                   : std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
                    for (std::size_t at = text.find("\\\\"); at != std::string::npos; at = text.find("\\\\", at + 2))
                        c.unc(std::string_view(text).substr(at));
                }
    }
}

} // namespace

std::vector<Mapping> gpo_mappings(const gpo::Target& t)
{
    Collector c;
    if (!t.is_gpo())
        return {};
    from_backup_xml(t.gpo(), c);
    from_template(t, c);
    from_side_files(t.gpo(), c);
    return c.result();
}

util::Bytes migtable_bytes(const std::vector<Mapping>& mappings)
{
    std::string text = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"
                       "<MigrationTable xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"" +
                       std::string(k_namespace) + "\">\r\n";
    for (const auto& m : mappings)
        text += fmt::format("  <Mapping>\r\n    <Type>{}</Type>\r\n    <Source>{}</Source>\r\n"
                            "    <Destination>{}</Destination>\r\n  </Mapping>\r\n",
                            util::xml_escape(m.type), util::xml_escape(m.source), util::xml_escape(m.destination));
    text += "</MigrationTable>\r\n";
    util::Bytes out{std::byte{0xff}, std::byte{0xfe}};
    const util::Bytes body = util::utf8_to_utf16le(text);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::vector<Mapping> parse_migtable(util::ByteView bytes, const std::string& origin)
{
    const util::XmlFile file = util::XmlFile::parse(util::Bytes(bytes.begin(), bytes.end()), origin);
    const auto root = file.root();
    if (util::local_name(root) != "MigrationTable" || std::string_view(root.attribute("xmlns").value()) != k_namespace)
        throw file.error(file.offset_of(root),
                               fmt::format("not a GPMC migration table (<MigrationTable xmlns=\"{}\">)", k_namespace));
    std::vector<Mapping> out;
    for (auto m = root.first_child(); m; m = m.next_sibling()) {
        if (m.type() != pugi::node_element)
            continue;
        if (util::local_name(m) != "Mapping")
            throw file.error(file.offset_of(m), fmt::format("<{}>: only <Mapping> elements belong here", m.name()));
        Mapping e;
        e.type = util::text_of(util::child(m, "Type"));
        e.source = util::text_of(util::child(m, "Source"));
        if (std::find(k_types.begin(), k_types.end(), e.type) == k_types.end())
            throw file.error(file.offset_of(m), fmt::format("<Type> \"{}\" is not one of GPMC's entry types", e.type));
        if (e.source.empty())
            throw file.error(file.offset_of(m), "a <Mapping> without a <Source>");
        if (const auto d = util::child(m, "Destination"))
            e.destination = util::text_of(d);
        else if (util::child(m, "DestinationSameAsSource"))
            e.destination = e.source;
        else if (!util::child(m, "DestinationNone") && !util::child(m, "DestinationByRelativeName"))
            throw file.error(file.offset_of(m), fmt::format("the mapping of \"{}\" has no destination", e.source));
        out.push_back(std::move(e));
    }
    return out;
}

std::string placeholder_problem(const Mapping& m)
{
    const std::size_t first = m.destination.find_first_not_of(" \t");
    if (first == std::string::npos)
        return fmt::format("\"{}\" is mapped to nothing", m.source);
    const std::string d = util::to_lower_ascii(m.destination.substr(first, m.destination.find_last_not_of(" \t") + 1 - first));
    static const std::vector<std::string_view> k_placeholders = {"change me", "changeme", "change-me", "todo", "tbd",
                                                                  "fixme",     "replace me", "replaceme", "?", "xxx"};
    if (std::find(k_placeholders.begin(), k_placeholders.end(), d) != k_placeholders.end() ||
        d.find_first_of("<>") != std::string::npos)
        return fmt::format("\"{}\" is mapped to \"{}\", a placeholder", m.source, m.destination);
    return {};
}

} // namespace gpokit::stage
