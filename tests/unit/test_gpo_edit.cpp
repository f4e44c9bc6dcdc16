// GPO edits with their bookkeeping, on small backups and SYSVOL folders written
// here by hand; the expected Backup.xml and GPT.INI texts are written out in full.
#include "gpo/edit.hpp"
#include "gpo/gpt_ini.hpp"
#include "gpo/lint.hpp"
#include "gpo/load.hpp"
#include "pol/pol_edit.hpp"
#include "settings/inf_file.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const std::string k_guid = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
const std::string k_backup_id = "{11111111-2222-3333-4444-555555555555}";

// A Default Domain Policy backup as GPMC writes one: declaration and comment on the
// first line, CRLF line endings, an EFS entry in the machine list, no registry.pol.
std::string backup_xml(const std::string& machine_version, const std::string& machine_ext,
                       const std::string& user_ext_element, const std::string& registry_extension)
{
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- Copyright (c) Microsoft Corporation.  All rights "
           "reserved. --><GroupPolicyBackupScheme bkp:version=\"2.0\" bkp:type=\"GroupPolicyBackupTemplate\" "
           "xmlns:bkp=\"http://www.microsoft.com/GroupPolicy/GPOOperations\" "
           "xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations\">\r\n"
           "    <GroupPolicyObject><GroupPolicyCoreSettings><ID><![CDATA[" + k_guid + "]]></ID>"
           "<Domain><![CDATA[corp.example.com]]></Domain><DisplayName><![CDATA[Default Domain Policy]]></DisplayName>"
           "<Options><![CDATA[0]]></Options><UserVersionNumber><![CDATA[0]]></UserVersionNumber>"
           "<MachineVersionNumber><![CDATA[" + machine_version + "]]></MachineVersionNumber>"
           "<MachineExtensionGuids><![CDATA[" + machine_ext + "]]></MachineExtensionGuids>" + user_ext_element +
           "<WMIFilter/></GroupPolicyCoreSettings> \r\n" + registry_extension +
           "        <GroupPolicyExtension bkp:ID=\"{827D319E-6EAC-11D2-A4EA-00C04F79F83A}\" bkp:DescName=\"Security\">\r\n"
           "            <FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf\" "
           "bkp:SourceExpandedPath=\"\\\\dc1.corp.example.com\\sysvol\\corp.example.com\\Policies\\" + k_guid +
           "\\Machine\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf\" "
           "bkp:Location=\"DomainSysvol\\GPO\\Machine\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf\"/>\r\n"
           "        </GroupPolicyExtension>\r\n"
           "    </GroupPolicyObject>\r\n</GroupPolicyBackupScheme>";
}

const std::string k_ext_before = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
                                 "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]";
const std::string k_ext_after = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}"
                                "{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"
                                "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]";

void write_text(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const fs::path& path)
{
    const auto bytes = util::read_file(path);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

fs::path make_backup(const fs::path& root)
{
    const fs::path dir = root / k_backup_id;
    write_text(dir / "Backup.xml", backup_xml("327685", k_ext_before, "<UserExtensionGuids/>", ""));
    write_text(dir / "bkupInfo.xml",
               "<BackupInst xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\"><GPOGuid><![CDATA[" +
                   k_guid + "]]></GPOGuid><GPODomain><![CDATA[corp.example.com]]></GPODomain>"
                   "<GPODomainController><![CDATA[dc1.corp.example.com]]></GPODomainController>"
                   "<BackupTime><![CDATA[2026-11-01T10:00:00]]></BackupTime><ID><![CDATA[" + k_backup_id +
                   "]]></ID><Comment><![CDATA[]]></Comment><GPODisplayName><![CDATA[Default Domain Policy]]>"
                   "</GPODisplayName></BackupInst>");
    write_text(dir / "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf", "[Unicode]\r\nUnicode=yes\r\n");
    return dir;
}


} // namespace

