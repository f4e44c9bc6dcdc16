// Windows as the oracle for security templates. Each GPMC backup of the corpus carries
// gpreport.xml, GPMC's own reading of the GPO; its security settings are the items of the
// Computer's <Extension xsi:type="q1:SecuritySettings"> (the prefix varies, so elements
// are matched by local name). For every item reported there, gpokit's reading of the
// backup's GptTmpl.inf (settings::security_settings) must hold the setting in the same
// section under the same key, in the same area, with the same value:
//   Account             [System Access] / [Kerberos Policy]: the typed number (as uint32:
//                       GPMC shows LockoutDuration -1 as 4294967295) or boolean
//   UserRightsAssignment [Privilege Rights]: the same principals (SIDs, or names), as sets
//   SecurityOptions     KeyName: [Registry Values], the REG_DWORD's number, the REG_SZ text,
//                       the REG_MULTI_SZ strings; SystemAccessPolicyName: [System Access]
//   RestrictedGroups    [Group Membership]: GROUP__Members and GROUP__Memberof principals
//   Audit               [Event Audit]: success (1) and failure (2) bits
//   EventLog            [System|Security|Application Log]: number or boolean
//   SystemServices      [Service General Setting]: startup mode and permissions
//   File, Registry      [File Security], [Registry Keys]: the path, and the SDDL if shown
// and the other way round: every setting gpokit reads from a backup's template is one that
// GPMC reports. The summary test prints the agreement figures quoted in the README.
//
// The corpus holds no RestrictedGroups, Audit, EventLog, File or Registry item; their
// comparisons follow GPMC's report schema as other readers of it use it (element names
// GroupName/Member/Memberof, Name/SuccessAttempts/FailureAttempts, Name/Log/SettingNumber),
// and show 0/0 until a backup with them is added.
#include "settings/security_template.hpp"
#include "support/pol_bytes.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

// The item kinds of a SecuritySettings extension, with the label the figures use, in
// the order the figures are printed.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> k_kinds{{
    {"Account", "account"},
    {"UserRightsAssignment", "user rights"},
    {"SecurityOptions", "security options"},
    {"RestrictedGroups", "restricted groups"},
    {"Audit", "audit"},
    {"EventLog", "event log"},
    {"SystemServices", "system services"},
    {"File", "file system"},
    {"Registry", "registry"},
}};

struct Tally {
    std::size_t reported = 0;
    std::size_t agreed = 0;
};

struct Oracle {
    std::size_t backups = 0;
    std::size_t reports_with_security = 0; // backups whose gpreport.xml has the extension
    std::map<std::string_view, Tally> kinds;
    std::size_t gpokit_settings = 0; // settings gpokit reads from those backups' templates
    std::size_t gpokit_reported = 0; // ... of them, ones GPMC reports
    std::vector<std::string> disagreements; // "backup: Kind item: why"
    std::vector<std::string> unreported;    // "backup: line N [Section] key"
};

// ---- gpreport.xml ---------------------------------------------------------------------

