// diff and compare on registry.pol files written here: what counts as added, removed
// and modified, how changes are attributed to policies, and the record-level view.
#include "diff/diff.hpp"
#include "policy/engine.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;
using test::PolBytes;
namespace fs = std::filesystem;

namespace {

diff::Diff run(const PolBytes& a, const PolBytes& b, bool records = false)
{
    test::TempDir dir;
    fs::create_directories(dir.path() / "a/Machine");
    fs::create_directories(dir.path() / "b/Machine");
    test::write_bytes(dir.path() / "a/Machine/registry.pol", a.bytes());
    test::write_bytes(dir.path() / "b/Machine/registry.pol", b.bytes());
    diff::Options o;
    o.records = records;
    return diff::compute(test::open((dir.path() / "a/Machine/registry.pol")),
                         test::open((dir.path() / "b/Machine/registry.pol")),
                         policy::Catalogue::builtin(), o);
}

const std::string k_kerberos = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos";

} // namespace

TEST_CASE("identical effective states give no difference whatever the record order")
{
    PolBytes a;
    a.dword("K", "A", 1).dword("L", "B", 2);
    PolBytes b;
    b.dword("L", "B", 2).dword("k", "a", 0).dword("K", "A", 1); // other order, a value set twice
    CHECK(run(a, a).empty());
    const auto d = run(a, b);
    CHECK(d.registry.empty());
    CHECK(run(a, b, true).records.size() == 3); // the record view sees the reordering: - L!B, + L!B, + k!a
}

TEST_CASE("added removed and modified values")
{
    PolBytes a;
    a.dword("K", "Same", 1).dword("K", "Changed", 1).dword("K", "Gone", 1);
    PolBytes b;
    b.dword("K", "Same", 1).sz("K", "Changed", "text").dword("K", "New", 5);
    const auto d = run(a, b);
    REQUIRE(d.registry.size() == 3);
    std::map<std::string, diff::Change> by_value;
    for (const auto& c : d.registry)
        by_value[c.value] = c.change;
    CHECK(by_value.at("Changed") == diff::Change::modified);
    CHECK(by_value.at("Gone") == diff::Change::removed);
    CHECK(by_value.at("New") == diff::Change::added);
    for (const auto& c : d.registry)
        CHECK_FALSE(c.policy.has_value());
}

TEST_CASE("changes are attributed to the policy that writes them, with both states")
{
    PolBytes a;
    PolBytes b;
    b.dword(k_kerberos, "MitRealms_Enabled", 1).sz(k_kerberos + "\\MitRealms", "A.NET", "<k>kdc.a.net</k>");
    const auto d = run(a, b);
    REQUIRE(d.registry.size() == 2);
    for (const auto& c : d.registry) {
        REQUIRE(c.policy.has_value());
        CHECK(c.policy->name == "kerberos:MitRealms");
        CHECK(c.policy->before == policy::State::not_configured);
        CHECK(c.policy->after == policy::State::enabled);
    }
}

TEST_CASE("compare marks conflicts and absences")
{
    test::TempDir dir;
    const auto write = [&](const char* name, const PolBytes& b) {
        const auto p = dir.path() / name;
        test::write_bytes(p, b.bytes());
        return test::open(p);
    };
    const std::vector<gpo::Target> sources{write("1.pol", PolBytes().dword("K", "A", 1).dword("K", "B", 1)),
                                            write("2.pol", PolBytes().dword("K", "A", 2).dword("K", "B", 1)),
                                            write("3.pol", PolBytes().dword("K", "B", 1))};
    const auto c = diff::compare(sources, policy::Catalogue::builtin());
    REQUIRE(c.rows.size() == 2);
    CHECK(c.rows[0].value == "A");
    CHECK(c.rows[0].conflict);
    CHECK(c.rows[0].absent);
    CHECK_FALSE(c.rows[1].conflict);
    CHECK_FALSE(c.rows[1].absent);
    CHECK(c.conflicts() == 1);
}

TEST_CASE("a policy going to Disabled is a difference though no value is left")
{
    PolBytes a;
    a.dword(k_kerberos, "MitRealms_Enabled", 1).sz(k_kerberos + "\\MitRealms", "A.NET", "<k>kdc.a.net</k>");
    pol::PolFile disabled = pol::PolFile::parse(a.bytes(), "a.pol");
    policy::write(disabled, policy::Catalogue::builtin().find("kerberos:MitRealms"), policy::State::disabled, {});
    const util::Bytes bytes = disabled.serialize();
    const auto d = run(PolBytes(), PolBytes().raw(util::Bytes(bytes.begin() + 8, bytes.end())));
    REQUIRE_FALSE(d.registry.empty());
    bool disabled_seen = false;
    for (const auto& c : d.registry) {
        REQUIRE(c.policy.has_value());
        disabled_seen |= c.policy->after == policy::State::disabled;
        REQUIRE(c.after.has_value());
        CHECK(c.after->deletion);
    }
    CHECK(disabled_seen);
}

TEST_CASE("record differences of large files only cover what differs")
{
    PolBytes big;
    for (int i = 0; i < 6000; ++i)
        big.dword("K" + std::to_string(i), "V", static_cast<std::uint32_t>(i));
    CHECK(run(big, big, true).empty());
    PolBytes changed = big;
    changed.dword("Z", "New", 1);
    const auto d = run(big, changed, true);
    REQUIRE(d.records.size() == 1);
    CHECK(d.records[0].index == 6001);
}

TEST_CASE("record differences scattered through large files are each found, not the whole middle")
{
    // 20,000 records on each side: too many for a table of the whole (4*10^8 cells).
    PolBytes a, b;
    for (int i = 0; i < 20000; ++i) {
        const std::string key = "K" + std::to_string(i);
        a.dword(key, "V", static_cast<std::uint32_t>(i));
        if (i == 7)
            b.dword("Inserted", "V", 1);
        if (i == 5000 || i == 15000)
            continue; // removed
        b.dword(key, "V", static_cast<std::uint32_t>(i == 10000 ? 0 : i)); // 10000 modified
        if (i % 4000 == 3)
            b.dword(key, "Dup", 1); // a run of duplicates: records that are not unique
    }
    const auto d = run(a, b, true);
    std::vector<std::string> seen;
    for (const auto& r : d.records)
        seen.push_back((r.change == diff::Change::added ? "+" : "-") + r.key + "!" + r.value);
    CHECK(seen == std::vector<std::string>{"+K3!Dup", "+Inserted!V", "+K4003!Dup", "-K5000!V", "+K8003!Dup",
                                           "-K10000!V", "+K10000!V", "+K12003!Dup", "-K15000!V", "+K16003!Dup"});
}

TEST_CASE("a registry.pol of one side against one of the other is an error, not an empty diff")
{
    test::TempDir dir;
    fs::create_directories(dir.path() / "User");
    fs::create_directories(dir.path() / "Machine");
    test::write_bytes(dir.path() / "User/registry.pol", PolBytes().dword("K", "A", 1).bytes());
    test::write_bytes(dir.path() / "Machine/registry.pol", PolBytes().dword("K", "A", 1).bytes());
    CHECK_THROWS_WITH(diff::compute(test::open((dir.path() / "User/registry.pol")),
                                    test::open((dir.path() / "Machine/registry.pol")),
                                    policy::Catalogue::builtin(), {}),
                      Catch::Contains("no side in common"));
}
