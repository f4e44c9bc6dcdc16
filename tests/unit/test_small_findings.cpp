// The outside review's smaller findings, each kept as a test: selectors, realm
// validation messages, "no change" where nothing changes, positions on every lint
// finding, and extension lists named in what gpokit prints.
#include "cli/app.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/gpt_ini.hpp"
#include "gpo/lint.hpp"
#include "gpo/load.hpp"
#include "kerberos/realm.hpp"
#include "support/cli_run.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const char* k_backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";

using test::run;

} // namespace

TEST_CASE("selectors: display names in any case, GUIDs with or without braces, a renamed folder by its backup ID")
{
    test::TempDir tmp;
    test::writable_copy(test::fixtures_dir() / "ddp/backup" / k_backup_id, tmp.path() / "root" / "renamed-folder");
    const auto root = tmp.path() / "root";
    CHECK(test::select(root, {"default domain policy", ""}).gpo().guid == "{31B2F340-016D-11D2-945F-00C04FB984F9}");
    CHECK(test::select(root, {"31b2f340-016d-11d2-945f-00c04fb984f9", ""}).gpo().backup_id == "renamed-folder");
    CHECK(test::select(root, {k_backup_id, ""}).gpo().backup_id == "renamed-folder");
    CHECK(test::select(root, {"", k_backup_id}).gpo().backup_id == "renamed-folder");
    CHECK_THROWS_WITH(test::select(root, {"Nope", ""}), Catch::Contains("no GPO backup matches --gpo \"Nope\""));
}

TEST_CASE("realm and KDC validation says what is wrong")
{
    CHECK_THROWS_WITH(kerberos::validate_realm(".ZS.NET"), Catch::Contains("starts with a dot"));
    CHECK_THROWS_WITH(kerberos::validate_realm("<k>kdc.zs.net</k>"),
                      Catch::Contains("not a valid realm name") && !Catch::Contains("upper case"));
    CHECK_THROWS_WITH(kerberos::validate_kdc("999.1.1.1"), Catch::Contains("looks like an IPv4 address"));
    CHECK_NOTHROW(kerberos::validate_kdc("10.0.0.5"));
    CHECK_THROWS_WITH(kerberos::validate_flags(0x1000), Catch::Contains("bits no realm flag has"));
    CHECK_NOTHROW(kerberos::validate_flags(0x8F));
    const auto bad = run({"kerberos", "add-realm", "x.pol", "--realm", "ZS.NET", "--flags-hex", "0x100"});
    CHECK(bad.status == 2);
}

TEST_CASE("no change is said: remove-realm of an absent realm, a repeated --verbose add")
{
    test::TempDir tmp;
    const auto file = (tmp.path() / "registry.pol").string();
    test::write_bytes(file, test::PolBytes().bytes());
    const auto absent = run({"kerberos", "remove-realm", file, "--realm", "NOT.THERE"});
    CHECK(absent.status == 0);
    CHECK_THAT(absent.err, Catch::Contains("no change") && Catch::Contains("NOT.THERE"));
    const std::vector<std::string> add{"kerberos", "add-realm", file, "--realm", "ZS.NET", "--kdc", "kdc.zs.net", "--verbose"};
    CHECK(run(add).status == 0);
    const auto again = run(add);
    CHECK(again.status == 0);
    CHECK_THAT(again.out, Catch::Contains("no change"));
}

TEST_CASE("every lint finding has a position: file:line:column or file:offset")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_backup_id;
    test::writable_copy(test::fixtures_dir() / "ddp/staged" / k_backup_id, dir);
    // A stale report and a realm warning (the realm's domain equal to the GPO's).
    auto report = std::string("\xff\xfe");
    for (const char c : std::string("<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<GPO><Computer><VersionDirectory>1"
                                    "</VersionDirectory><VersionSysvol>1</VersionSysvol></Computer></GPO>")) {
        report += c;
        report += '\0';
    }
    test::write_bytes(dir / "gpreport.xml", util::as_bytes(report));
    REQUIRE(run({"kerberos", "add-realm", dir.string(), "--realm", "CORP.EXAMPLE.COM"}).status == 0);
    const auto findings = gpo::lint(test::open(dir), {kerberos::lint_check(policy::Catalogue::builtin())});
    REQUIRE(findings.size() >= 2);
    for (const auto& f : findings) {
        INFO(f.where.text() << ": " << f.message);
        CHECK_FALSE(f.where.file.empty());
        CHECK((f.where.offset.has_value() || f.where.line != 0));
    }
}