std::string_view local_name(pugi::xml_node node)
{
    const std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::vector<pugi::xml_node> children(pugi::xml_node node, std::string_view local)
{
    std::vector<pugi::xml_node> out;
    for (const auto c : node.children())
        if (c.type() == pugi::node_element && util::iequal_ascii(local_name(c), local))
            out.push_back(c);
    return out;
}

pugi::xml_node child(pugi::xml_node node, std::string_view local)
{
    const auto all = children(node, local);
    return all.empty() ? pugi::xml_node() : all.front();
}

std::string text(pugi::xml_node node, std::string_view local)
{
    return child(node, local).child_value();
}

// The first descendant element with this local name (an SDDL inside a SecurityDescriptor).
pugi::xml_node descendant(pugi::xml_node node, std::string_view local)
{
    for (const auto c : node.children()) {
        if (c.type() != pugi::node_element)
            continue;
        if (util::iequal_ascii(local_name(c), local))
            return c;
        if (const auto d = descendant(c, local))
            return d;
    }
    return {};
}

// gpreport.xml is UTF-16LE with a BOM, as GPMC writes it.
pugi::xml_document load_report(const fs::path& path)
{
    const util::Bytes bytes = util::read_file(path);
    REQUIRE(bytes.size() >= 2);
    REQUIRE(bytes[0] == std::byte{0xFF});
    REQUIRE(bytes[1] == std::byte{0xFE});
    const auto text_utf8 = util::utf16le_to_utf8(util::ByteView(bytes).subspan(2));
    REQUIRE(text_utf8);
    pugi::xml_document doc;
    const auto result = doc.load_buffer(text_utf8->data(), text_utf8->size(), pugi::parse_default, pugi::encoding_utf8);
    INFO(path.string() << ": " << result.description() << " at offset " << result.offset);
    REQUIRE(result);
    return doc;
}

// The items of the Computer's SecuritySettings extensions.
std::vector<pugi::xml_node> security_items(const pugi::xml_document& doc, std::size_t& extensions)
{
    std::vector<pugi::xml_node> out;
    const auto computer = child(doc.document_element(), "Computer");
    for (const auto data : children(computer, "ExtensionData"))
        for (const auto ext : children(data, "Extension")) {
            std::string_view type;
            for (const auto a : ext.attributes()) {
                const std::string_view name = a.name();
                if (name == "type" || (name.size() > 5 && name.substr(name.size() - 5) == ":type"))
                    type = a.value();
            }
            const auto colon = type.find(':');
            if ((colon == std::string_view::npos ? type : type.substr(colon + 1)) != "SecuritySettings")
                continue;
            ++extensions;
            for (const auto item : ext.children())
                if (item.type() == pugi::node_element)
                    out.push_back(item);
        }
    return out;
}

// A principal as GPMC shows it: its SID where it has one, and its name.
struct Principal {
    std::string sid;
    std::string name;
};

Principal principal(pugi::xml_node node)
{
    return {text(node, "SID"), text(node, "Name")};
}

// gpokit's principal ("S-1-5-32-544" or a name as written) is this one.
bool same_principal(std::string_view mine, const Principal& p)
{
    if (!p.sid.empty() && util::iequal_ascii(mine, p.sid))
        return true;
    if (p.name.empty())
        return false;
    const auto slash = p.name.rfind('\\');
    return util::iequal_ascii(mine, p.name) ||
           (slash != std::string::npos && util::iequal_ascii(mine, std::string_view(p.name).substr(slash + 1)));
}

bool same_principals(const std::vector<std::string>& mine, const std::vector<Principal>& theirs)
{
    if (mine.size() != theirs.size())
        return false;
    return std::all_of(theirs.begin(), theirs.end(), [&](const Principal& p) {
        return std::any_of(mine.begin(), mine.end(), [&](const std::string& m) { return same_principal(m, p); });
    });
}

std::vector<Principal> principals(pugi::xml_node node, std::string_view local)
{
    std::vector<Principal> out;
    for (const auto m : children(node, local))
        out.push_back(principal(m));
    return out;
}

std::optional<std::int64_t> number_of(std::string_view s)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

// GPMC shows 32-bit values unsigned (LockoutDuration -1 is 4294967295).
bool same_u32(std::int64_t mine, std::int64_t theirs)
{
    return static_cast<std::uint32_t>(mine) == static_cast<std::uint32_t>(theirs);
}

std::string unquote(std::string_view s)
{
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
        s = s.substr(1, s.size() - 2);
    return std::string(s);
}

// ---- gpokit's side --------------------------------------------------------------------

// One backup's settings as gpokit reads them, each marked once an item matched it.
class Reading {
public:
    explicit Reading(std::vector<settings::SecuritySetting> all) : m_all(std::move(all)), m_used(m_all.size()) {}

    // The setting `key` of `section` (case-insensitive).
    const settings::SecuritySetting* find(std::string_view section, std::string_view key)
    {
        return take([&](const settings::SecuritySetting& s) {
            return !s.key.empty() && util::iequal_ascii(s.section, section) && util::iequal_ascii(s.key, key);
        });
    }
    // The line of a list section ([Service General Setting], ...) for `name`.
    const settings::SecuritySetting* find_listed(std::string_view section, std::string_view name)
    {
        return take([&](const settings::SecuritySetting& s) {
            return s.key.empty() && util::iequal_ascii(s.section, section) && util::iequal_ascii(s.name, name);
        });
    }
    // [Group Membership]'s GROUP__<what> line for this group.
    const settings::SecuritySetting* find_group(const Principal& group, std::string_view what)
    {
        return take([&](const settings::SecuritySetting& s) {
            if (!util::iequal_ascii(s.section, "Group Membership"))
                return false;
            const auto at = s.key.rfind("__");
            if (at == std::string::npos || !util::iequal_ascii(std::string_view(s.key).substr(at + 2), what))
                return false;
            std::string_view g = std::string_view(s.key).substr(0, at);
            if (!g.empty() && g.front() == '*')
                g.remove_prefix(1);
            return same_principal(g, group);
        });
    }

    const std::vector<settings::SecuritySetting>& all() const { return m_all; }
    bool used(std::size_t i) const { return m_used[i]; }

private:
    template <typename Pred>
    const settings::SecuritySetting* take(Pred pred)
    {
        for (std::size_t i = 0; i < m_all.size(); ++i)
            if (pred(m_all[i])) {
                m_used[i] = true;
                return &m_all[i];
            }
        return nullptr;
    }

    std::vector<settings::SecuritySetting> m_all;
    std::vector<bool> m_used;
};

// [Registry Values] "TYPE,DATA": the type and the data as written.
std::pair<std::string, std::string> type_and_data(std::string_view raw)
{
    const auto comma = raw.find(',');
    if (comma == std::string_view::npos)
        return {std::string(raw), {}};
    return {std::string(raw.substr(0, comma)), std::string(raw.substr(comma + 1))};
}

// ---- the comparison -------------------------------------------------------------------

using Verdict = std::optional<std::string>; // nullopt: the same; otherwise why not

Verdict number_or_boolean(pugi::xml_node item, const settings::SecuritySetting& s)
{
    if (const auto n = child(item, "SettingNumber")) {
        const auto theirs = number_of(n.child_value());
        if (!theirs)
            return fmt::format("GPMC's number '{}' is not one", n.child_value());
        if (!s.number)
            return fmt::format("gpokit has no number for '{}'", s.raw);
        if (!same_u32(*s.number, *theirs))
            return fmt::format("gpokit {} where GPMC shows {}", *s.number, *theirs);
        return std::nullopt;
    }
    if (const auto b = child(item, "SettingBoolean")) {
        const std::string_view theirs = b.child_value();
        if (theirs != "true" && theirs != "false")
            return fmt::format("GPMC's boolean '{}' is not one", theirs);
        // An event log boolean (RestrictGuestAccess) is a number to gpokit.
        std::optional<bool> mine = s.boolean;
        if (!mine && s.number)
            mine = *s.number != 0;
        if (!mine)
            return fmt::format("gpokit has no boolean for '{}'", s.raw);
        if (*mine != (theirs == "true"))
            return fmt::format("gpokit {} where GPMC shows {}", *mine, theirs);
        return std::nullopt;
    }
    return std::string("GPMC shows neither SettingNumber nor SettingBoolean");
}

Verdict in_area(const settings::SecuritySetting& s, std::string_view area)
{
    if (s.area != area)
        return fmt::format("gpokit's area '{}' where GPMC's is '{}'", s.area, area);
    return std::nullopt;
}

Verdict check_account(pugi::xml_node item, Reading& r)
{
    const std::string name = text(item, "Name");
    const auto* s = r.find("System Access", name);
    if (!s)
        s = r.find("Kerberos Policy", name);
    if (!s)
        return std::string("not in [System Access] or [Kerberos Policy]");
    // Type: "Password", "Account Lockout", "Kerberos".
    if (auto v = in_area(*s, text(item, "Type") + " Policy"))
        return v;
    return number_or_boolean(item, *s);
}

Verdict check_user_right(pugi::xml_node item, Reading& r)
{
    const auto* s = r.find("Privilege Rights", text(item, "Name"));
    if (!s)
        return std::string("not in [Privilege Rights]");
    if (auto v = in_area(*s, "User Rights Assignment"))
        return v;
    if (!same_principals(s->members, principals(item, "Member")))
        return fmt::format("gpokit's members '{}' differ", s->raw);
    return std::nullopt;
}

Verdict check_security_option(pugi::xml_node item, Reading& r)
{
    if (const auto policy = child(item, "SystemAccessPolicyName")) {
        const auto* s = r.find("System Access", policy.child_value());
        if (!s)
            return std::string("not in [System Access]");
        if (auto v = in_area(*s, "Security Options"))
            return v;
        if (const auto str = child(item, "SettingString")) {
            if (s->value != unquote(str.child_value()))
                return fmt::format("gpokit '{}' where GPMC shows {}", s->value, str.child_value());
            return std::nullopt;
        }
        return number_or_boolean(item, *s);
    }
    const auto* s = r.find("Registry Values", text(item, "KeyName"));
    if (!s)
        return std::string("not in [Registry Values]");
    if (auto v = in_area(*s, "Security Options"))
        return v;
    const auto [type, data] = type_and_data(s->raw);
    if (const auto n = child(item, "SettingNumber")) {
        if (type == "3") {
            // A one-byte REG_BINARY, written by secedit as its decimal value ("3,0"), which
            // GPMC shows as that number; gpokit keeps REG_BINARY data as written.
            const auto mine = number_of(data);
            if (!mine || mine != number_of(n.child_value()))
                return fmt::format("gpokit REG_BINARY '{}' where GPMC shows {}", data, n.child_value());
            return std::nullopt;
        }
        return number_or_boolean(item, *s);
    }
    if (const auto str = child(item, "SettingString")) {
        const std::string theirs = std::string(type == "2" ? "REG_EXPAND_SZ " : "REG_SZ ") + unquote(str.child_value());
        if (s->value != theirs)
            return fmt::format("gpokit '{}' where GPMC shows {}", s->value, str.child_value());
        return std::nullopt;
    }
    if (const auto strs = child(item, "SettingStrings")) {
        std::string theirs = "REG_MULTI_SZ ";
        bool first = true;
        for (const auto v : children(strs, "Value")) {
            theirs += (first ? "" : "; ") + std::string(v.child_value());
            first = false;
        }
        if (s->value != theirs)
            return fmt::format("gpokit '{}' where GPMC shows '{}'", s->value, theirs);
        return std::nullopt;
    }
    return std::string("GPMC shows no SettingNumber, SettingString or SettingStrings");
}

Verdict check_restricted_group(pugi::xml_node item, Reading& r)
{
    const Principal group = principal(child(item, "GroupName"));
    const auto* members = r.find_group(group, "Members");
    const auto* member_of = r.find_group(group, "Memberof");
    if (!members && !member_of)
        return std::string("not in [Group Membership]");
    for (const auto* s : {members, member_of})
        if (s)
            if (auto v = in_area(*s, "Restricted Groups"))
                return v;
    // A line not written is a list GPMC shows empty.
    static const std::vector<std::string> none;
    if (!same_principals(members ? members->members : none, principals(item, "Member")))
        return std::string("the members differ");
    if (!same_principals(member_of ? member_of->members : none, principals(item, "Memberof")))
        return std::string("the groups it is a member of differ");
    return std::nullopt;
}

Verdict check_audit(pugi::xml_node item, Reading& r)
{
    const auto* s = r.find("Event Audit", text(item, "Name"));
    if (!s)
        return std::string("not in [Event Audit]");
    if (auto v = in_area(*s, "Audit Policy"))
        return v;
    if (!s->number)
        return fmt::format("gpokit has no number for '{}'", s->raw);
    const bool success = (*s->number & 1) != 0;
    const bool failure = (*s->number & 2) != 0;
    if (success != (text(item, "SuccessAttempts") == "true") || failure != (text(item, "FailureAttempts") == "true"))
        return fmt::format("gpokit {} where GPMC shows success {}, failure {}", *s->number,
                           text(item, "SuccessAttempts"), text(item, "FailureAttempts"));
    return std::nullopt;
}

Verdict check_event_log(pugi::xml_node item, Reading& r)
{
    const auto* s = r.find(text(item, "Log") + " Log", text(item, "Name"));
    if (!s)
        return fmt::format("not in [{} Log]", text(item, "Log"));
    if (auto v = in_area(*s, "Event Log"))
        return v;
    return number_or_boolean(item, *s);
}

// gpokit's value of a list line: "MODE_TEXT" or "MODE_TEXT, permissions SDDL".
std::pair<std::string, std::string> mode_and_sddl(std::string_view value)
{
    constexpr std::string_view k_sep = ", permissions ";
    const auto at = value.find(k_sep);
    if (at == std::string_view::npos)
        return {std::string(value), {}};
    return {std::string(value.substr(0, at)), std::string(value.substr(at + k_sep.size()))};
}

Verdict same_descriptor(pugi::xml_node item, const std::string& sddl)
{
    const auto descriptor = child(item, "SecurityDescriptor");
    if (const auto present = child(descriptor, "PermissionsPresent"))
        if ((std::string_view(present.child_value()) == "true") != !sddl.empty())
            return fmt::format("gpokit's permissions '{}' where GPMC says present: {}", sddl, present.child_value());
    if (const auto shown = descendant(descriptor, "SDDL"))
        if (sddl != shown.child_value())
            return fmt::format("gpokit's permissions '{}' where GPMC shows '{}'", sddl, shown.child_value());
    return std::nullopt;
}

Verdict check_service(pugi::xml_node item, Reading& r)
{
    const auto* s = r.find_listed("Service General Setting", text(item, "Name"));
    if (!s)
        return std::string("not in [Service General Setting]");
    if (auto v = in_area(*s, "System Services"))
        return v;
    const auto [mode, sddl] = mode_and_sddl(s->value);
    if (mode != text(item, "StartupMode"))
        return fmt::format("gpokit '{}' where GPMC shows {}", mode, text(item, "StartupMode"));
    return same_descriptor(item, sddl);
}

Verdict check_path(pugi::xml_node item, Reading& r, std::string_view section, std::string_view area)
{
    const auto* s = r.find_listed(section, text(item, "Path"));
    if (!s)
        return fmt::format("not in [{}]", section);
    if (auto v = in_area(*s, area))
        return v;
    return same_descriptor(item, mode_and_sddl(s->value).second);
}

Verdict check_item(std::string_view kind, pugi::xml_node item, Reading& r)
{
    if (kind == "Account")
        return check_account(item, r);
    if (kind == "UserRightsAssignment")
        return check_user_right(item, r);
    if (kind == "SecurityOptions")
        return check_security_option(item, r);
    if (kind == "RestrictedGroups")
        return check_restricted_group(item, r);
    if (kind == "Audit")
        return check_audit(item, r);
    if (kind == "EventLog")
        return check_event_log(item, r);
    if (kind == "SystemServices")
        return check_service(item, r);
    if (kind == "File")
        return check_path(item, r, "File Security", "File System");
    return check_path(item, r, "Registry Keys", "Registry");
}

// A short name for an item in messages: its Name, KeyName, ... as GPMC shows it.
std::string item_name(pugi::xml_node item)
{
    for (const auto* field : {"Name", "KeyName", "SystemAccessPolicyName", "Path"})
        if (const auto c = child(item, field); c && c.first_child().type() == pugi::node_pcdata)
            return c.child_value();
    if (const auto g = child(item, "GroupName"))
        return principal(g).sid.empty() ? principal(g).name : principal(g).sid;
    return "?";
}

// ---- the corpus -----------------------------------------------------------------------

// The entry of `dir` named `name`, any case.
std::optional<fs::path> entry_icase(const fs::path& dir, std::string_view name)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return std::nullopt;
    for (const auto& e : fs::directory_iterator(dir))
        if (util::iequal_ascii(e.path().filename().string(), name))
            return e.path();
    return std::nullopt;
}