TEST_CASE("a backup edit bumps both halves of the side's version, merges the tool GUID, adds the FSObjectFile")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    const std::string before = read_text(dir / "Backup.xml");
    const std::string inf_before = read_text(dir / "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf");
    const auto g = test::open(dir);
    const auto change = gpo::plan_edit(g, pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1));
    });
    REQUIRE(change.changed);
    CHECK(gpo::commit(g, change, std::nullopt).empty());

    const std::string registry_extension =
        "\r\n        <GroupPolicyExtension bkp:ID=\"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}\" bkp:DescName=\"Registry\">"
        "<FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\" bkp:SourceExpandedPath=\"\\\\dc1.corp.example.com"
        "\\sysvol\\corp.example.com\\Policies\\" + k_guid + "\\Machine\\registry.pol\" "
        "bkp:Location=\"DomainSysvol\\GPO\\Machine\\registry.pol\"/></GroupPolicyExtension>";
    // The new extension element gets its own line after </GroupPolicyCoreSettings>; nothing else moves.
    std::string expected = backup_xml("393222", k_ext_after, "<UserExtensionGuids/>", "");
    const std::string anchor = "</GroupPolicyCoreSettings>";
    expected.insert(expected.find(anchor) + anchor.size(), registry_extension);
    CHECK(read_text(dir / "Backup.xml") == expected);
    CHECK(util::read_file(dir / "DomainSysvol/GPO/Machine/registry.pol") ==
          test::PolBytes().dword("Software\\Policies\\X", "V", 1).bytes());
    CHECK(read_text(dir / "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf") == inf_before);
    CHECK(before != read_text(dir / "Backup.xml"));

    // The result loads, and lint finds nothing wrong with it.
    const gpo::Gpo after = gpo::load_backup(dir);
    CHECK(after.machine.version.backup_number() == 393222u);
    CHECK(gpo::lint(test::open(dir)).empty());
    // No temporary folder is left beside it.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path()))
        ++entries;
    CHECK(entries == 1);
}

TEST_CASE("a second edit of the same side adds no entry and bumps the version once more")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    auto set = [&](std::uint32_t v) {
        const auto g = test::open(dir);
        const auto change = gpo::plan_edit(g, pol::Side::machine, [&](pol::PolFile& f) {
            return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(v));
        });
        gpo::commit(g, change, std::nullopt);
        return change.changed;
    };
    CHECK(set(1));
    const std::string once = read_text(dir / "Backup.xml");
    CHECK_FALSE(set(1)); // no change, no write, no bump
    CHECK(read_text(dir / "Backup.xml") == once);
    CHECK(set(2));
    const std::string twice = read_text(dir / "Backup.xml");
    CHECK(twice.find("<MachineVersionNumber><![CDATA[458759]]>") != std::string::npos); // 7/7
    CHECK(twice.find("FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\"") ==
          twice.rfind("FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\""));
}

TEST_CASE("a user-side edit fills an empty UserExtensionGuids element with a CDATA section")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    const auto g = test::open(dir);
    const auto change = gpo::plan_edit(g, pol::Side::user, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"U", 4, test::le32(1));
    });
    gpo::commit(g, change, std::nullopt);
    const std::string text = read_text(dir / "Backup.xml");
    CHECK(text.find("<UserVersionNumber><![CDATA[65537]]></UserVersionNumber>") != std::string::npos);
    CHECK(text.find("<UserExtensionGuids><![CDATA[[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}"
                    "{D02B1F73-3407-48AE-BA88-E8213C6761F1}]]]></UserExtensionGuids>") != std::string::npos);
    CHECK(text.find("bkp:Location=\"DomainSysvol\\GPO\\User\\registry.pol\"") != std::string::npos);
    CHECK(fs::exists(dir / "DomainSysvol/GPO/User/registry.pol"));
}

