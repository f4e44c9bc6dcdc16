// Sets of GPOs (gpo/estate.hpp) and what changes between two (diff/estate.hpp), on the
// Default Domain Policy fixture: a backup and its staged copy with the realm added.
#include "diff/estate.hpp"
#include "gpo/estate.hpp"
#include "policy/engine.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const fs::path k_ddp = fs::path(GPOKIT_FIXTURES_DIR) / "ddp";
const std::string k_backup = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";
const std::string k_ddp_guid = "{31B2F340-016D-11D2-945F-00C04FB984F9}";

diff::EstateDiff run(const gpo::Estate& a, const gpo::Estate& b, bool ignore_metadata = false)
{
    diff::Options o;
    o.ignore_metadata = ignore_metadata;
    return diff::compute_estate(a, b, policy::Catalogue::builtin(), o);
}

// The same GPO under another GUID (what a GPO deleted and made again looks like).
gpo::EstateGpo renamed_copy(const gpo::EstateGpo& e, const std::string& guid)
{
    gpo::Gpo g = e.target.gpo();
    g.guid = guid;
    return gpo::EstateGpo{gpo::Target(e.target.kind(), e.target.label(), std::move(g)), e.links, e.wmi_filter};
}

} // namespace

TEST_CASE("a backup root is a set of GPOs; a backup, a SYSVOL folder or a file is not")
{
    CHECK(gpo::is_estate(k_ddp / "backup"));
    CHECK_FALSE(gpo::is_estate(k_ddp / "backup" / k_backup));
    CHECK_FALSE(gpo::is_estate(fs::path(GPOKIT_FIXTURES_DIR) / "gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}"));
    CHECK_FALSE(gpo::is_estate(k_ddp / "registry.txt"));
    const auto e = gpo::load_estate(k_ddp / "backup", "backup");
    REQUIRE(e.gpos.size() == 1);
    CHECK(e.gpos.front().target.gpo().guid == k_ddp_guid);
    CHECK_FALSE(e.has_links);
    CHECK_FALSE(e.gpos.front().links);
    CHECK(e.problems.empty());
}

TEST_CASE("an empty folder is no set of GPOs")
{
    test::TempDir dir;
    CHECK_THROWS_WITH(gpo::load_estate(dir.path(), "x"), Catch::Contains("no GPO here"));
}

TEST_CASE("two backup roots: the GPO with the realm added is changed, with exactly the realm's values")
{
    const auto d = run(gpo::load_estate(k_ddp / "backup", "A"), gpo::load_estate(k_ddp / "staged", "B"));
    REQUIRE(d.gpos.size() == 1);
    const auto& p = d.gpos.front();
    CHECK(p.status == diff::GpoStatus::changed);
    CHECK(p.guid == k_ddp_guid);
    CHECK(p.a_guid.empty()); // matched by GUID
    CHECK(p.diff.registry.size() == 4);
    for (const auto& c : p.diff.registry)
        CHECK(c.change == diff::Change::added);
    CHECK_FALSE(d.empty());
    CHECK(d.problems.empty());

    const auto same = run(gpo::load_estate(k_ddp / "backup", "A"), gpo::load_estate(k_ddp / "backup", "A"));
    REQUIRE(same.gpos.size() == 1);
    CHECK(same.gpos.front().status == diff::GpoStatus::unchanged);
    CHECK(same.empty());
}

