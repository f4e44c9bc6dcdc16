// Whole-file reads and atomic replacement.
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace gpokit;

namespace {

std::size_t entries(const std::filesystem::path& dir)
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST_CASE("atomic write replaces the file, keeps its permission bits and leaves no temporary file")
{
    test::TempDir dir;
    const auto path = dir.path() / "registry.pol";
    test::write_bytes(path, util::as_bytes("old"));
    ::chmod(path.c_str(), 0640);
    util::write_file_atomic(path, util::as_bytes("new contents"));
    CHECK(util::read_file(path) == util::Bytes(util::as_bytes("new contents").begin(), util::as_bytes("new contents").end()));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a failed write leaves the original untouched")
{
    test::TempDir dir;
    const auto path = dir.path() / "registry.pol";
    test::write_bytes(path, util::as_bytes("original"));
    ::chmod(dir.path().c_str(), 0500); // no new file can be created in the folder
    const bool as_root = ::geteuid() == 0; // root ignores the permission bits
    if (!as_root)
        CHECK_THROWS_WITH(util::write_file_atomic(path, util::as_bytes("new")), Catch::Contains("registry.pol"));
    ::chmod(dir.path().c_str(), 0700);
    if (!as_root)
        CHECK(util::read_file(path) == util::Bytes(util::as_bytes("original").begin(), util::as_bytes("original").end()));
    // A directory in the way is refused whoever runs the test.
    std::filesystem::create_directory(dir.path() / "sub");
    CHECK_THROWS_WITH(util::write_file_atomic(dir.path() / "sub", util::as_bytes("x")), Catch::Contains("directory"));
    CHECK(entries(dir.path()) == 2);
}

TEST_CASE("reading names the file in every error")
{
    CHECK_THROWS_WITH(util::read_file("/nonexistent/registry.pol"),
                      Catch::StartsWith("/nonexistent/registry.pol: cannot open"));
    test::TempDir dir;
    CHECK_THROWS_WITH(util::read_file(dir.path()), Catch::Contains("is a directory"));
}
