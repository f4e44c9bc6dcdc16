// diff sees everything that makes two GPOs differ (on copies of real backups): one
// byte of the security descriptor becomes the access entry it changes, a renamed
// security group, another WMI filter, an edited gpreport.xml, backup details; --side
// leaves out the other side's files too.
#include "diff/diff.hpp"
#include "gpo/security.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <regex>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

std::string text_of(const fs::path& p)
{
    const auto b = util::read_file(p);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

void write_text(const fs::path& p, const std::string& s)
{
    std::ofstream(p, std::ios::binary) << s;
}

// A backup of the set whose descriptor parses and has a DACL.
gpo::Gpo some_backup()
{
    for (const auto& g : gpo::scan(test::corpus_dir() / "Windows-Secure-Host-Baseline").backups)
        if (g.security_descriptor && !g.security_groups.empty())
            return g;
    FAIL("no backup with a security descriptor and security groups in the set");
    throw;
}

diff::Diff diff_of(const fs::path& a, const fs::path& b, diff::Options o = {})
{
    return diff::compute(test::open(a), test::open(b), policy::Catalogue::builtin(), o);
}

std::vector<std::string> fields(const diff::Diff& d)
{
    std::vector<std::string> out;
    for (const auto& m : d.metadata)
        out.push_back(m.field);
    return out;
}

} // namespace

TEST_CASE("every corpus backup's security descriptor reads as access entries")
{
    std::size_t read = 0;
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"})
        for (const auto& g : gpo::scan(test::corpus_dir() / set).backups) {
            INFO(g.dir.string());
            REQUIRE(g.security_descriptor);
            const auto sd = gpo::parse_security_descriptor(*g.security_descriptor, "sd");
            CHECK(sd.has_dacl);
            CHECK_FALSE(sd.dacl.empty());
            // Every GPO lets someone apply it.
            CHECK(std::any_of(sd.dacl.begin(), sd.dacl.end(),
                              [](const gpo::Ace& a) { return gpo::rights_text(a) == "Apply Group Policy"; }));
            ++read;
        }
    CHECK(read == 71);
}

TEST_CASE("one byte of the security descriptor is a permission difference, named by trustee and rights")
{
    test::TempDir tmp;
    const gpo::Gpo g = some_backup();
    const fs::path copy = tmp.path() / g.backup_id;
    test::writable_copy(g.dir, copy);
    REQUIRE(diff_of(g.dir, copy).empty());

    // The first ACE's mask gains "write property" (0x20): DACL offset at 16, ACE mask at +12.
    util::Bytes sd = *g.security_descriptor;
    const std::uint32_t dacl = util::load_u32le(sd.data() + 16);
    sd[dacl + 12] ^= std::byte{0x20};
    std::string xml = text_of(copy / "Backup.xml");
    const std::string old_hex = xml.substr(xml.find("<SecurityDescriptor>") + 20,
                                           xml.find("</SecurityDescriptor>") - xml.find("<SecurityDescriptor>") - 20);
    std::string new_hex;
    for (const auto b : sd)
        new_hex += fmt::format("{}{:02x}", new_hex.empty() ? "" : " ", std::to_integer<int>(b));
    xml.replace(xml.find(old_hex), old_hex.size(), new_hex);
    write_text(copy / "Backup.xml", xml);

    const auto d = diff_of(g.dir, copy);
    for (const auto& m : d.metadata)
        UNSCOPED_INFO(m.field << ": " << m.before << " -> " << m.after);
    REQUIRE(d.metadata.size() == 1);
    CHECK_THAT(d.metadata[0].field, Catch::StartsWith("permission "));
    CHECK(d.metadata[0].before != d.metadata[0].after);
    CHECK_THAT(d.metadata[0].before + d.metadata[0].after, Catch::Contains("write property"));
    CHECK(d.registry.empty());
    // --ignore-metadata leaves it out, as its help says.
    diff::Options registry_only;
    registry_only.ignore_metadata = true;
    CHECK(diff_of(g.dir, copy, registry_only).empty());
}

TEST_CASE("a renamed security group, another WMI filter and changed backup details are differences")
{
    test::TempDir tmp;
    const gpo::Gpo g = some_backup();
    const fs::path copy = tmp.path() / g.backup_id;
    test::writable_copy(g.dir, copy);
    std::string xml = text_of(copy / "Backup.xml");
    const std::string group = g.security_groups.front().name;
    xml = std::regex_replace(xml, std::regex("<SamAccountName><!\\[CDATA\\[" + group + "\\]\\]>"),
                             "<SamAccountName><![CDATA[Renamed Group]]>", std::regex_constants::format_first_only);
    xml = std::regex_replace(xml, std::regex("<WMIFilter/>"),
                             "<WMIFilter><![CDATA[[corp.example.com;{A0B1C2D3-1111-2222-3333-444455556666};0]]]></WMIFilter>");
    write_text(copy / "Backup.xml", xml);
    std::string info = text_of(copy / "bkupInfo.xml");
    info = std::regex_replace(info, std::regex("<Comment><!\\[CDATA\\[[^\\]]*\\]\\]></Comment>"),
                              "<Comment><![CDATA[changed]]></Comment>");
    write_text(copy / "bkupInfo.xml", info);
    const auto f = fields(diff_of(g.dir, copy));
    CHECK(std::count(f.begin(), f.end(), "security group " + g.security_groups.front().sid) == 1);
    CHECK(std::count(f.begin(), f.end(), "WMI filter") == 1);
    CHECK(std::count(f.begin(), f.end(), "backup: comment") == 1);
}

TEST_CASE("gpreport.xml and other files are compared by content; --side leaves out the other side's files")
{
    test::TempDir tmp;
    gpo::Gpo g = some_backup();
    for (const auto& b : gpo::scan(test::corpus_dir() / "Windows-Secure-Host-Baseline").backups)
        if (b.report)
            g = b;
    REQUIRE(g.report);
    const fs::path copy = tmp.path() / g.backup_id;
    test::writable_copy(g.dir, copy);
    auto report = util::read_file(copy / "gpreport.xml");
    report.push_back(std::byte{' '});
    report.push_back(std::byte{0});
    test::write_bytes(copy / "gpreport.xml", report);
    fs::create_directories(copy / "DomainSysvol/GPO/Machine");
    test::write_bytes(copy / "DomainSysvol/GPO/Machine/added.txt", util::as_bytes(std::string_view("x")));
    const auto d = diff_of(g.dir, copy);
    REQUIRE(d.files.size() == 2);
    CHECK(d.files[0].path == "backup:gpreport.xml");
    CHECK(d.files[0].change == diff::Change::modified);
    CHECK(d.files[1].path == "machine/added.txt");
    diff::Options user_side;
    user_side.machine = false;
    const auto user = diff_of(g.dir, copy, user_side);
    REQUIRE(user.files.size() == 1);
    CHECK(user.files[0].path == "backup:gpreport.xml");
}