TEST_CASE("GPOs only on one side are added or removed; an unmatched GUID pairs by display name")
{
    const auto a = gpo::load_estate(k_ddp / "backup", "A");
    gpo::Estate b = gpo::load_estate(k_ddp / "staged", "B");
    b.gpos.front() = renamed_copy(b.gpos.front(), "{00000000-1111-2222-3333-444444444444}");
    auto d = run(a, b);
    REQUIRE(d.gpos.size() == 1);
    CHECK(d.gpos.front().status == diff::GpoStatus::changed);
    CHECK(d.gpos.front().a_guid == k_ddp_guid);
    CHECK(d.gpos.front().guid == "{00000000-1111-2222-3333-444444444444}");

    // Two GPOs of that name in B: no pairing by name, one removed and two added.
    b.gpos.push_back(renamed_copy(b.gpos.front(), "{55555555-1111-2222-3333-444444444444}"));
    d = run(a, b);
    REQUIRE(d.gpos.size() == 3);
    CHECK(d.count(diff::GpoStatus::added) == 2);
    CHECK(d.count(diff::GpoStatus::removed) == 1);
    CHECK(d.gpos.front().status == diff::GpoStatus::added); // the order: added, removed, changed, unchanged
    CHECK(d.gpos.back().status == diff::GpoStatus::removed);
    CHECK(d.gpos.back().b.empty());
    CHECK(d.gpos.back().a == a.gpos.front().target.label());
}

TEST_CASE("a GPO the other side could not read is neither added nor removed, and is a problem")
{
    const auto a = gpo::load_estate(k_ddp / "backup", "A");
    gpo::Estate b;
    b.label = "B";
    b.unread.push_back(k_ddp_guid);
    b.problems.emplace_back("B: " + k_ddp_guid + " could not be read");
    const auto d = run(a, b);
    CHECK(d.gpos.empty());
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems.front().find("could not be read") != std::string::npos);
}

TEST_CASE("links and WMI filters are compared where both sides record them")
{
    auto a = gpo::load_estate(k_ddp / "backup", "A");
    auto b = gpo::load_estate(k_ddp / "backup", "B");
    const std::string domain = "DC=corp,DC=example,DC=com";
    a.gpos.front().links = std::vector<gpo::Link>{{domain, true, false}, {"OU=Old," + domain, true, false}};
    b.gpos.front().links = std::vector<gpo::Link>{{domain, true, true}, {"OU=New," + domain, false, false}};
    b.gpos.front().wmi_filter = "Laptops: SELECT * FROM Win32_Battery";
    auto d = run(a, b);
    REQUIRE(d.gpos.size() == 1);
    CHECK(d.gpos.front().status == diff::GpoStatus::changed);
    std::map<std::string, std::pair<std::string, std::string>> fields;
    for (const auto& m : d.gpos.front().diff.metadata)
        fields[m.field] = {m.before, m.after};
    CHECK(fields.size() == 4);
    CHECK(fields["link " + domain] == std::pair<std::string, std::string>("enabled", "enabled, enforced"));
    CHECK(fields["link OU=Old," + domain] == std::pair<std::string, std::string>("enabled", "(not linked)"));
    CHECK(fields["link OU=New," + domain] == std::pair<std::string, std::string>("(not linked)", "disabled"));
    CHECK(fields["WMI filter (name: query)"].second == "Laptops: SELECT * FROM Win32_Battery");
    // Settings only: links are metadata.
    CHECK(run(a, b, true).empty());
    // One side without links (a backup root): nothing to compare them with.
    b.gpos.front().links.reset();
    b.gpos.front().wmi_filter.clear();
    CHECK(run(a, b).empty());
}

TEST_CASE("several backups of one GPO in a root: the newest is compared, the others are named")
{
    test::TempDir dir;
    test::writable_copy(k_ddp / "backup" / k_backup, dir.path() / "old");
    test::writable_copy(k_ddp / "staged" / k_backup, dir.path() / "new");
    // The staged copy is the newer backup.
    const fs::path info = dir.path() / "new/bkupInfo.xml";
    std::string text;
    {
        std::ifstream in(info, std::ios::binary);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string tag = "<BackupTime><![CDATA[";
    const auto at = text.find(tag);
    REQUIRE(at != std::string::npos);
    text.replace(at + tag.size(), 4, "2999");
    test::write_bytes(info, util::as_bytes(text));
    const auto e = gpo::load_estate(dir.path(), "root");
    CHECK(e.problems.empty());
    REQUIRE(e.gpos.size() == 1);
    CHECK(e.gpos.front().target.gpo().dir.filename() == "new");
    REQUIRE(e.notes.size() == 1);
    CHECK(e.notes.front().find("old") != std::string::npos);
}
