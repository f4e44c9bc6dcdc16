// Group Policy Preferences XML (settings/preferences) and advanced audit policy
// (settings/audit) on the hand-written files in fixtures/preferences/: items, actions,
// registry values, nested collections, targeting, cpassword positions, exact bytes;
// and every malformed file refused at the line:column its README.md manifest gives.
// Edge cases of encodings and CSV are built in code.
#include "settings/audit.hpp"
#include "settings/preferences.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>

using namespace gpokit;
using settings::AuditFile;
using settings::AuditSetting;
using settings::PreferencesFile;
namespace fs = std::filesystem;

namespace {

fs::path fixture(std::string_view name)
{
    return test::fixtures_dir() / "preferences" / name;
}

PreferencesFile prefs(std::string_view name)
{
    return PreferencesFile::load(fixture(name), std::string(name));
}

AuditFile audit_text(std::string_view text)
{
    return AuditFile::parse(util::as_bytes(text), "audit.csv");
}

util::ParseError audit_error(util::ByteView bytes)
{
    try {
        AuditFile::parse(bytes, "audit.csv");
    } catch (const util::ParseError& e) {
        return e;
    }
    FAIL("no error");
    throw std::logic_error("unreachable");
}

util::ParseError audit_error(std::string_view text)
{
    return audit_error(util::as_bytes(text));
}

const std::string k_header =
    "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n";
const std::string k_logon = ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1\r\n";

util::Bytes utf16_with_bom(std::string_view text)
{
    util::Bytes out{std::byte{0xff}, std::byte{0xfe}};
    const auto body = util::utf8_to_utf16le(text);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::string property(const settings::PreferenceItem& item, std::string_view name)
{
    for (const auto& [k, v] : item.properties)
        if (k == name)
            return v;
    return "(absent)";
}

} // namespace

TEST_CASE("Groups.xml: users and a group, actions, members, targeting, and the one cpassword with a value")
{
    const auto file = prefs("Groups.xml");
    CHECK(file.bytes() == util::read_file(fixture("Groups.xml")));
    CHECK(file.root() == "Groups");
    CHECK(file.root_clsid() == "{3125E937-EB16-4b4c-9934-544FC6D24D26}");
    const auto& items = file.items();
    REQUIRE(items.size() == 3);

    CHECK(items[0].kind == "User");
    CHECK(items[0].name == "LocalSupport");
    CHECK(items[0].uid == "{0B0E1F2A-1111-4C4C-9D9D-000000000001}");
    CHECK(items[0].clsid == "{DF5F1855-51E5-4d24-8B1A-D9BDE98BA1D1}");
    CHECK(items[0].action == "Update");
    CHECK(items[0].has_cpassword);
    CHECK(items[0].line == 3);
    CHECK(items[0].column == 2);
    CHECK(file.position(items[0]).text() == "Groups.xml:3:2");
    CHECK_FALSE(items[0].registry);
    REQUIRE(items[0].properties.size() == 10);
    CHECK(items[0].properties.front() == std::pair<std::string, std::string>("action", "U"));
    CHECK(items[0].properties[4].first == "cpassword");
    CHECK(items[0].properties.back() == std::pair<std::string, std::string>("userName", "LocalSupport"));
    CHECK(items[0].attributes.size() == 5);
    CHECK(items[0].details.empty());
    CHECK(items[0].targeting.empty());

    CHECK(items[1].kind == "User");
    CHECK(items[1].action == "Delete");
    CHECK_FALSE(items[1].has_cpassword); // cpassword="": nothing to decrypt
    CHECK(property(items[1], "cpassword").empty());

    CHECK(items[2].kind == "Group");
    CHECK(items[2].name == "Administrators (built-in)");
    CHECK(items[2].action == "Update");
    CHECK(property(items[2], "groupSid") == "S-1-5-32-544");
    CHECK(items[2].details ==
          "Members [Member name=\"EXAMPLE\\Workstation Admins\" action=\"ADD\" "
          "sid=\"S-1-5-21-1000-2000-3000-1105\"; Member name=\"LocalSupport\" action=\"ADD\" sid=\"\"]");
    CHECK(items[2].targeting ==
          "FilterOs bool=\"AND\" not=\"0\" class=\"NT\" version=\"WIN10\" type=\"NE\" edition=\"NE\" sp=\"NE\"; "
          "FilterGroup bool=\"OR\" not=\"1\" name=\"EXAMPLE\\Kiosks\" sid=\"S-1-5-21-1000-2000-3000-1200\" "
          "userContext=\"0\" primaryGroup=\"0\" localGroup=\"0\"");
    CHECK_FALSE(items[2].has_cpassword);

    const auto found = settings::cpasswords(file);
    REQUIRE(found.size() == 1);
    CHECK(found[0].text() == "Groups.xml:4:109"); // the attribute's name, counted in the fixture
}

TEST_CASE("a cpassword attribute is found in any case, on a line of its own or not")
{
    const auto file = prefs("Drives.xml");
    CHECK(file.bytes() == util::read_file(fixture("Drives.xml")));
    REQUIRE(file.items().size() == 1);
    const auto& drive = file.items()[0];
    CHECK(drive.kind == "Drive");
    CHECK(drive.action == "Replace");
    CHECK(drive.has_cpassword);
    CHECK(property(drive, "path") == "\\\\files.example.test\\share");
    const auto found = settings::cpasswords(file);
    REQUIRE(found.size() == 1);
    CHECK(found[0].line == 2);
    CHECK(found[0].column == 414);
}

TEST_CASE("Registry.xml: nested collections are flattened, each item with its path and registry value")
{
    const auto file = prefs("Registry.xml");
    CHECK(file.bytes() == util::read_file(fixture("Registry.xml")));
    CHECK(file.root() == "RegistrySettings");
    CHECK(settings::cpasswords(file).empty());
    const auto items = settings::preference_items(file);
    REQUIRE(items.size() == 5);
    for (const auto& item : items) {
        CHECK(item.kind == "Registry");
        REQUIRE(item.registry);
        CHECK_FALSE(item.has_cpassword);
    }

    CHECK(items[0].name == "Banner");
    CHECK(items[0].collection.empty());
    CHECK(items[0].action == "Update");
    CHECK(items[0].registry->hive == "HKEY_LOCAL_MACHINE");
    CHECK(items[0].registry->key == "SOFTWARE\\Example\\Banner");
    CHECK(items[0].registry->value_name == "Text");
    CHECK(items[0].registry->type == "REG_SZ");
    CHECK(items[0].registry->data == "Authorised use only & \"monitored\"");
    CHECK_FALSE(items[0].registry->is_default);
    CHECK_FALSE(items[0].disabled);
    CHECK(items[0].line == 3);

    CHECK(items[1].name == "Servers");
    CHECK(items[1].collection == std::vector<std::string>{"Outer"});
    CHECK(items[1].action == "Replace");
    CHECK(items[1].registry->type == "REG_MULTI_SZ");
    CHECK(items[1].registry->data == "a.example.test b.example.test");
    CHECK(items[1].registry->values == std::vector<std::string>{"a.example.test", "b.example.test"});
    CHECK(items[1].details == "Values [Value \"a.example.test\"; Value \"b.example.test\"]");
    CHECK_FALSE(items[1].disabled);

    CHECK(items[2].name == "Level");
    CHECK(items[2].collection == std::vector<std::string>{"Outer", "Inner"});
    CHECK(items[2].action == "Create");
    CHECK(items[2].registry->hive == "HKEY_CURRENT_USER");
    CHECK(items[2].registry->type == "REG_DWORD");
    CHECK(items[2].registry->data == "0000002A");
    CHECK(items[2].disabled); // its collection is
    CHECK(items[2].targeting.rfind("FilterRegistry bool=\"AND\" not=\"0\" type=\"KEYEXISTS\"", 0) == 0);
    CHECK(items[2].collection_targeting.empty());
    CHECK(items[2].line == 16);

    CHECK(items[3].action == "Delete");
    CHECK(items[3].registry->is_default);
    CHECK(items[3].registry->value_name.empty());
    CHECK(items[3].collection == std::vector<std::string>{"Outer", "Inner"});

    CHECK(items[4].name == "Cache");
    CHECK(items[4].collection.empty());
    CHECK(items[4].disabled);
    CHECK(items[4].registry->type.empty()); // a key-only item
    CHECK(items[4].registry->value_name.empty());
}

TEST_CASE("a collection's own targeting and a collection file of its own")
{
    const std::string text = R"(<?xml version="1.0" encoding="utf-8"?>
<Collection clsid="{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}" name="Copied">
  <Collection clsid="{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}" name="Win10">
    <Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="A" uid="{1}">
      <Properties action="u" hive="HKEY_LOCAL_MACHINE" key="K" name="A" type="REG_SZ" value="1"/>
    </Registry>
    <Filters><FilterOs bool="AND" not="0" class="NT" version="WIN10"/></Filters>
  </Collection>
</Collection>
)";
    const auto file = PreferencesFile::parse(util::as_bytes(text), "copied.xml");
    REQUIRE(file.items().size() == 1);
    const auto& item = file.items()[0];
    CHECK(item.collection == std::vector<std::string>{"Copied", "Win10"});
    CHECK(item.action == "Update"); // a lower-case letter is read too
    CHECK(item.targeting.empty());
    CHECK(item.collection_targeting ==
          "Collection name=\"Win10\" [FilterOs bool=\"AND\" not=\"0\" class=\"NT\" version=\"WIN10\"]");
}