std::optional<fs::path> template_of(const fs::path& backup)
{
    std::optional<fs::path> p = backup;
    for (const auto* part : {"DomainSysvol", "GPO", "Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf"}) {
        p = entry_icase(*p, part);
        if (!p)
            return std::nullopt;
    }
    return p;
}

// Every folder of the corpus holding a Backup.xml (any case), sorted.
std::vector<fs::path> corpus_backups()
{
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(test::corpus_dir()))
        if (e.is_regular_file() && util::iequal_ascii(e.path().filename().string(), "Backup.xml"))
            out.push_back(e.path().parent_path());
    std::sort(out.begin(), out.end());
    return out;
}

Oracle run_oracle()
{
    Oracle o;
    for (const auto& [kind, label] : k_kinds)
        o.kinds[kind] = {};
    for (const auto& dir : corpus_backups()) {
        ++o.backups;
        const std::string shown = fs::relative(dir, test::corpus_dir()).generic_string();
        const auto report_path = entry_icase(dir, "gpreport.xml");
        REQUIRE(report_path);
        const auto doc = load_report(*report_path);
        std::size_t extensions = 0;
        const auto items = security_items(doc, extensions);
        o.reports_with_security += extensions > 0;

        std::vector<settings::SecuritySetting> read;
        if (const auto inf = template_of(dir))
            read = settings::security_settings(settings::InfFile::parse(util::read_file(*inf), inf->string()));
        Reading r(std::move(read));

        for (const auto item : items) {
            const std::string_view kind = local_name(item);
            if (kind == "Blocked")
                continue; // the extension's own flag, not a setting
            const auto known = std::find_if(k_kinds.begin(), k_kinds.end(), [&](const auto& k) { return k.first == kind; });
            if (known == k_kinds.end()) {
                o.disagreements.push_back(fmt::format("{}: {} {}: an item kind this test does not compare", shown,
                                                      kind, item_name(item)));
                continue;
            }
            Tally& t = o.kinds[known->first];
            ++t.reported;
            if (const auto why = check_item(kind, item, r))
                o.disagreements.push_back(fmt::format("{}: {} {}: {}", shown, kind, item_name(item), *why));
            else
                ++t.agreed;
        }
        for (std::size_t i = 0; i < r.all().size(); ++i) {
            ++o.gpokit_settings;
            if (r.used(i))
                ++o.gpokit_reported;
            else
                o.unreported.push_back(fmt::format("{}: line {} [{}] {}", shown, r.all()[i].line, r.all()[i].section,
                                                   r.all()[i].key.empty() ? r.all()[i].raw : r.all()[i].key));
        }
    }
    return o;
}