TEST_CASE("output writes an edited copy and leaves the original alone")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    const std::string before = read_text(dir / "Backup.xml");
    const auto g = test::open(dir);
    const auto change = gpo::plan_edit(g, pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1));
    });
    const fs::path out = tmp.path() / "staged";
    gpo::commit(g, change, out);
    CHECK(read_text(dir / "Backup.xml") == before);
    CHECK_FALSE(fs::exists(dir / "DomainSysvol/GPO/Machine/registry.pol"));
    CHECK(gpo::load_backup(out).machine.version.backup_number() == 393222u);
    CHECK_THROWS_WITH(gpo::commit(g, change, out), Catch::Contains("already exists"));
}

TEST_CASE("a SYSVOL edit bumps the side's half of GPT.INI Version and keeps the rest of the file")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_guid;
    write_text(dir / "GPT.INI", "[General]\r\nVersion=0"); // a fresh DDP, exactly as Samba writes it
    fs::create_directories(dir / "MACHINE");
    fs::create_directories(dir / "USER");
    const auto g = test::open(dir);
    auto set = [](pol::PolFile& f) { return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1)); };
    const auto change = gpo::plan_edit(g, pol::Side::machine, set);
    gpo::commit(g, change, std::nullopt);
    CHECK(read_text(dir / "GPT.INI") == "[General]\r\nVersion=1");
    // The folder's existing case is kept; a new file is named as the Group Policy editor names it.
    CHECK(fs::exists(dir / "MACHINE/Registry.pol"));
    const auto g2 = test::open(dir);
    const auto user_change = gpo::plan_edit(g2, pol::Side::user, set);
    gpo::commit(g2, user_change, std::nullopt);
    CHECK(read_text(dir / "GPT.INI") == "[General]\r\nVersion=65537");
    bool ad_note = false;
    for (const auto& n : user_change.notes)
        ad_note |= n.kind == gpo::NoteKind::extensions_elsewhere && n.subject == "gPCUserExtensionNames";
    CHECK(ad_note);
}

TEST_CASE("malformed extension lists and versions at their limit refuse the edit")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_backup_id;
    auto set = [](pol::PolFile& f) { return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1)); };
    write_text(dir / "Backup.xml", backup_xml("327685", "[{35378EAC}", "<UserExtensionGuids/>", ""));
    CHECK_THROWS_WITH(gpo::plan_edit(test::open(dir), pol::Side::machine, set),
                      Catch::Contains("malformed extension list"));
    write_text(dir / "Backup.xml", backup_xml("4294901760", k_ext_before, "<UserExtensionGuids/>", ""));
    CHECK_THROWS_WITH(gpo::plan_edit(test::open(dir), pol::Side::machine, set), Catch::Contains("limit"));
}

namespace {

std::vector<std::string> lint_codes(const fs::path& dir)
{
    std::vector<std::string> out;
    for (const auto& f : gpo::lint(test::open(dir)))
        out.push_back(gpo::lint_code_name(f.code));
    std::sort(out.begin(), out.end());
    return out;
}

void write_utf16(const fs::path& path, const std::string& ascii)
{
    std::string bytes = "\xff\xfe";
    for (char c : ascii) {
        bytes += c;
        bytes += '\0';
    }
    write_text(path, bytes);
}

std::string report(const std::string& machine_dir, const std::string& machine_sysvol, const std::string& setting)
{
    return "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<GPO xmlns=\"http://www.microsoft.com/GroupPolicy/Settings\">"
           "<Computer><VersionDirectory>" + machine_dir + "</VersionDirectory><VersionSysvol>" + machine_sysvol +
           "</VersionSysvol><Enabled>true</Enabled><ExtensionData><Extension xmlns:q1=\"http://www.microsoft.com/"
           "GroupPolicy/Settings/Registry\">" + setting + "</Extension><Name>Registry</Name></ExtensionData></Computer>"
           "<User><VersionDirectory>0</VersionDirectory><VersionSysvol>0</VersionSysvol><Enabled>true</Enabled></User></GPO>";
}

const std::string k_setting = "<q1:RegistrySetting><q1:KeyPath>Software\\Policies\\X</q1:KeyPath><q1:AdmSetting>false"
                              "</q1:AdmSetting><q1:Value><q1:Name>V</q1:Name><q1:Number>1</q1:Number></q1:Value>"
                              "</q1:RegistrySetting>";

} // namespace