TEST_CASE("a UTF-16 preferences file reads as its UTF-8 twin, positions included")
{
    const auto utf8 = util::read_file(fixture("Groups.xml"));
    const std::string text(reinterpret_cast<const char*>(utf8.data()), utf8.size());
    const auto wide = utf16_with_bom(text);
    const auto file = PreferencesFile::parse(wide, "Groups.xml");
    CHECK(file.bytes() == wide);
    const auto twin = prefs("Groups.xml");
    REQUIRE(file.items().size() == twin.items().size());
    for (std::size_t i = 0; i < file.items().size(); ++i) {
        CHECK(file.items()[i].properties == twin.items()[i].properties);
        CHECK(file.items()[i].line == twin.items()[i].line);
        CHECK(file.items()[i].targeting == twin.items()[i].targeting);
    }
    REQUIRE(settings::cpasswords(file).size() == 1);
    CHECK(settings::cpasswords(file)[0].text() == "Groups.xml:4:109");
}

TEST_CASE("preference files gpokit refuses: a DTD, a root that is an item")
{
    const std::string dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<Groups/>\n";
    CHECK_THROWS_AS(PreferencesFile::parse(util::as_bytes(dtd), "Groups.xml"), util::ParseError);
    const std::string item = "<User name=\"x\">\n  <Properties action=\"U\"/>\n</User>\n";
    try {
        PreferencesFile::parse(util::as_bytes(item), "Groups.xml");
        FAIL("no error");
    } catch (const util::ParseError& e) {
        CHECK(std::string(e.what()).rfind("Groups.xml:1:", 0) == 0);
    }
    // Collections nested deeper than any real file: refused before the readers recurse.
    std::string deep = "<RegistrySettings>\n";
    for (int i = 0; i < 300; ++i)
        deep += "<Collection name=\"c\">";
    for (int i = 0; i < 300; ++i)
        deep += "</Collection>";
    deep += "\n</RegistrySettings>\n";
    try {
        PreferencesFile::parse(util::as_bytes(deep), "Registry.xml");
        FAIL("no error");
    } catch (const util::ParseError& e) {
        // The 257th collection (256 levels below the root's children) starts at byte
        // 256 * 21 of line 2: each <Collection name="c"> is 21 bytes.
        CHECK(e.where()->text() == "Registry.xml:2:5377");
    }
    // An empty file of items is fine.
    const std::string empty = "<NTServices clsid=\"{2CFB484A-4E96-4b5d-A0B6-093D2F91E6AE}\"/>";
    const auto none = PreferencesFile::parse(util::as_bytes(empty), "Services.xml");
    CHECK(none.items().empty());
    CHECK(none.root() == "NTServices");
}

