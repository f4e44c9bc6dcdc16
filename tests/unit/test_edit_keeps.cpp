// Edits keep what they do not change: extended attributes (user.*, and Samba's
// security.NTACL as root), owners, permissions and the times of untouched files; two
// edits of one GPO at once never lose one silently.
#include "pol/pol_edit.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <string>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const char* k_backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";

bool set_attr(const fs::path& p, const char* name, const std::string& value)
{
    return ::lsetxattr(p.c_str(), name, value.data(), value.size(), 0) == 0;
}

std::string get_attr(const fs::path& p, const char* name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(p.c_str(), name, buf, sizeof buf);
    return n < 0 ? std::string("(none)") : std::string(buf, static_cast<std::size_t>(n));
}

struct stat stat_of(const fs::path& p)
{
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st;
}

void set_mtime(const fs::path& p, time_t seconds)
{
    const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
    REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

bool set_value(const gpo::Target& t, std::uint32_t v)
{
    return test::edit(t, pol::Side::machine, [&](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\gpokit", u"V", 4, test::le32(v));
    });
}

} // namespace

TEST_CASE("an in-place edit keeps extended attributes, owners, permissions and untouched files' times")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / "backups" / k_backup_id;
    test::writable_copy(test::fixtures_dir() / "ddp/backup" / k_backup_id, dir);
    const fs::path xml = dir / "Backup.xml";
    const fs::path pol = dir / "DomainSysvol/GPO/Machine/registry.pol";
    const fs::path inf = dir / "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf";
    const fs::path machine = dir / "DomainSysvol/GPO/Machine";
    if (!set_attr(pol, "user.gpokit.test", "pol")) {
        WARN("SKIPPED: this filesystem takes no user.* extended attributes");
        return;
    }
    REQUIRE(set_attr(xml, "user.gpokit.test", "xml"));
    REQUIRE(set_attr(inf, "user.gpokit.test", "inf"));
    REQUIRE(set_attr(machine, "user.gpokit.test", "folder"));
    const bool root = ::geteuid() == 0;
    // As root (on a DC's SYSVOL), Samba's NTACL and another owner.
    if (root) {
        REQUIRE(set_attr(pol, "security.NTACL", "acl-of-registry.pol"));
        REQUIRE(set_attr(inf, "security.NTACL", "acl-of-GptTmpl.inf"));
        REQUIRE(::lchown(pol.c_str(), 3000000, 3000000) == 0);
        REQUIRE(::lchown(inf.c_str(), 3000001, 3000001) == 0);
    }
    REQUIRE(::chmod(inf.c_str(), 0640) == 0);
    REQUIRE(::chmod(pol.c_str(), 0604) == 0);
    set_mtime(inf, 1000000000);
    const auto inf_before = stat_of(inf);
    const auto pol_before = stat_of(pol);

    REQUIRE(set_value(test::open(dir), 1));

    // The edited files keep what they carried; the untouched one keeps its time too.
    CHECK(get_attr(pol, "user.gpokit.test") == "pol");
    CHECK(get_attr(xml, "user.gpokit.test") == "xml");
    CHECK(get_attr(inf, "user.gpokit.test") == "inf");
    CHECK(get_attr(machine, "user.gpokit.test") == "folder");
    CHECK((stat_of(pol).st_mode & 07777) == 0604);
    CHECK((stat_of(inf).st_mode & 07777) == 0640);
    CHECK(stat_of(inf).st_mtim.tv_sec == inf_before.st_mtim.tv_sec);
    CHECK(stat_of(pol).st_uid == pol_before.st_uid);
    CHECK(stat_of(inf).st_uid == inf_before.st_uid);
    if (root) {
        CHECK(get_attr(pol, "security.NTACL") == "acl-of-registry.pol");
        CHECK(get_attr(inf, "security.NTACL") == "acl-of-GptTmpl.inf");
        CHECK(stat_of(pol).st_uid == 3000000u);
        CHECK(stat_of(inf).st_gid == 3000001u);
    }
    // The edit happened.
    CHECK(test::open(dir).gpo().machine.version.sysvol == 4);
}

TEST_CASE("pol set on a single file keeps its extended attributes, owner and permissions")
{
    test::TempDir tmp;
    const fs::path file = tmp.path() / "registry.pol";
    test::write_bytes(file, test::PolBytes().dword("K", "A", 1).bytes());
    if (!set_attr(file, "user.gpokit.test", "kept")) {
        WARN("SKIPPED: this filesystem takes no user.* extended attributes");
        return;
    }
    REQUIRE(::chmod(file.c_str(), 0600) == 0);
    if (::geteuid() == 0) {
        REQUIRE(set_attr(file, "security.NTACL", "acl"));
        REQUIRE(::lchown(file.c_str(), 3000002, 3000002) == 0);
    }
    gpo::OpenOptions edit;
    edit.for_edit = true;
    REQUIRE(set_value(test::open(file, edit), 7));
    CHECK(get_attr(file, "user.gpokit.test") == "kept");
    CHECK((stat_of(file).st_mode & 07777) == 0600);
    if (::geteuid() == 0) {
        CHECK(get_attr(file, "security.NTACL") == "acl");
        CHECK(stat_of(file).st_uid == 3000002u);
    }
    CHECK(util::read_file(file) != test::PolBytes().dword("K", "A", 1).bytes());
}

TEST_CASE("an edit planned on a GPO that changed before it was committed is refused, nothing written")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / "backups" / k_backup_id;
    test::writable_copy(test::fixtures_dir() / "ddp/backup" / k_backup_id, dir);
    const auto first = test::open(dir);
    const auto second = test::open(dir); // read before the first edit lands
    const auto plan = gpo::plan_edit(second, pol::Side::machine, [](pol::PolFile& f) {
        return pol::set_value(f, u"Software\\Policies\\gpokit", u"Second", 4, test::le32(2));
    });
    REQUIRE(set_value(first, 1));
    const auto landed = util::read_file(dir / "DomainSysvol/GPO/Machine/registry.pol");
    CHECK_THROWS_AS(gpo::commit(second, plan), util::ConflictError);
    CHECK_THROWS_WITH(gpo::commit(second, plan), Catch::Contains("changed since gpokit read it"));
    CHECK(util::read_file(dir / "DomainSysvol/GPO/Machine/registry.pol") == landed);
    // Read again, the second edit lands on top of the first.
    CHECK(set_value(test::open(dir), 2));
    const auto both = test::open(dir).registry(pol::Side::machine);
    std::size_t ours = 0;
    for (const auto& r : both.records)
        ours += r.key_utf8() == "Software\\Policies\\gpokit" ? 1u : 0u;
    CHECK(ours == 1); // one value V, set twice: the second edit saw the first
}
