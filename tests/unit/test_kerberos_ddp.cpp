// The realm injection on the Default Domain Policy fixture (support/kerberos_check.hpp).
#include "support/kerberos_check.hpp"
#include "util/tree.hpp"

using namespace gpokit;

TEST_CASE("the vendor's realm on the Default Domain Policy fixture")
{
    const auto catalogue = policy::Catalogue::builtin();
    test::TempDir tmp;
    util::copy_tree(test::fixtures_dir() / "ddp/backup", tmp.path() / "backup");
    test::check_injection(tmp.path() / "backup/{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}", catalogue);
}