TEST_CASE("action letters and preferences paths")
{
    CHECK(settings::preference_action_name("C") == "Create");
    CHECK(settings::preference_action_name("R") == "Replace");
    CHECK(settings::preference_action_name("U") == "Update");
    CHECK(settings::preference_action_name("d") == "Delete");
    CHECK_FALSE(settings::preference_action_name("X"));
    CHECK_FALSE(settings::preference_action_name("CU"));
    CHECK_FALSE(settings::preference_action_name(""));

    CHECK(settings::is_preferences_path("Machine/Preferences/Registry/Registry.xml"));
    CHECK(settings::is_preferences_path("user\\preferences\\Groups\\Groups.XML"));
    CHECK_FALSE(settings::is_preferences_path("Machine/Preferences/Registry.xml"));
    CHECK_FALSE(settings::is_preferences_path("Machine/Registry.pol"));
    CHECK_FALSE(settings::is_preferences_path("Other/Preferences/Registry/Registry.xml"));
}

TEST_CASE("audit.csv: subcategories, a per-user row, quoted fields, an option and a global SACL")
{
    const auto file = AuditFile::load(fixture("audit.csv"), "audit.csv");
    CHECK(file.bytes() == util::read_file(fixture("audit.csv")));
    CHECK(file.encoding() == settings::AuditEncoding::utf8);
    const auto s = settings::audit_settings(file);
    REQUIRE(s.size() == 5);

    CHECK(s[0].kind == AuditSetting::Kind::subcategory);
    CHECK(s[0].policy_target == "System");
    CHECK(s[0].subcategory == "Audit Credential Validation");
    CHECK(s[0].guid == "{0cce923f-69ae-11d9-bed3-505054503030}");
    CHECK(s[0].inclusion == "Success and Failure");
    CHECK(s[0].exclusion.empty());
    CHECK(s[0].value == 3);
    CHECK(s[0].value_text == "3");
    CHECK(s[0].line == 2);

    CHECK(s[1].policy_target == "S-1-5-21-1000-2000-3000-1105");
    CHECK(s[1].guid == "{0CCE9215-69AE-11D9-BED3-505054503030}");
    CHECK(s[1].exclusion == "Failure");
    CHECK(s[1].value == 9);

    CHECK(s[2].machine_name == "WS01");
    CHECK(s[2].subcategory == "Other Logon/Logoff Events, \"quoted\"");
    CHECK(s[2].inclusion == "No Auditing");
    CHECK(s[2].value == 4);
    CHECK(s[2].line == 4);

    CHECK(s[3].kind == AuditSetting::Kind::option);
    CHECK(s[3].subcategory == "Option:CrashOnAuditFail");
    CHECK(s[3].guid.empty());
    CHECK(s[3].inclusion == "Enabled");
    CHECK(s[3].value == 1);

    CHECK(s[4].kind == AuditSetting::Kind::global_sacl);
    CHECK(s[4].subcategory == "FileGlobalSacl");
    CHECK(s[4].value_text == "S:(AU;SA;FA;;;WD)");
    CHECK(s[4].value == 0);
    CHECK(s[4].line == 6);
    CHECK(file.position(s[4]).text() == "audit.csv:6:1");
}

