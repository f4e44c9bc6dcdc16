// The 71 real GPMC backups of the corpus: every one loads, `gpo list` finds what each
// set holds, lint reports what is really wrong there (the stale manifest entries of
// one set) and nothing else, and an edit of each backup's copy changes exactly the
// bytes the bookkeeping needs, proven by comparing every file byte for byte.
#include "gpo/extension_list.hpp"
#include "gpo/lint.hpp"
#include "support/targets.hpp"
#include "gpo/lint.hpp"
#include "gpo/load.hpp"
#include "pol/pol_edit.hpp"
#include "support/pol_bytes.hpp"
#include "util/file_io.hpp"
#include "util/tree.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <regex>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

std::map<std::string, util::Bytes> files_under(const fs::path& dir)
{
    std::map<std::string, util::Bytes> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            out[fs::relative(e.path(), dir).generic_string()] = util::read_file(e.path());
    return out;
}

std::string text(const util::Bytes& b)
{
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Backup.xml without what a machine-side edit may change: the version, the extension
// list and (when the edit created registry.pol) the new FSObjectFile entry with the
// whitespace before it, or the Registry extension element made to hold it.
std::string without_edited_parts(std::string xml, bool added_entry)
{
    xml = std::regex_replace(xml, std::regex("<MachineVersionNumber>.*?</MachineVersionNumber>"), "");
    xml = std::regex_replace(xml, std::regex("<MachineExtensionGuids>.*?</MachineExtensionGuids>|<MachineExtensionGuids/>"), "");
    if (added_entry) {
        const std::string before = xml;
        xml = std::regex_replace(
            xml, std::regex(R"(\r?\n        <GroupPolicyExtension bkp:ID="\{35378EAC-683F-11D2-A89A-00C04FBBCFA2\}" bkp:DescName="Registry"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\registry\.pol"[^>]*/></GroupPolicyExtension>)"),
            "");
        if (xml == before)
            xml = std::regex_replace(xml, std::regex(R"(\s*<FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\registry\.pol"[^>]*/>)"), "");
    }
    return xml;
}

} // namespace

TEST_CASE("every corpus backup loads and gpo list finds what each set holds")
{
    const std::map<std::string, std::size_t> expected{
        {"private-secure-windows", 9}, {"Windows-Secure-Host-Baseline", 14}, {"Standalone-Windows-STIG-Script", 48}};
    std::size_t total = 0;
    for (const auto& [set, count] : expected) {
        INFO(set);
        const auto cat = gpo::scan(test::corpus_dir() / set);
        CHECK(cat.backups.size() == count);
        CHECK(cat.problems.empty());
        total += cat.backups.size();
        for (const auto& g : cat.backups) {
            CHECK(g.guid.size() == 38);
            REQUIRE(g.info.has_value());
            CHECK(gpo::guid_equal(g.info->id, g.backup_id));
        }
    }
    CHECK(total == 71);
}

TEST_CASE("lint over the corpus reports the stale manifest entries and nothing else")
{
    std::map<std::string, std::size_t> codes;
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"})
        for (const auto& f : gpo::lint(gpo::open_targets((test::corpus_dir() / set).string(), {}, {})))
            ++codes[gpo::lint_code_name(f.code)];
    // private-secure-windows/GPOs/manifest.xml lists 10 backups whose folders are not in the set
    // (checked by hand: none of their IDs exists anywhere in the corpus).
    CHECK(codes == std::map<std::string, std::size_t>{{"manifest-stale", 10}});
}

TEST_CASE("an edit of each corpus backup changes only what the bookkeeping needs")
{
    test::TempDir tmp;
    std::size_t edited = 0;
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"}) {
        for (const auto& original : gpo::scan(test::corpus_dir() / set).backups) {
            INFO(original.dir.string());
            const fs::path copy = tmp.path() / fmt::format("b{}", edited);
            test::writable_copy(original.dir, copy / original.backup_id);
            const fs::path dir = copy / original.backup_id;
            const auto before = files_under(dir);
            const auto target = test::open(dir);
            const gpo::Gpo& g = target.gpo();
            const auto change = gpo::plan_edit(target, pol::Side::machine, [](pol::PolFile& f) {
                return pol::set_value(f, u"Software\\Policies\\gpokit\\Test", u"Value", 4, test::le32(42));
            });
            REQUIRE(change.changed);
            gpo::commit(target, change, std::nullopt);
            const auto after = files_under(dir);
            const gpo::Gpo g2 = gpo::load_backup(dir);

            // The version: both halves up by one.
            CHECK(g2.machine.version.sysvol == g.machine.version.sysvol + 1);
            CHECK(g2.machine.version.directory == *g.machine.version.directory + 1);
            CHECK(g2.user.version == g.user.version);
            // The extension list names the Registry CSE with the machine tool, sorted.
            auto list = gpo::parse_extension_list(*g2.machine.extensions);
            REQUIRE(list.has_value());
            CHECK(list->has(gpo::k_registry_cse, gpo::k_registry_tool_machine));
            CHECK(gpo::is_sorted(*list));
            // registry.pol: the old records with one more at its sorted place.
            const std::string pol_rel = fs::relative(*g2.machine.registry_pol, dir).generic_string();
            auto expected_pol = g.machine.registry_pol ? pol::PolFile::load(*g.machine.registry_pol) : pol::PolFile();
            pol::set_value(expected_pol, u"Software\\Policies\\gpokit\\Test", u"Value", 4, test::le32(42));
            CHECK(after.at(pol_rel) == expected_pol.serialize());
            // A new registry.pol has its FSObjectFile entry.
            if (!g.machine.registry_pol)
                CHECK(g2.files.size() == g.files.size() + 1);
            else
                CHECK(g2.files.size() == g.files.size());
            // Every other file is byte-identical; Backup.xml differs only inside the edited elements.
            for (const auto& [name, bytes] : before) {
                if (name == pol_rel)
                    continue;
                if (name == "Backup.xml") {
                    CHECK(without_edited_parts(text(after.at(name)), !g.machine.registry_pol) ==
                          without_edited_parts(text(bytes), false));
                    continue;
                }
                CHECK(after.at(name) == bytes);
            }
            CHECK(after.size() == before.size() + (g.machine.registry_pol ? 0 : 1));
            // The edited backup is as clean as it was: gpreport is reported stale now, and
            // machine settings in a GPO whose computer side is disabled are pointed out.
            for (const auto& f : gpo::lint(test::open(dir)))
                CHECK((f.code == gpo::LintCode::gpreport_stale ||
                       (f.code == gpo::LintCode::side_disabled && g2.side_disabled(pol::Side::machine))));
            ++edited;
        }
    }
    CHECK(edited == 71);
}
