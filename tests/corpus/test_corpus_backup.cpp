// `gpo backup` against Windows as the oracle: every corpus backup is backed up again by
// gpokit (its DomainSysvol/GPO and the container data its Backup.xml records as the
// source), and the new Backup.xml is compared with the one GPMC wrote, element by
// element: identity, versions, extension lists, security descriptor, security groups,
// file paths, WMI filter, and every FSObjectFile (which file, which extension owns it,
// where it lies). The differences allowed are listed here, each with its reason. The
// new backups lint clean, and the files under DomainSysvol are copied byte for byte.
#include "gpo/backup_writer.hpp"
#include "gpo/lint.hpp"
#include "gpo/load.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

// One FSObjectFile as compared: extension, bkp:Path and bkp:Location, case folded
// (Windows keeps the folder names' case as they were on SYSVOL; the files it copied
// into the backup keep it too, which is what gpokit reads).
using FileKey = std::tuple<std::string, std::string, std::string>;

std::set<FileKey> file_keys(const gpo::Gpo& g)
{
    std::set<FileKey> out;
    for (const auto& f : g.files)
        out.insert({util::to_lower_ascii(f.extension_id), util::to_lower_ascii(f.path), util::to_lower_ascii(f.location)});
    return out;
}

std::map<std::string, util::Bytes> files_under(const fs::path& dir)
{
    std::map<std::string, util::Bytes> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            out[fs::relative(e.path(), dir).generic_string()] = util::read_file(e.path());
    return out;
}

} // namespace

TEST_CASE("gpo backup of every corpus backup agrees with GPMC's own Backup.xml")
{
    std::size_t backups = 0, files_compared = 0;
    std::map<std::string, std::size_t> allowed; // reason -> how often
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"}) {
        for (const auto& original_target : gpo::open_targets((test::corpus_dir() / set).string(), {}, {}).targets) {
            const gpo::Gpo& w = original_target.gpo();
            INFO(w.dir.string());
            test::TempDir tmp;
            gpo::BackupOptions options;
            options.deterministic = true;
            options.epoch = 1700000000;
            const auto result = gpo::write_backup(original_target, tmp.path() / "root", options);
            const gpo::Target mine_target = test::open(result.folder);
            const gpo::Gpo& m = mine_target.gpo();
            ++backups;

            CHECK(m.guid == w.guid);
            CHECK(m.domain == w.domain);
            CHECK(m.display_name == w.display_name);
            CHECK(m.options == w.options);
            CHECK(m.machine.version == w.machine.version);
            CHECK(m.user.version == w.user.version);
            CHECK(m.machine.extensions == w.machine.extensions);
            CHECK(m.user.extensions == w.user.extensions);
            CHECK(m.security_descriptor == w.security_descriptor);
            CHECK(m.wmi_filter.value_or("") == w.wmi_filter.value_or(""));
            CHECK(m.security_groups.size() == w.security_groups.size());
            CHECK(m.file_paths == w.file_paths);
            REQUIRE(m.info);
            CHECK(m.info->gpo_guid == w.guid);
            CHECK(m.info->display_name == w.display_name);
            CHECK(m.info->domain_guid == (w.info ? w.info->domain_guid : ""));
            CHECK(m.info->domain_controller == (w.info ? w.info->domain_controller : ""));
            CHECK(result.missing.empty());

            // Every FSObjectFile: the same set, but for entries GPMC wrote for files that
            // are not in the backup as stored (the corpus repositories dropped them).
            const auto mine = file_keys(m);
            for (const auto& key : file_keys(w)) {
                if (mine.count(key))
                    continue;
                const auto& [ext, path, location] = key;
                const bool absent = !location.empty() && !fs::exists(w.dir / fs::path(util::to_lower_ascii(location)));
                bool present = false;
                if (!location.empty()) {
                    std::string rel = location;
                    std::replace(rel.begin(), rel.end(), '\\', '/');
                    for (const auto& e : fs::recursive_directory_iterator(w.dir))
                        if (util::iequal_ascii(fs::relative(e.path(), w.dir).generic_string(), rel))
                            present = true;
                }
                if (absent && !present) {
                    ++allowed["GPMC listed a file the stored backup does not hold"];
                    continue;
                }
                FAIL_CHECK(fmt::format("GPMC's entry not written by gpokit: {} {} {}", ext, path, location));
            }
            for (const auto& key : mine)
                if (!file_keys(w).count(key))
                    FAIL_CHECK(fmt::format("an entry GPMC did not write: {} {} {}", std::get<0>(key),
                                           std::get<1>(key), std::get<2>(key)));

            // The settings files are copied byte for byte.
            const auto before = files_under(w.dir / "DomainSysvol");
            const auto after = files_under(result.folder / "DomainSysvol");
            CHECK(before == after);
            files_compared += after.size();

            // Nothing for lint to say about a backup gpokit wrote that it did not say about the original.
            std::map<std::string, std::size_t> codes_w, codes_m;
            for (const auto& f : gpo::lint(original_target, {}))
                ++codes_w[gpo::lint_code_name(f.code)];
            for (const auto& f : gpo::lint(mine_target, {}))
                ++codes_m[gpo::lint_code_name(f.code)];
            for (const auto& [code, n] : codes_m)
                CHECK(n <= codes_w[code]);
        }
    }
    CHECK(backups == 71);
    for (const auto& [reason, n] : allowed)
        WARN(fmt::format("allowed {} times: {}", n, reason));
    CHECK(files_compared > 0);
}