TEST_CASE("lint: registry settings without the Registry extension, at version 0, and a stale report")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    test::write_bytes(dir / "DomainSysvol/GPO/Machine/registry.pol",
                      test::PolBytes().dword("Software\\Policies\\X", "V", 1).bytes());
    write_text(dir / "Backup.xml",
               backup_xml("0", "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]",
                          "<UserExtensionGuids/>", ""));
    write_utf16(dir / "gpreport.xml", report("5", "5", k_setting));
    CHECK(lint_codes(dir) ==
          std::vector<std::string>{"extension-missing", "fsobject-missing", "gpreport-stale", "version-zero"});
    const auto findings = gpo::lint(test::open(dir));
    CHECK_THAT(findings.front().where.text(), Catch::Contains("Backup.xml:2:")); // the element's line and column
}

TEST_CASE("lint: an unsorted list, a Registry extension without registry.pol, identities, locations")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    write_text(dir / "Backup.xml",
               backup_xml("65537",
                          "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
                          "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]",
                          "<UserExtensionGuids/>",
                          "        <GroupPolicyExtension bkp:ID=\"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}\">"
                          "<FSObjectFile bkp:Path=\"x\" bkp:Location=\"..\\..\\etc\\passwd\"/>"
                          "<FSObjectFile bkp:Path=\"y\" bkp:Location=\"DomainSysvol\\GPO\\Machine\\missing.pol\"/>"
                          "</GroupPolicyExtension>\r\n"));
    const std::string info = read_text(dir / "bkupInfo.xml");
    write_text(dir / "bkupInfo.xml", std::regex_replace(info, std::regex("Default Domain Policy"), "Other Name"));
    CHECK(lint_codes(dir) ==
          std::vector<std::string>{"extension-list", "extension-unused", "identity", "location", "location"});
}

TEST_CASE("lint: a value gpreport.xml lists must be what registry.pol sets")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    write_text(dir / "Backup.xml",
               backup_xml("327685", k_ext_after, "<UserExtensionGuids/>",
                          "<GroupPolicyExtension bkp:ID=\"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}\"><FSObjectFile "
                          "bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\" "
                          "bkp:Location=\"DomainSysvol\\GPO\\Machine\\registry.pol\"/></GroupPolicyExtension>"));
    write_utf16(dir / "gpreport.xml", report("5", "5", k_setting));
    test::write_bytes(dir / "DomainSysvol/GPO/Machine/registry.pol",
                      test::PolBytes().dword("Software\\Policies\\X", "V", 1).bytes());
    CHECK(lint_codes(dir).empty());
    test::write_bytes(dir / "DomainSysvol/GPO/Machine/registry.pol",
                      test::PolBytes().dword("Software\\Policies\\X", "V", 2).bytes());
    CHECK(lint_codes(dir) == std::vector<std::string>{"gpreport-registry"});
    test::write_bytes(dir / "DomainSysvol/GPO/Machine/registry.pol", test::PolBytes().bytes());
    CHECK(lint_codes(dir) == std::vector<std::string>{"gpreport-registry"});
}

