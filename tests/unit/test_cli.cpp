// The command line in process: exit statuses, help, and the edit contract.
#include "cli/app.hpp"
#include "pol/pol_file.hpp"
#include "support/cli_run.hpp"
#include "support/pol_bytes.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;

namespace {

using test::run;

} // namespace

TEST_CASE("help and version exit 0 - usage errors exit 2")
{
    CHECK(run({"--help"}).status == 0);
    const auto help = run({"pol", "set", "--help"});
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage: gpokit pol set") && Catch::Contains("Example"));
    CHECK_THAT(run({"--version"}).out, Catch::StartsWith("gpokit "));
    const auto bad = run({"pol", "frobnicate"});
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::StartsWith("gpokit: error: "));
    CHECK(run({}).status == 2);
    CHECK(run({"pol", "show", "x.pol", "--format", "xml"}).status == 2);
}

TEST_CASE("set creates a missing file is quiet and a repeat writes nothing")
{
    test::TempDir dir;
    const auto file = (dir.path() / "registry.pol").string();
    const auto first = run({"pol", "set", file, "Software\\Policies\\X", "V", "--type", "dword", "--data", "1"});
    CHECK(first.status == 0);
    CHECK(first.out.empty());
    CHECK(first.err.empty());
    CHECK(util::read_file(file) == test::PolBytes().dword("Software\\Policies\\X", "V", 1).bytes());
    const auto before = std::filesystem::last_write_time(file);
    const auto ino_before = std::filesystem::hard_link_count(file);
    CHECK(run({"pol", "set", file, "Software\\Policies\\X", "V", "--type", "dword", "--data", "1"}).status == 0);
    CHECK(std::filesystem::last_write_time(file) == before);
    CHECK(std::filesystem::hard_link_count(file) == ino_before);
}

TEST_CASE("dry-run prints the change and writes nothing - --output writes elsewhere")
{
    test::TempDir dir;
    const auto file = (dir.path() / "registry.pol").string();
    const auto bytes = test::PolBytes().dword("K", "A", 1).bytes();
    test::write_bytes(file, bytes);
    const auto dry = run({"pol", "set", file, "K", "B", "--type", "sz", "--data", "x", "--dry-run"});
    CHECK(dry.status == 0);
    CHECK_THAT(dry.out, Catch::Contains("+ record 2: K ! B = REG_SZ \"x\"") && Catch::Contains("not written"));
    CHECK(util::read_file(file) == bytes);
    const auto out = (dir.path() / "out.pol").string();
    CHECK(run({"pol", "disable", file, "K", "A", "--output", out}).status == 0);
    CHECK(util::read_file(file) == bytes);
    CHECK(util::read_file(out) ==
          test::PolBytes().record("K", "**del.A", 1, test::sz_data(" ")).bytes());
}

TEST_CASE("multi_sz takes repeated --data - bad data is an error naming --data")
{
    test::TempDir dir;
    const auto file = (dir.path() / "r.pol").string();
    CHECK(run({"pol", "set", file, "K", "M", "--type", "multi_sz", "--data", "a", "--data", "b"}).status == 0);
    CHECK(util::read_file(file) == test::PolBytes().record("K", "M", 7, [] {
        util::Bytes d = test::sz_data("a");
        const auto b = test::sz_data("b");
        d.insert(d.end(), b.begin(), b.end());
        d.push_back(std::byte{0});
        d.push_back(std::byte{0});
        return d;
    }()).bytes());
    const auto bad = run({"pol", "set", file, "K", "D", "--type", "dword", "--data", "12x"});
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("--data"));
    const auto hive = run({"pol", "set", file, "HKLM\\Software", "D", "--type", "dword", "--data", "1"});
    CHECK(hive.status == 2);
    CHECK_THAT(hive.err, Catch::Contains("hive"));
}

TEST_CASE("check exits 1 on findings and 0 on a clean file - a malformed file is a finding")
{
    test::TempDir dir;
    const auto clean = (dir.path() / "clean.pol").string();
    const auto dup = (dir.path() / "dup.pol").string();
    const auto broken = (dir.path() / "broken.pol").string();
    test::write_bytes(clean, test::PolBytes().dword("K", "A", 1).bytes());
    test::write_bytes(dup, test::PolBytes().dword("K", "A", 1).dword("K", "A", 2).bytes());
    test::write_bytes(broken, util::Bytes{std::byte{'P'}});
    CHECK(run({"pol", "check", clean}).status == 0);
    const auto found = run({"pol", "check", clean, dup, broken});
    CHECK(found.status == 1);
    CHECK_THAT(found.out, Catch::Contains(dup + ":0x28: record 2:") && Catch::Contains("[duplicate]"));
    CHECK_THAT(found.out, Catch::Contains(broken + ":0x0:") && Catch::Contains("[malformed]"));
    CHECK(run({"pol", "check", (dir.path() / "missing.pol").string()}).status == 2);
}