TEST_CASE("extension lists are named: which pair a change adds or removes")
{
    const std::string registry = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    const std::string efs = "[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]";
    const auto changes = gpo::pair_changes(efs, registry);
    REQUIRE(changes.added.size() == 1);
    CHECK(changes.added[0] == "{35378EAC-683F-11D2-A89A-00C04FBBCFA2} (Registry) with tool "
                              "{D02B1F72-3407-48AE-BA88-E8213C6761F1} (Administrative Templates (machine tool))");
    REQUIRE(changes.removed.size() == 1);
    CHECK_THAT(changes.removed[0], Catch::StartsWith("{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A} (EFS Recovery)"));
}

TEST_CASE("versions: too large is \"out of range\", not a number is said so; a second Version line is a lint finding")
{
    const auto ini = [](const std::string& text) {
        return gpo::parse_gpt_ini(util::Bytes(util::as_bytes(text).begin(), util::as_bytes(text).end()), "GPT.INI");
    };
    CHECK_THROWS_WITH(ini("[General]\r\nVersion=4294967296\r\n"),
                      Catch::Contains("GPT.INI:2:9") && Catch::Contains("out of range"));
    CHECK_THROWS_WITH(ini("[General]\r\nVersion=12ab\r\n"), Catch::Contains("is not a number"));
    CHECK(ini("[General]\r\nVersion=7\r\nVersion=9\r\n").version == 7);

    test::TempDir tmp;
    const fs::path dir = tmp.path() / "{31B2F340-016D-11D2-945F-00C04FB984F9}";
    test::writable_copy(test::fixtures_dir() / "gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}", dir);
    const fs::path gpt = dir / "GPT.INI";
    const auto before = util::read_file(gpt);
    std::string text(reinterpret_cast<const char*>(before.data()), before.size());
    text += "Version=99\r\n";
    test::write_bytes(gpt, util::as_bytes(text));
    const auto findings = gpo::lint(test::open(dir), {});
    const auto second = std::find_if(findings.begin(), findings.end(),
                                     [](const gpo::LintFinding& f) { return f.code == gpo::LintCode::gpt_ini; });
    REQUIRE(second != findings.end());
    CHECK_THAT(second->message, Catch::Contains("second Version line"));
    CHECK(second->where.line == static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
}

TEST_CASE("manifest.xml one folder above a backup: its own entry is read, its siblings' are not stale")
{
    test::TempDir tmp;
    const fs::path set = tmp.path() / "GPO Backups" / "GPOer";
    test::writable_copy(test::fixtures_dir() / "ddp/backup" / k_backup_id, set / k_backup_id);
    const std::string manifest =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Backups>"
        "<BackupInst><GPOGuid>{31B2F340-016D-11D2-945F-00C04FB984F9}</GPOGuid><GPODomain>corp.example.com</GPODomain>"
        "<GPODisplayName>Default Domain Policy</GPODisplayName><ID>" + std::string(k_backup_id) + "</ID>"
        "<BackupTime>2024-01-01T00:00:00</BackupTime></BackupInst>"
        "<BackupInst><GPOGuid>{11111111-2222-3333-4444-555555555555}</GPOGuid><GPODomain>corp.example.com</GPODomain>"
        "<GPODisplayName>Sibling</GPODisplayName><ID>{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}</ID>"
        "<BackupTime>2024-01-01T00:00:00</BackupTime></BackupInst></Backups>\n";
    test::write_bytes(set / "manifest.xml", util::as_bytes(manifest));

    const auto one = gpo::scan(set / k_backup_id);
    REQUIRE(one.backups.size() == 1);
    REQUIRE(one.manifest.size() == 1);
    CHECK(one.manifest[0].id == k_backup_id);
    CHECK(one.manifest[0].folder_exists);
    const auto all = gpo::scan(set);
    CHECK(all.manifest.size() == 2); // from the set's own folder, the sibling's entry is stale
    CHECK(std::count_if(all.manifest.begin(), all.manifest.end(), [](const auto& e) { return !e.folder_exists; }) == 1);

    // One level too deep: the error (and gpo list's note) says where to point.
    fs::create_directories(set / "empty");
    CHECK_THROWS_WITH(test::open(set / "empty"), Catch::Contains("manifest.xml: point at"));
    const auto listed = run({"gpo", "list", (set / "empty").string()});
    CHECK(listed.status == 0);
    CHECK_THAT(listed.err, Catch::Contains("the folder above holds a manifest.xml: point at") &&
                               Catch::Contains("GPOer"));
}