TEST_CASE("a backup root: the newest backup of a GPO, --backup-id for another, and a choice between GPOs")
{
    test::TempDir tmp;
    const fs::path root = tmp.path() / "GPO Backups";
    const fs::path newer = make_backup(root); // 2026-11-01
    const fs::path older = root / "{22222222-2222-3333-4444-555555555555}";
    fs::create_directories(older);
    fs::copy(newer, older, fs::copy_options::recursive);
    std::string info = read_text(older / "bkupInfo.xml");
    info = std::regex_replace(info, std::regex("2026-11-01T10:00:00"), "2025-01-01T10:00:00");
    info = std::regex_replace(info, std::regex("\\{11111111-2222-3333-4444-555555555555\\}"),
                              "{22222222-2222-3333-4444-555555555555}");
    write_text(older / "bkupInfo.xml", info);

    CHECK(test::open(root).gpo().backup_id == k_backup_id);
    CHECK(test::select(root, {"Default Domain Policy", ""}).gpo().backup_id == k_backup_id);
    CHECK(test::select(root, {"", "{22222222-2222-3333-4444-555555555555}"}).gpo().backup_id ==
          "{22222222-2222-3333-4444-555555555555}");
    CHECK(test::select(root, {k_guid, ""}).gpo().backup_id == k_backup_id);
    CHECK_THROWS_WITH(test::select(root, {"No Such GPO", ""}), Catch::Contains("matches --gpo \"No Such GPO\""));

    // A second GPO: without a selector the choice is refused, listing both.
    const fs::path other = root / "{33333333-2222-3333-4444-555555555555}";
    fs::create_directories(other);
    write_text(other / "Backup.xml",
               std::regex_replace(backup_xml("0", "", "<UserExtensionGuids/>", ""),
                                  std::regex("Default Domain Policy"), "Other Policy"));
    std::string other_xml = read_text(other / "Backup.xml");
    other_xml = std::regex_replace(other_xml, std::regex("\\{31B2F340-016D-11D2-945F-00C04FB984F9\\}"),
                                   "{44444444-016D-11D2-945F-00C04FB984F9}");
    write_text(other / "Backup.xml", other_xml);
    CHECK_THROWS_WITH(test::open(root), Catch::Contains("2 GPOs found") && Catch::Contains("Other Policy"));
    CHECK(test::select(root, {"other policy", ""}).gpo().display_name == "Other Policy");
    CHECK(gpo::scan(root).backups.size() == 3);
}

TEST_CASE("a symbolic link leading out of a backup is refused, and nothing outside is written")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path() / "root");
    const fs::path outside = tmp.path() / "outside";
    fs::create_directories(outside / "GPO/Machine");
    test::write_bytes(outside / "GPO/Machine/registry.pol", test::PolBytes().bytes());
    fs::remove_all(dir / "DomainSysvol");
    fs::create_directory_symlink(outside, dir / "DomainSysvol");
    CHECK_THROWS_WITH(gpo::load_backup(dir), Catch::Contains("outside"));
    CHECK(util::read_file(outside / "GPO/Machine/registry.pol") == test::PolBytes().bytes());
}

TEST_CASE("an existing registry.pol without its FSObjectFile entry gets one at the next edit")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    test::write_bytes(dir / "DomainSysvol/GPO/Machine/registry.pol", test::PolBytes().dword("K", "A", 1).bytes());
    const auto g = test::open(dir);
    CHECK(g.gpo().registry_entry(pol::Side::machine) == nullptr);
    gpo::commit(g, gpo::plan_edit(g, pol::Side::machine, [](pol::PolFile& f) {
                    return pol::set_value(f, u"K", u"B", 4, test::le32(2));
                }),
                std::nullopt);
    const gpo::Gpo after = gpo::load_backup(dir);
    REQUIRE(after.registry_entry(pol::Side::machine) != nullptr);
    CHECK(after.registry_entry(pol::Side::machine)->path == "%GPO_MACH_FSPATH%\\registry.pol");
}

TEST_CASE("an edit of a disabled side says so")
{
    test::TempDir tmp;
    const fs::path dir = make_backup(tmp.path());
    const std::string xml = read_text(dir / "Backup.xml");
    write_text(dir / "Backup.xml", std::regex_replace(xml, std::regex("<Options><!\\[CDATA\\[0\\]\\]>"), "<Options><![CDATA[2]]>"));
    const auto g = test::open(dir);
    CHECK(g.gpo().side_disabled(pol::Side::machine));
    CHECK_FALSE(g.gpo().side_disabled(pol::Side::user));
    const auto change = gpo::plan_edit(g, pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"K", u"B", 4, test::le32(2));
    });
    CHECK(std::any_of(change.notes.begin(), change.notes.end(), [](const gpo::Note& n) {
        return n.kind == gpo::NoteKind::side_disabled && n.side == pol::Side::machine;
    }));
}

