// The realm injection on a copy of every corpus backup (support/kerberos_check.hpp).
#include "support/kerberos_check.hpp"
#include "util/tree.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace gpokit;
namespace fs = std::filesystem;



TEST_CASE("the vendor's realm on a copy of every corpus backup, and back out")
{
    const auto catalogue = policy::Catalogue::builtin();
    test::TempDir tmp;
    std::size_t n = 0;
    for (const auto* set : {"private-secure-windows", "Windows-Secure-Host-Baseline", "Standalone-Windows-STIG-Script"}) {
        for (const auto& g : gpo::scan(test::corpus_dir() / set).backups) {
            const fs::path copy = tmp.path() / fmt::format("b{}", n++);
            test::writable_copy(g.dir, copy / g.backup_id);
            test::check_injection(copy / g.backup_id, catalogue);
        }
    }
    CHECK(n == 71);
}

