// Edits refuse what they would have to guess about, and say so with nothing written:
// an FSObjectFile whose bkp:Location is not where the file is, a symbolic link leading
// out of the GPO, a value pol check would reject, empty input to pol build. Lint
// reports the first two (and duplicate entries) too.
#include "cli/app.hpp"
#include "gpo/lint.hpp"
#include "pol/pol_edit.hpp"
#include "support/cli_run.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const char* k_backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";

std::string text_of(const fs::path& p)
{
    const auto b = util::read_file(p);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

void replace_in(const fs::path& p, const std::string& from, const std::string& to)
{
    std::string s = text_of(p);
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
    std::ofstream(p, std::ios::binary) << s;
}

fs::path ddp_copy(const test::TempDir& tmp)
{
    const fs::path dir = tmp.path() / "backups" / k_backup_id;
    test::writable_copy(test::fixtures_dir() / "ddp/backup" / k_backup_id, dir);
    return dir;
}

auto set_one = [](pol::PolFile& f) { return pol::set_value(f, u"Software\\Policies\\X", u"V", 4, test::le32(1)); };

std::vector<std::string> codes(const fs::path& dir)
{
    std::vector<std::string> out;
    for (const auto& f : gpo::lint(test::open(dir)))
        out.push_back(gpo::lint_code_name(f.code));
    return out;
}

using test::run;

} // namespace

TEST_CASE("an FSObjectFile for registry.pol whose bkp:Location is elsewhere: the edit refuses, lint says so")
{
    test::TempDir tmp;
    const fs::path dir = ddp_copy(tmp);
    replace_in(dir / "Backup.xml", "bkp:Location=\"DomainSysvol\\GPO\\Machine\\registry.pol\"",
               "bkp:Location=\"..\\..\\elsewhere\\registry.pol\"");
    const auto before = text_of(dir / "Backup.xml");
    CHECK_THROWS_WITH(gpo::plan_edit(test::open(dir), pol::Side::machine, set_one),
                      Catch::Contains("has bkp:Location \"..\\..\\elsewhere\\registry.pol\""));
    CHECK(text_of(dir / "Backup.xml") == before);
    const auto found = codes(dir);
    CHECK(std::count(found.begin(), found.end(), "location") == 1);
    CHECK(std::count(found.begin(), found.end(), "fsobject-missing") == 1);
}

TEST_CASE("two FSObjectFile entries for one file are a lint finding")
{
    test::TempDir tmp;
    const fs::path dir = ddp_copy(tmp);
    const std::string entry = "<FSObjectFile bkp:Path=\"%GPO_MACH_FSPATH%\\registry.pol\"";
    replace_in(dir / "Backup.xml", entry,
               entry + " bkp:Location=\"DomainSysvol\\GPO\\Machine\\registry.pol\"/>\r\n            " + entry);
    const auto found = codes(dir);
    CHECK(std::count(found.begin(), found.end(), "fsobject-duplicate") == 2); // the path and the location
}

TEST_CASE("a symbolic link leading out of the GPO: the edit refuses, lint says so")
{
    test::TempDir tmp;
    const fs::path dir = ddp_copy(tmp);
    fs::create_directories(dir / "DomainSysvol/GPO/Machine/Scripts");
    fs::create_directory_symlink("../../../../../../outside", dir / "DomainSysvol/GPO/Machine/Scripts/Startup");
    CHECK_THROWS_WITH(gpo::plan_edit(test::open(dir), pol::Side::machine, set_one),
                      Catch::Contains("Scripts/Startup: a symbolic link leading out of the GPO"));
    CHECK(codes(dir) == std::vector<std::string>{"link-outside"});
    // A link that stays inside is no finding and no obstacle.
    fs::remove(dir / "DomainSysvol/GPO/Machine/Scripts/Startup");
    fs::create_directory_symlink("../microsoft", dir / "DomainSysvol/GPO/Machine/Scripts/Startup");
    CHECK(codes(dir).empty());
    CHECK(test::edit(test::open(dir), pol::Side::machine, set_one));
}

TEST_CASE("pol set refuses data pol check rejects, and pol build refuses empty input, writing nothing")
{
    test::TempDir tmp;
    const auto file = (tmp.path() / "registry.pol").string();
    const auto original = test::PolBytes().dword("K", "A", 1).bytes();
    test::write_bytes(file, original);
    const auto big = run({"pol", "set", file, "K", "Big", "--type", "binary", "--data", std::string(65536 * 2, 'a')});
    CHECK(big.status == 2);
    CHECK_THAT(big.err, Catch::Contains("at most 65535"));
    CHECK(util::read_file(file) == original);
    const auto fits = run({"pol", "set", file, "K", "Big", "--type", "binary", "--data", std::string(65535 * 2, 'a')});
    CHECK(fits.status == 0);

    test::write_bytes(file, original);
    const auto empty_input = (tmp.path() / "empty.txt").string();
    test::write_bytes(empty_input, util::as_bytes(std::string_view("\r\n  \n")));
    const auto built = run({"pol", "build", file, "--from", empty_input});
    CHECK(built.status == 2);
    CHECK_THAT(built.err, Catch::Contains("empty input"));
    CHECK(util::read_file(file) == original);
}