TEST_CASE("GPT.INI: spaces around '=' and the first Version line, as Windows reads it")
{
    const std::string text = "[General]\r\nVersion = 65538\r\nVersion=7\r\ndisplayName = New GPO\r\n";
    const auto ini = gpo::parse_gpt_ini(util::Bytes(reinterpret_cast<const std::byte*>(text.data()),
                                                    reinterpret_cast<const std::byte*>(text.data()) + text.size()),
                                        "GPT.INI");
    CHECK(ini.version == 65538u);
    CHECK(text.substr(ini.version_begin, ini.version_end - ini.version_begin) == "65538");
    CHECK(ini.display_name == "New GPO");
}

TEST_CASE("a new FSObjectFile entry goes after the last one, whose attribute values may hold '>'")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_backup_id;
    const std::string other = "<FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\x>y.txt\" bkp:Location=\"DomainSysvol\\GPO\\Machine\\x>y.txt\"/>";
    write_text(dir / "Backup.xml",
               backup_xml("327685", k_ext_before, "<UserExtensionGuids/>",
                          "        <GroupPolicyExtension bkp:ID=\"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}\" "
                          "bkp:DescName=\"Registry\">\r\n            " + other + "\r\n        </GroupPolicyExtension >\r\n"));
    write_text(dir / "DomainSysvol/GPO/Machine/x>y.txt", "x");
    REQUIRE(test::edit(test::open(dir), pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1));
    }));
    const std::string text = read_text(dir / "Backup.xml");
    // The new entry follows the old one on its own line, inside the extension element.
    CHECK(text.find(other + "\r\n            <FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\"") !=
          std::string::npos);
    const auto g = gpo::load_backup(dir);
    CHECK(g.files.size() == 3); // with the Security extension's GptTmpl.inf
    CHECK(g.registry_entry(pol::Side::machine) != nullptr);
}

