// Whole-file reads and atomic replacement.
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <string>

#include <sys/resource.h>
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
    // Neither failure below depends on permission bits, which root ignores: the test
    // suite runs as root too.
    test::TempDir dir;
    const auto path = dir.path() / "registry.pol";
    const util::Bytes original(util::as_bytes("original").begin(), util::as_bytes("original").end());
    test::write_bytes(path, original);

    SECTION("the write itself fails half way (the file size limit, which binds root as well)")
    {
        struct rlimit saved {};
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
        const auto saved_sigxfsz = std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG
        struct rlimit small = saved;
        small.rlim_cur = 4; // "new contents" is 12 bytes: 4 are written, then the write fails
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        std::string error;
        try {
            util::write_file_atomic(path, util::as_bytes("new contents"));
        } catch (const util::Error& e) {
            error = e.what();
        }
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, saved_sigxfsz);
        CHECK_THAT(error, Catch::StartsWith(path.generic_string() + ": "));
        CHECK_THAT(error, Catch::Contains("too large"));
        CHECK(util::read_file(path) == original);
        CHECK(entries(dir.path()) == 1); // the temporary file is gone
    }

    SECTION("the folder to write into is a regular file (ENOTDIR)")
    {
        const auto inside = path / "registry.pol";
        CHECK_THROWS_WITH(util::write_file_atomic(inside, util::as_bytes("new")),
                          Catch::StartsWith(inside.generic_string() + ": ") && Catch::Contains("Not a directory"));
        CHECK(util::read_file(path) == original);
        CHECK(entries(dir.path()) == 1);
    }

    SECTION("a directory in the way is refused")
    {
        std::filesystem::create_directory(dir.path() / "sub");
        CHECK_THROWS_WITH(util::write_file_atomic(dir.path() / "sub", util::as_bytes("x")),
                          Catch::Contains("directory"));
        CHECK(util::read_file(path) == original);
        CHECK(entries(dir.path()) == 2);
    }
}

TEST_CASE("reading names the file in every error")
{
    CHECK_THROWS_WITH(util::read_file("/nonexistent/registry.pol"),
                      Catch::StartsWith("/nonexistent/registry.pol: cannot open"));
    test::TempDir dir;
    CHECK_THROWS_WITH(util::read_file(dir.path()), Catch::Contains("is a directory"));
}
