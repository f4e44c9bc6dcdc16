// The outside review's smaller findings, each kept as a test: selectors, realm
// validation messages, "no change" where nothing changes, positions on every lint
// finding, and extension lists named in what gpokit prints.
#include "cli/app.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/lint.hpp"
#include "kerberos/realm.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const char* k_backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";

struct Run {
    int status;
    std::string out, err;
};

Run run(const std::vector<std::string>& args)
{
    std::ostringstream out, err;
    cli::Context ctx{out, err};
    const int status = cli::run(args, ctx);
    return {status, out.str(), err.str()};
}

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