TEST_CASE("a new security template in a backup: Security and the file extension's folders are listed as GPMC does")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_backup_id;
    const std::string prefix = "\\\\dc1.corp.example.com\\sysvol\\corp.example.com\\Policies\\" + k_guid;
    const std::string head = "<?xml version=\"1.0\" encoding=\"utf-8\"?><GroupPolicyBackupScheme bkp:version=\"2.0\" "
                             "xmlns:bkp=\"http://www.microsoft.com/GroupPolicy/GPOOperations\" "
                             "xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations\">\n"
                             "    <GroupPolicyObject><GroupPolicyCoreSettings><ID><![CDATA[" + k_guid + "]]></ID>"
                             "<Domain><![CDATA[corp.example.com]]></Domain><UserVersionNumber><![CDATA[0]]></UserVersionNumber>"
                             "<MachineVersionNumber><![CDATA[65537]]></MachineVersionNumber><MachineExtensionGuids/>"
                             "<UserExtensionGuids/>"
                             "</GroupPolicyCoreSettings>";
    const std::string reg = "\n        <GroupPolicyExtension bkp:ID=\"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}\" "
                            "bkp:DescName=\"Registry\"><FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\" "
                            "bkp:SourceExpandedPath=\"" + prefix + "\\Machine\\registry.pol\" "
                            "bkp:Location=\"DomainSysvol\\GPO\\Machine\\registry.pol\"/></GroupPolicyExtension>";
    const std::string tail = "\n    </GroupPolicyObject>\n</GroupPolicyBackupScheme>";
    const auto dir_entry = [&](const std::string& rel) {
        return "<FSObjectDir bkp:Path=\"%GPO_MACH_FSPATH%\\" + rel + "\" bkp:SourceExpandedPath=\"" + prefix +
               "\\Machine\\" + rel + "\" bkp:Location=\"DomainSysvol\\GPO\\Machine\\" + rel + "\"/>";
    };
    const std::string security = "<GroupPolicyExtension bkp:ID=\"{827D319E-6EAC-11D2-A4EA-00C04F79F83A}\" "
                                 "bkp:DescName=\"Security\">\n            <FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%"
                                 "\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf\" bkp:SourceExpandedPath=\"" + prefix +
                                 "\\Machine\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf\" bkp:ReEvaluateFunction="
                                 "\"SecurityValidateSettings\" bkp:Location=\"DomainSysvol\\GPO\\Machine\\microsoft\\"
                                 "windows nt\\SecEdit\\GptTmpl.inf\"/>\n        </GroupPolicyExtension>";
    const auto set_ticket_age = [](settings::InfFile& f) { return f.set("Kerberos Policy", "MaxTicketAge", "8"); };
    const auto edit = [&](const std::string& before) {
        fs::remove_all(dir);
        write_text(dir / "Backup.xml", before);
        write_text(dir / "DomainSysvol/GPO/Machine/registry.pol", "PReg\x01");
        write_text(dir / "DomainSysvol/GPO/Machine/microsoft/other.txt", "x");
        const gpo::Target target = test::open(dir);
        gpo::commit(target, gpo::plan_template_edit(target, set_ticket_age), std::nullopt);
        CHECK(fs::is_regular_file(dir / "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf"));
        return read_text(dir / "Backup.xml");
    };
    const std::string version_after = "<MachineVersionNumber><![CDATA[131074]]></MachineVersionNumber>"
                                      "<MachineExtensionGuids><![CDATA[[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
                                      "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]]]></MachineExtensionGuids>";
    const auto bookkept = [&](std::string text) {
        const auto at = text.find("<MachineVersionNumber>");
        const auto end = text.find("<UserExtensionGuids/>");
        REQUIRE(at != std::string::npos);
        REQUIRE(end != std::string::npos);
        CHECK(text.substr(at, end - at) == version_after);
        return text.replace(at, end - at, "<MachineVersionNumber><![CDATA[65537]]></MachineVersionNumber>"
                                          "<MachineExtensionGuids/>");
    };

    SECTION("no file extension yet: one is made for the folders, after Security")
    {
        CHECK(bookkept(edit(head + reg + tail)) ==
              head + reg + "\n        " + security + "\n        <GroupPolicyExtension bkp:ID=\"{F15C46CD-82A0-4C2D-"
              "A210-5D0D3182A418}\" bkp:DescName=\"Unknown Extension\">\n            " + dir_entry("microsoft") +
              "\n            " + dir_entry("microsoft\\windows nt") + "\n            " +
              dir_entry("microsoft\\windows nt\\SecEdit") + "\n        </GroupPolicyExtension>" + tail);
    }
    SECTION("a file extension listing one folder: Security before it, the new folders in path order")
    {
        const std::string files_head = "\n    <GroupPolicyExtension bkp:ID=\"{F15C46CD-82A0-4C2D-A210-5D0D3182A418}\" "
                                       "bkp:DescName=\"Unknown Extension\">";
        const std::string later = dir_entry("Scripts");
        CHECK(bookkept(edit(head + reg + files_head + dir_entry("microsoft") + later + "</GroupPolicyExtension>" +
                            tail)) ==
              head + reg + "\n        " + security + files_head + dir_entry("microsoft") +
                  dir_entry("microsoft\\windows nt") + dir_entry("microsoft\\windows nt\\SecEdit") + later +
                  "</GroupPolicyExtension>" + tail);
    }
    const auto g = gpo::load_backup(dir);
    CHECK(std::count_if(g.files.begin(), g.files.end(), [](const gpo::FileEntry& f) {
              return f.extension_id == "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}";
          }) == 1);
}
