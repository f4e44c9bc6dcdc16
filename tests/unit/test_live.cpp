// The parts of the live module that need no domain controller: live:// addresses,
// snapshot metadata, and the push plan's version and extension arithmetic on
// snapshot folders written here by hand. (tests/live/ runs the rest against a real
// Samba AD DC.)
#include "gpo/load.hpp"
#include "gpo/snapshot.hpp"
#include "live/directory.hpp"
#include "live/fetch_all.hpp"
#include "live/push.hpp"
#include "live/url.hpp"
#include "pol/pol_edit.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "render/notes.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const std::string k_ddp = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
const std::string k_dn = "CN=" + k_ddp + ",CN=Policies,CN=System,DC=corp,DC=example,DC=com";

void write_text(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string text_of(const util::Bytes& b)
{
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

util::Bytes bytes_of(const std::string& s)
{
    const auto v = util::as_bytes(s);
    return util::Bytes(v.begin(), v.end());
}

gpo::Snapshot sample_snapshot(const std::string& version, const std::string& machine_ext)
{
    gpo::Snapshot s;
    s.object.source = "live://dc1.corp.example.com/" + k_ddp;
    s.object.host = "dc1.corp.example.com";
    s.object.dn = k_dn;
    s.object.attributes = {{"displayName", "Default Domain Policy"}, {"versionNumber", version}, {"flags", "0"}};
    if (!machine_ext.empty())
        s.object.attributes.emplace_back("gPCMachineExtensionNames", machine_ext);
    s.domain = "corp.example.com";
    s.guid = k_ddp;
    s.gpo_path = "corp.example.com/Policies/" + k_ddp;
    s.files = {{"GPT.INI", 20}};
    return s;
}

// A snapshot folder as `live fetch` writes it.
fs::path write_snapshot(const fs::path& dir, const gpo::Snapshot& s, const std::string& gpt_ini)
{
    write_text(dir / s.gpo_path / "GPT.INI", gpt_ini);
    fs::create_directories(dir / s.gpo_path / "MACHINE");
    fs::create_directories(dir / s.gpo_path / "USER");
    test::write_bytes(dir / gpo::k_snapshot_file, gpo::snapshot_json(s));
    return dir;
}

live::LiveGpo live_gpo(const gpo::Snapshot& s)
{
    live::LiveGpo g;
    g.guid = s.guid;
    g.domain = s.domain;
    g.share = "sysvol";
    g.gpo_path = s.gpo_path;
    g.object = s.object;
    return g;
}

util::Bytes one_value_pol()
{
    test::PolBytes p;
    p.dword("Software\\Policies\\Contoso", "Enabled", 1);
    return p.bytes();
}

} // namespace

TEST_CASE("live addresses name the Default Domain Policy, a GUID or a display name", "[live]")
{
    auto u = live::parse_live_url("live://dc1.corp.example.com");
    CHECK(u.host == "dc1.corp.example.com");
    CHECK(u.guid == k_ddp);
    CHECK_FALSE(u.explicit_gpo);
    CHECK(live::parse_live_url("live://dc1/").guid == k_ddp);

    u = live::parse_live_url("LIVE://10.0.0.5/{6ac1786c-016f-11d2-945f-00c04fb984f9}");
    CHECK(u.host == "10.0.0.5");
    CHECK(u.guid == "{6AC1786C-016F-11D2-945F-00C04FB984F9}");
    CHECK(u.explicit_gpo);
    CHECK(live::parse_live_url("live://dc1/6AC1786C-016F-11D2-945F-00C04FB984F9").guid ==
          "{6AC1786C-016F-11D2-945F-00C04FB984F9}");

    u = live::parse_live_url("live://dc1/?name=Kerberos%20Realms%20%28staged%29");
    CHECK(u.name == "Kerberos Realms (staged)");
    CHECK(live::parse_live_url("live://dc1/?name=C++ Policy").name == "C++ Policy"); // '+' is itself
    CHECK(u.guid.empty());
    CHECK(live::parse_live_url("live://dc1?name=X").name == "X");
}

TEST_CASE("malformed live addresses are refused with the reason", "[live]")
{
    CHECK_FALSE(live::is_live_url("/srv/live/backup"));
    CHECK_THROWS_WITH(live::parse_live_url("live://"), Catch::Contains("no domain controller named"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1:389"), Catch::Contains("not a host name"));
    CHECK_THROWS_WITH(live::parse_live_url("live://user@dc1"), Catch::Contains("not a host name"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1/{31B2F340}"), Catch::Contains("not a GPO GUID"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1/../../etc"), Catch::Contains("not a GPO GUID"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1/?name="), Catch::Contains("?name= is empty"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1/?name=a%2"), Catch::Contains("bad percent escape"));
    CHECK_THROWS_WITH(live::parse_live_url("live://dc1/?guid=x"), Catch::Contains("the only query is ?name="));
}

TEST_CASE("LDAP filter values are escaped (RFC 4515)", "[live]")
{
    CHECK(live::filter_escape("Default Domain Policy") == "Default Domain Policy");
    CHECK(live::filter_escape("a*(b)\\c") == "a\\2a\\28b\\29\\5cc");
    CHECK(live::filter_escape(std::string("x\0y", 3)) == "x\\00y");
}

TEST_CASE("snapshot metadata is fixed-order JSON that reads back the same", "[live][snapshot]")
{
    const auto s = sample_snapshot("3", "");
    const std::string json = text_of(gpo::snapshot_json(s));
    CHECK(json == "{\n"
                  "  \"schema\": \"gpokit-snapshot/1\",\n"
                  "  \"format\": \"gpokit-live-snapshot\",\n"
                  "  \"format_version\": 1,\n"
                  "  \"source\": \"live://dc1.corp.example.com/" + k_ddp + "\",\n"
                  "  \"host\": \"dc1.corp.example.com\",\n"
                  "  \"domain\": \"corp.example.com\",\n"
                  "  \"guid\": \"" + k_ddp + "\",\n"
                  "  \"gpo_path\": \"corp.example.com/Policies/" + k_ddp + "\",\n"
                  "  \"group_policy_container\": {\n"
                  "    \"dn\": \"" + k_dn + "\",\n"
                  "    \"attributes\": {\n"
                  "      \"displayName\": \"Default Domain Policy\",\n"
                  "      \"versionNumber\": \"3\",\n"
                  "      \"flags\": \"0\"\n"
                  "    }\n"
                  "  },\n"
                  "  \"files\": [\n"
                  "    {\n"
                  "      \"path\": \"GPT.INI\",\n"
                  "      \"size\": 20\n"
                  "    }\n"
                  "  ]\n"
                  "}\n");
    const auto back = gpo::parse_snapshot(gpo::snapshot_json(s), "m.json");
    CHECK(back.object.attributes == s.object.attributes);
    CHECK(back.gpo_path == s.gpo_path);
    CHECK(back.files.size() == 1);
    CHECK(back.object.version_number() == 3u);
    CHECK_FALSE(back.object.gpt_version);

    auto with_gpt = s;
    with_gpt.object.gpt_version = 65537;
    const std::string text = text_of(gpo::snapshot_json(with_gpt));
    CHECK(text.find("\"gpo_path\": \"corp.example.com/Policies/" + k_ddp + "\",\n  \"gpt_ini_version\": 65537,\n") !=
          std::string::npos);
    CHECK(gpo::parse_snapshot(gpo::snapshot_json(with_gpt), "m.json").object.gpt_version == 65537u);
}

TEST_CASE("broken snapshot metadata names the file and the problem", "[live][snapshot]")
{
    CHECK_THROWS_WITH(gpo::parse_snapshot(bytes_of("{\"format\": "), "m.json"), Catch::StartsWith("m.json:"));
    CHECK_THROWS_WITH(gpo::parse_snapshot(bytes_of("{\"format\": \"other\"}"), "m.json"),
                      Catch::Contains("not a gpokit snapshot"));
    CHECK_THROWS_WITH(gpo::parse_snapshot(bytes_of("{\"format\": \"gpokit-live-snapshot\", \"format_version\": 2}"),
                                          "m.json"),
                      Catch::Contains("unsupported \"format_version\""));
    std::string json = text_of(gpo::snapshot_json(sample_snapshot("1", "")));
    json.replace(json.find("\"host\": \"dc1.corp.example.com\""), 30, "\"host\": 7");
    CHECK_THROWS_WITH(gpo::parse_snapshot(bytes_of(json), "m.json"), Catch::Contains("\"host\" is missing or not a string"));
}

TEST_CASE("a snapshot reads as a SYSVOL GPO with the directory's extension lists and version", "[live][snapshot]")
{
    test::TempDir tmp;
    const std::string ext = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    write_snapshot(tmp.path() / "snap", sample_snapshot("65537", ext), "[General]\r\nVersion=65537");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();
    CHECK(g.guid == k_ddp);
    CHECK(g.display_name == "Default Domain Policy");
    CHECK(g.domain == "corp.example.com");
    CHECK(g.machine.version == gpo::SideVersion{1, 1}); // directory (versionNumber) and SYSVOL (GPT.INI)
    CHECK(g.user.version == gpo::SideVersion{1, 1});
    CHECK(g.machine.extensions == ext);
    CHECK(g.user.extensions == ""); // absent attribute: an empty list
    REQUIRE(g.directory);
    CHECK(g.directory->dn == k_dn);
    CHECK(g.directory->version_number() == 65537u);
    CHECK_THROWS_WITH(test::select(tmp.path() / "snap", {"Other GPO", ""}), Catch::Contains("does not match --gpo"));
}

TEST_CASE("the GPO folder inside a snapshot reads as the snapshot", "[live][snapshot]")
{
    test::TempDir tmp;
    const auto s = sample_snapshot("4", "");
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=4");
    const auto inner_target = test::open(tmp.path() / "snap" / s.gpo_path);
    CHECK(inner_target.kind() == gpo::SourceKind::snapshot);
    const gpo::Gpo& inner = inner_target.gpo();
    REQUIRE(inner.directory);
    CHECK(inner.directory->version_number() == 4u);
    // A SYSVOL folder elsewhere is a plain SYSVOL folder.
    write_text(tmp.path() / "plain" / "a" / "b" / "{X}" / "GPT.INI", "[General]\r\nVersion=4");
    CHECK(test::open(tmp.path() / "plain" / "a" / "b" / "{X}").kind() == gpo::SourceKind::sysvol);
}

TEST_CASE("a snapshot's gpo_path cannot leave the snapshot", "[live][snapshot]")
{
    test::TempDir tmp;
    for (const std::string bad : {"../outside", "/etc", "corp/../../outside", "C:\\Windows"}) {
        auto s = sample_snapshot("1", "");
        write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=1");
        s.gpo_path = bad;
        test::write_bytes(tmp.path() / "snap" / gpo::k_snapshot_file, gpo::snapshot_json(s));
        CHECK_THROWS_WITH(test::open(tmp.path() / "snap"), Catch::Contains("\"gpo_path\""));
        fs::remove_all(tmp.path() / "snap");
    }
}

TEST_CASE("a push bumps the pushed side's half from the higher of GPT.INI and versionNumber", "[live][push]")
{
    test::TempDir tmp;
    // GPT.INI says user 2 / machine 3; the directory says user 4 / machine 1.
    const auto s = sample_snapshot(std::to_string((4u << 16) | 1u), "");
    write_snapshot(tmp.path() / "snap", s, "[General]\r\ndisplayName=x\r\nVersion=131075\r\n");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();

    auto plan = live::plan_push(live_gpo(s), g, {{pol::Side::machine, one_value_pol()}});
    CHECK(plan.version_after == ((4u << 16) | 4u));
    CHECK(plan.directory_version == ((4u << 16) | 1u));
    CHECK(plan.gpt_version_before == 131075u);
    CHECK(text_of(plan.gpt_after) == "[General]\r\ndisplayName=x\r\nVersion=262148\r\n");
    REQUIRE(plan.writes.size() == 1);
    CHECK(plan.writes[0].path == s.gpo_path + "/MACHINE/Registry.pol");
    CHECK(plan.writes[0].new_folders.empty());
    CHECK_FALSE(plan.writes[0].before);
    CHECK(plan.notes.size() == 1); // the two versions disagree
    // An absent extension list gets the Registry bracket with the machine tool.
    CHECK(plan.machine_extensions_after ==
          "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]");
    CHECK_FALSE(plan.user_extensions_after);

    plan = live::plan_push(live_gpo(s), g, {{pol::Side::user, one_value_pol()}});
    CHECK(plan.version_after == ((5u << 16) | 3u));
    CHECK(plan.user_extensions_after ==
          "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]");
    CHECK(plan.writes[0].path == s.gpo_path + "/USER/Registry.pol");
}

TEST_CASE("a push plan keeps an extension list that already names the Registry tool", "[live][push]")
{
    test::TempDir tmp;
    const std::string ext = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    const auto s = sample_snapshot("1", ext);
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=1");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();
    const auto plan = live::plan_push(live_gpo(s), g, {{pol::Side::machine, one_value_pol()}});
    CHECK_FALSE(plan.machine_extensions_after);
    CHECK(plan.version_after == 2u);
    CHECK(text_of(plan.gpt_after) == "[General]\r\nVersion=2");
    CHECK(plan.notes.empty());
    // Emptying a side (a header-only file) leaves the extension list alone.
    const auto empty = live::plan_push(live_gpo(s), g, {{pol::Side::machine, pol::PolFile().serialize()}});
    CHECK_FALSE(empty.machine_extensions_after);
}

TEST_CASE("a push plan notes a side the GPO has disabled", "[live][push]")
{
    test::TempDir tmp;
    auto s = sample_snapshot("0", "");
    s.object.attributes[2].second = "2"; // flags: computer side disabled
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=0");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();
    const auto machine = live::plan_push(live_gpo(s), g, {{pol::Side::machine, one_value_pol()}});
    REQUIRE(machine.notes.size() == 1);
    CHECK(render::note_text(machine.notes[0]) == "the computer side of this GPO is disabled (flags=2): clients "
                                                 "ignore its settings until it is enabled");
    CHECK(live::plan_push(live_gpo(s), g, {{pol::Side::user, one_value_pol()}}).notes.empty());
}

TEST_CASE("a push refuses a side whose version is at its limit", "[live][push]")
{
    test::TempDir tmp;
    const auto s = sample_snapshot("65535", "");
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=65535");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();
    CHECK_THROWS_WITH(live::plan_push(live_gpo(s), g, {{pol::Side::machine, one_value_pol()}}),
                      Catch::Contains("the computer version is 65535, at its limit"));
    CHECK(live::plan_push(live_gpo(s), g, {{pol::Side::user, one_value_pol()}}).version_after == 65536u + 65535u);
}

TEST_CASE("a push plan carries a security template: its folders, the Security extension, one bump", "[live][push]")
{
    test::TempDir tmp;
    const std::string registry_ext = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    const auto s = sample_snapshot("3", registry_ext);
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=3\r\n");
    const gpo::Gpo g = test::open(tmp.path() / "snap").gpo();
    const util::Bytes inf = bytes_of("[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 8\r\n"
                                     "[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n");

    live::SideSource machine{pol::Side::machine, std::nullopt};
    machine.security_template = inf;
    auto plan = live::plan_push(live_gpo(s), g, {machine});
    REQUIRE(plan.writes.size() == 1);
    const std::string folder = s.gpo_path + "/MACHINE";
    CHECK(plan.writes[0].path == folder + "/Microsoft/Windows NT/SecEdit/GptTmpl.inf");
    CHECK(plan.writes[0].new_folders == std::vector<std::string>{folder + "/Microsoft", folder + "/Microsoft/Windows NT",
                                                                 folder + "/Microsoft/Windows NT/SecEdit"});
    CHECK_FALSE(plan.writes[0].before);
    CHECK(plan.writes[0].after == inf);
    CHECK(plan.version_after == 4u);
    // The Security bracket sorts after the Registry one.
    CHECK(plan.machine_extensions_after ==
          registry_ext + "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]");

    // With Registry.pol on the same side: both files, both extensions, still one bump.
    machine.registry = one_value_pol();
    plan = live::plan_push(live_gpo(s), g, {machine});
    REQUIRE(plan.writes.size() == 2);
    CHECK(plan.writes[0].path == folder + "/Registry.pol");
    CHECK(plan.writes[1].path == folder + "/Microsoft/Windows NT/SecEdit/GptTmpl.inf");
    CHECK(plan.version_after == 4u);
    CHECK(plan.machine_extensions_after ==
          registry_ext + "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]");

    // A template that holds no settings needs no extension; one already there is kept.
    machine.registry.reset();
    machine.security_template = bytes_of("[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n");
    CHECK_FALSE(live::plan_push(live_gpo(s), g, {machine}).machine_extensions_after);

    // The folders that exist are not created again, and the live file is what the push replaces.
    fs::create_directories(g.machine.folder / "Microsoft" / "Windows NT" / "SecEdit");
    test::write_bytes(g.machine.folder / "Microsoft" / "Windows NT" / "SecEdit" / "GptTmpl.inf", inf);
    const gpo::Gpo with_template = test::open(tmp.path() / "snap").gpo();
    plan = live::plan_push(live_gpo(s), with_template, {machine});
    CHECK(plan.writes[0].new_folders.empty());
    CHECK(plan.writes[0].before == inf);

    // A malformed template is refused before anything is planned.
    machine.security_template = bytes_of("[Kerberos Policy\r\n");
    CHECK_THROWS_AS(live::plan_push(live_gpo(s), g, {machine}), util::Error);
}

TEST_CASE("an edit of a snapshot records the extension list it changes, for the push and for reading", "[live][snapshot]")
{
    test::TempDir tmp;
    const auto s = sample_snapshot("65537", "");
    write_snapshot(tmp.path() / "snap", s, "[General]\r\nVersion=65537");
    const auto before = test::open(tmp.path() / "snap");
    REQUIRE(before.root() == tmp.path() / "snap");
    REQUIRE(test::edit(before, pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1));
    }));
    const std::string registry = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    const auto meta = gpo::parse_snapshot(util::read_file(tmp.path() / "snap" / gpo::k_snapshot_file), "m.json");
    REQUIRE(meta.edited.size() == 1);
    CHECK(meta.edited[0] == std::pair<std::string, std::string>{"gPCMachineExtensionNames", registry});
    // What was fetched stays as it was (a push checks the live GPO against it).
    CHECK(meta.object.attribute("gPCMachineExtensionNames") == nullptr);
    CHECK(meta.object.version_number() == 65537u);
    const auto after = test::open(tmp.path() / "snap");
    CHECK(after.gpo().machine.extensions == registry);
    CHECK(after.gpo().machine.version.sysvol == 2);
    CHECK(after.gpo().user.extensions == "");
    // Opened through its GPO folder, the snapshot is edited as a whole too.
    REQUIRE(test::edit(test::open(tmp.path() / "snap" / s.gpo_path), pol::Side::user, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\X", u"U", 4, test::le32(1));
    }));
    CHECK(test::open(tmp.path() / "snap").gpo().user.extensions ==
          "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]");
}

TEST_CASE("gPLink values: each [LDAP://...;OPTIONS] a GPO with its enabled and enforced bits")
{
    const auto links = live::parse_gplink(
        "OU=Servers,DC=corp,DC=example,DC=com",
        "[LDAP://cn={31B2F340-016D-11D2-945F-00C04FB984F9},cn=policies,cn=system,DC=corp,DC=example,DC=com;0]"
        "[LDAP://CN={6AC1786C-016F-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com;2]"
        "[LDAP://cn={0A1B2C3D-1111-4222-8333-444455556666},cn=policies,cn=system,DC=corp,DC=example,DC=com;1]"
        "[not a link][LDAP://cn={broken");
    REQUIRE(links.size() == 3);
    CHECK(links[0].first == "{31B2F340-016D-11D2-945F-00C04FB984F9}");
    CHECK((links[0].second.enabled && !links[0].second.enforced));
    CHECK((links[1].second.enabled && links[1].second.enforced));
    CHECK((!links[2].second.enabled && !links[2].second.enforced));
    CHECK(links[2].second.container == "OU=Servers,DC=corp,DC=example,DC=com");
}