const Oracle& oracle()
{
    static const Oracle o = run_oracle();
    return o;
}

std::string figures(const Oracle& o)
{
    std::string out;
    for (const auto& [kind, label] : k_kinds) {
        const Tally& t = o.kinds.at(kind);
        out += fmt::format("{}{} {}/{}", out.empty() ? "" : ", ", label, t.agreed, t.reported);
    }
    return out;
}

} // namespace

TEST_CASE("every security setting a corpus gpreport.xml reports, gpokit reads from GptTmpl.inf with the same value")
{
    const Oracle& o = oracle();
    CHECK(o.backups == 71);
    CHECK(o.reports_with_security == 11); // counted by a Python reader of the 71 gpreport.xml
    for (const auto& d : o.disagreements)
        FAIL_CHECK(d);
    std::size_t reported = 0;
    for (const auto& [kind, t] : o.kinds) {
        INFO(kind);
        CHECK(t.agreed == t.reported);
        reported += t.reported;
    }
    // Counted by the same Python reader: the check must not pass by finding nothing.
    CHECK(o.kinds.at("Account").reported == 34);
    CHECK(o.kinds.at("UserRightsAssignment").reported == 110);
    CHECK(o.kinds.at("SecurityOptions").reported == 182);
    CHECK(o.kinds.at("SystemServices").reported == 8);
    CHECK(reported == 334);
}

TEST_CASE("every security setting gpokit reads from a corpus backup's template, its gpreport.xml reports")
{
    const Oracle& o = oracle();
    for (const auto& u : o.unreported)
        FAIL_CHECK("not in gpreport.xml: " << u);
    CHECK(o.gpokit_reported == o.gpokit_settings);
    CHECK(o.gpokit_settings == 334);
}

TEST_CASE("security template agreement with gpreport.xml: the figures")
{
    const Oracle& o = oracle();
    std::cout << "security settings agreeing with gpreport.xml (" << o.reports_with_security << " of " << o.backups
              << " backups report some): " << figures(o) << "; settings gpokit reads that GPMC reports "
              << o.gpokit_reported << "/" << o.gpokit_settings << "\n";
    CHECK(o.disagreements.empty());
}
