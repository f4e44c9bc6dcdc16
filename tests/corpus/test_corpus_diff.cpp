// diff on the corpus: every backup against an independent copy of itself is empty;
// against that copy with the vendor's realm added, exactly the four registry values and the GPO bookkeeping
// change; a backup against the same GPO laid out as a SYSVOL folder has no registry
// difference.
#include "diff/diff.hpp"
#include "support/targets.hpp"
#include "kerberos/realm.hpp"
#include "support/pol_bytes.hpp"
#include "util/file_io.hpp"
#include "pol/pol_edit.hpp"
#include "util/tree.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

using namespace gpokit;
namespace fs = std::filesystem;

TEST_CASE("every corpus backup against a copy of itself, and against the copy with the realm added")
{
    const auto catalogue = policy::Catalogue::builtin();
    test::TempDir tmp;
    std::size_t n = 0;
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"}) {
        for (const auto& g : gpo::scan(test::corpus_dir() / set).backups) {
            INFO(g.dir.string());
            const auto original = test::open(g.dir);
            const fs::path copy = tmp.path() / fmt::format("b{}", n++) / g.backup_id;
            test::writable_copy(g.dir, copy);
            // Every file read from two places: the same bytes give no difference at any level.
            diff::Options all;
            all.records = true;
            CHECK(diff::compute(original, test::open(copy), catalogue, all).empty());

            REQUIRE(test::edit(test::open(copy), pol::Side::machine, [&](pol::PolFile& f) {
                return kerberos::add_realm(f, catalogue,
                                           {"ZSCALERBETA.NET",
                                            {"kerberos.zscalerbeta.net"},
                                            {".zscalerbeta.net", ".gateway.zscalerbeta.net"},
                                            {}});
            }));
            const auto d = diff::compute(original, test::open(copy), catalogue, {});
            CHECK(d.registry.size() == 4);
            for (const auto& c : d.registry) {
                CHECK(c.change == diff::Change::added);
                REQUIRE(c.policy.has_value());
                CHECK(c.policy->after == policy::State::enabled);
            }
            std::set<std::string> fields;
            for (const auto& m : d.metadata)
                fields.insert(m.field);
            CHECK(fields.count("machine version") == 1);
            fields.erase("machine version");
            // Where the list changed, the pair the edit adds: Registry with the Administrative
            // Templates tool.
            if (fields.erase("machine extensions") == 1)
                CHECK(fields.count("machine extension {35378EAC-683F-11D2-A89A-00C04FBBCFA2} (Registry) with tool "
                               "{D02B1F72-3407-48AE-BA88-E8213C6761F1} (Administrative Templates (machine tool))") == 1);
            std::erase_if(fields, [](const std::string& f) { return f.rfind("machine extension ", 0) == 0; });
            fields.erase("gpreport.xml stale"); // Windows' report no longer describes the backup
            CHECK(fields.empty());
            CHECK(d.files.empty());
        }
    }
    CHECK(n == 71);
}

TEST_CASE("a backup against the same GPO as a SYSVOL folder has no registry difference")
{
    const auto catalogue = policy::Catalogue::builtin();
    test::TempDir tmp;
    std::size_t checked = 0;
    for (const auto& g : gpo::scan(test::corpus_dir() / "Windows-Secure-Host-Baseline").backups) {
        INFO(g.dir.string());
        // The SYSVOL layout of the same GPO: DomainSysvol/GPO's content and a GPT.INI.
        const fs::path sysvol = tmp.path() / fmt::format("s{}", checked++) / g.guid;
        fs::create_directories(sysvol.parent_path());
        util::copy_tree(g.dir / "DomainSysvol" / "GPO", sysvol);
        const std::uint32_t version = (std::uint32_t{g.user.version.sysvol} << 16) | g.machine.version.sysvol;
        const std::string ini = fmt::format("[General]\r\nVersion={}\r\ndisplayName={}\r\n", version, g.display_name);
        util::write_file_atomic(sysvol / "GPT.INI", util::as_bytes(ini));
        const auto d = diff::compute(test::open(g.dir), test::open(sysvol), catalogue, {});
        CHECK(d.registry.empty());
        CHECK(d.files.empty());
        for (const auto& m : d.metadata)
            CHECK(m.field != "machine version");
    }
    CHECK(checked == 14);
}

TEST_CASE("compare over one corpus set finds a conflict planted in a copy")
{
    const auto catalogue = policy::Catalogue::builtin();
    test::TempDir tmp;
    std::vector<gpo::Target> sources;
    std::optional<gpo::Gpo> victim;
    for (const auto& g : gpo::scan(test::corpus_dir() / "Windows-Secure-Host-Baseline").backups) {
        sources.push_back(test::open(g.dir));
        if (!victim && g.machine.registry_pol && g.display_name.find("Windows") != std::string::npos)
            victim = g;
    }
    REQUIRE(victim.has_value());
    const auto baseline = diff::compare(sources, catalogue);
    std::set<std::string> conflicting; // the set's own conflicts (Office 2013 and 2016 disagree, ...)
    for (const auto& row : baseline.rows)
        if (row.conflict)
            conflicting.insert(row.key + "!" + row.value);

    // A copy of one backup with one DWORD changed: exactly that setting is in conflict.
    const fs::path copy = tmp.path() / victim->backup_id;
    test::writable_copy(victim->dir, copy);
    const auto g = test::open(copy);
    const auto file = g.registry(pol::Side::machine);
    const pol::Record* target = nullptr;
    for (const auto& r : file.records)
        if (r.type == 4 && r.data.size() == 4 && r.value_utf8().rfind("**", 0) != 0 &&
            conflicting.count(r.key_utf8() + "!" + r.value_utf8()) == 0)
            target = &r;
    REQUIRE(target != nullptr);
    const std::string key = target->key_utf8();
    const std::string value = target->value_utf8();
    const std::uint32_t planted = util::load_u32le(target->data.data()) + 1000;
    test::edit(g, pol::Side::machine, [&](pol::PolFile& f) {
        return pol::set_value(f, util::utf8_to_u16(key), util::utf8_to_u16(value), 4, test::le32(planted));
    });
    sources.push_back(test::open(copy));
    const auto c = diff::compare(sources, catalogue);
    REQUIRE(c.conflicts() == baseline.conflicts() + 1);
    std::size_t found = 0;
    for (const auto& row : c.rows)
        if (row.conflict && conflicting.count(row.key + "!" + row.value) == 0) {
            CHECK(row.key == key);
            CHECK(row.value == value);
            ++found;
        }
    CHECK(found == 1);
}
