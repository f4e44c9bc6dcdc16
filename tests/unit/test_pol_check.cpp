// Lint findings, each tied to its record and offset.
#include "pol/pol_check.hpp"
#include "support/pol_bytes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace gpokit;
using test::PolBytes;

namespace {

std::vector<std::string> codes(const PolBytes& b, bool lenient = false)
{
    const auto f = pol::PolFile::parse(b.bytes(), "t.pol", pol::ReadOptions{lenient});
    std::vector<std::string> out;
    for (const auto& finding : pol::check(f))
        out.push_back(finding.code);
    return out;
}

} // namespace

TEST_CASE("a clean file has no findings")
{
    PolBytes b;
    b.dword("Software\\Policies\\X", "A", 1).sz("Software\\Policies\\X", "B", "b")
        .record("Software\\Policies\\X", "**del.C", 1, test::sz_data(" "));
    CHECK(codes(b).empty());
}

TEST_CASE("each rule finds its problem")
{
    using V = std::vector<std::string>;
    CHECK(codes(PolBytes().dword("HKLM\\Software\\X", "A", 1)) == V{"hive-prefix"});
    CHECK(codes(PolBytes().record("K", "A", 4, util::Bytes(3))) == V{"type-size"});
    CHECK(codes(PolBytes().record("K", "A", 11, util::Bytes(4))) == V{"type-size"});
    CHECK(codes(PolBytes().record("K", "A", 1, test::u16("abc"))) == V{"string-nul"});
    CHECK(codes(PolBytes().record("K", "A", 2, util::Bytes(3))) == V{"string-nul"});
    CHECK(codes(PolBytes().record("K", "A", 1, test::sz_data(std::string("a\0", 2)))) == V{"string-nul"});
    CHECK(codes(PolBytes().record("K", "A", 7, test::sz_data("x"))) == V{"multi-sz"});
    CHECK(codes(PolBytes().dword("K", "A", 1).dword("k", "a", 2)) == V{"duplicate"});
    CHECK(codes(PolBytes().record("K", "A", 3, util::Bytes(70000))) == V{"too-large"});
    CHECK(codes(PolBytes().dword("K", "**Bogus", 1)) == V{"unknown-directive"});
    CHECK(codes(PolBytes().dword("K", "A", 1).raw(util::Bytes(3)), true) == V{"trailing-bytes"});
}

TEST_CASE("a value set again after its deletion is no duplicate")
{
    PolBytes b;
    b.dword("K", "A", 1).record("K", "**delvals.", 1, test::sz_data(" ")).dword("K", "A", 2);
    b.dword("L", "B", 1).record("L", "**del.B", 1, test::sz_data(" ")).dword("L", "B", 2);
    CHECK(codes(b).empty());
}

TEST_CASE("findings carry the record's number and offset")
{
    PolBytes b;
    b.dword("K", "A", 1);
    const std::size_t second = b.size();
    b.record("K", "B", 4, util::Bytes(2));
    const auto f = pol::PolFile::parse(b.bytes(), "t.pol");
    const auto findings = pol::check(f);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].record == 2);
    CHECK(findings[0].offset == second);
}