TEST_CASE("a UTF-16 audit.csv (auditpol /backup) reads as the same settings")
{
    const auto wide = AuditFile::load(fixture("audit-utf16.csv"), "audit-utf16.csv");
    CHECK(wide.encoding() == settings::AuditEncoding::utf16le);
    CHECK(wide.bytes() == util::read_file(fixture("audit-utf16.csv")));
    const auto narrow = AuditFile::load(fixture("audit.csv"), "audit.csv");
    REQUIRE(wide.settings().size() == narrow.settings().size());
    for (std::size_t i = 0; i < wide.settings().size(); ++i) {
        const auto& a = wide.settings()[i];
        const auto& b = narrow.settings()[i];
        CHECK(a.subcategory == b.subcategory);
        CHECK(a.guid == b.guid);
        CHECK(a.inclusion == b.inclusion);
        CHECK(a.value_text == b.value_text);
        CHECK(a.line == b.line);
    }
}

TEST_CASE("every malformed fixture is refused at the line:column its manifest gives")
{
    std::ifstream manifest(fixture("README.md"));
    REQUIRE(manifest);
    const std::regex row(R"(^\| `([^`]+)` \| (\d+):(\d+) \|)");
    std::size_t checked = 0;
    for (std::string line; std::getline(manifest, line);) {
        std::smatch m;
        if (!std::regex_search(line, m, row))
            continue;
        const std::string name = m[1];
        const std::string expected = fmt::format("{}:{}:{}", name, m[2].str(), m[3].str());
        INFO(name);
        try {
            if (name.ends_with(".xml"))
                PreferencesFile::load(fixture(name), name);
            else
                AuditFile::load(fixture(name), name);
            FAIL("no error");
        } catch (const util::ParseError& e) {
            REQUIRE(e.where());
            CHECK(e.where()->text() == expected);
            CHECK(std::string(e.what()).rfind(expected + ": ", 0) == 0);
        }
        ++checked;
    }
    CHECK(checked == 9);
}

TEST_CASE("audit.csv edge cases: line ends, byte-order marks, blank lines, header only")
{
    SECTION("header only: no settings")
    {
        CHECK(audit_text(k_header).settings().empty());
    }
    SECTION("LF, CR and no final line end")
    {
        std::string lf = k_header + k_logon;
        std::erase(lf, '\r');
        CHECK(audit_text(lf).settings().size() == 1);
        std::string cr = lf;
        std::replace(cr.begin(), cr.end(), '\n', '\r');
        CHECK(audit_text(cr).settings().at(0).line == 2);
        lf.pop_back();
        CHECK(audit_text(lf).settings().at(0).value == 1);
    }
    SECTION("a UTF-8 byte-order mark, blank lines between rows")
    {
        const std::string text = "\xEF\xBB\xBF" + k_header + "\r\n" + k_logon + "\r\n\r\n";
        const auto file = audit_text(text);
        CHECK(file.encoding() == settings::AuditEncoding::utf8_bom);
        REQUIRE(file.settings().size() == 1);
        CHECK(file.settings()[0].line == 3);
        CHECK(util::equal(file.bytes(), util::as_bytes(text)));
    }
    SECTION("header names in any case; non-ASCII text is counted in characters")
    {
        const std::string header = "MACHINE NAME,policy target,Subcategory,Subcategory GUID,Inclusion "
                                   "Setting,Exclusion Setting,Setting Value\n";
        CHECK(audit_text(header + ",System,Überwachung,{0cce9215-69ae-11d9-bed3-505054503030},Erfolg,,1\n")
                  .settings()
                  .at(0)
                  .subcategory == "Überwachung");
        const auto e = audit_error(header + ",System,Überwachung,{0cce9215-69ae-11d9-bed3-505054503030},Erfolg,,x\n");
        CHECK(e.where()->column == 68); // 67 characters before it (68 bytes: 'Ü' is two)
    }
}

TEST_CASE("audit.csv errors name the line and column")
{
    CHECK(audit_error("").where()->text() == "audit.csv:1:1");
    CHECK(audit_error(k_header + ",System,A,{0cce9215-69ae-11d9-bed3-505054503030},S,,1,extra\r\n").where()->text() ==
          "audit.csv:2:55");
    CHECK(
        audit_error(k_header + ",System,A,{0cce9215-69ae-11d9-bed3-505054503030},S,,4294967296\r\n").where()->text() ==
        "audit.csv:2:53");
    CHECK(audit_error(k_header + ",System,A,{0cce9215-69ae-11d9-bed3-505054503030},S,,-1\r\n").where()->column == 53);
    CHECK(audit_error(k_header + ",System,A,,S,,1\r\n").where()->text() == "audit.csv:2:11");
    CHECK(audit_error(k_header + ",,Option:CrashOnAuditFail,,Enabled,,yes\r\n").where()->text() == "audit.csv:2:37");
    CHECK(audit_error(k_header + ",\"System\"x,A,{0cce9215-69ae-11d9-bed3-505054503030},S,,1\r\n").where()->text() ==
          "audit.csv:2:10");
    CHECK(audit_error("Machine Name,Policy Target\r\n").where()->text() == "audit.csv:1:27");
    // A NUL: UTF-16 without its mark.
    const std::string nul = k_header + std::string(",Sys\0tem", 8);
    CHECK(audit_error(nul).where()->text() == "audit.csv:2:5");
    // UTF-16: an odd byte at the end, a lone surrogate, big-endian.
    auto odd = utf16_with_bom(k_header + k_logon);
    odd.push_back(std::byte{0x41});
    CHECK(audit_error(odd).where()->text() == "audit.csv:3:1");
    auto lone = utf16_with_bom(k_header + ",S");
    lone.push_back(std::byte{0x00});
    lone.push_back(std::byte{0xd8});
    CHECK(audit_error(lone).where()->text() == "audit.csv:2:3");
    const util::Bytes big{std::byte{0xfe}, std::byte{0xff}, std::byte{0}, std::byte{'M'}};
    CHECK(audit_error(big).where()->text() == "audit.csv:1:1");
    // A truncated UTF-8 sequence at the end of the file.
    CHECK(audit_error(k_header + ",\xC3").where()->text() == "audit.csv:2:2");
}
