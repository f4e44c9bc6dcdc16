// The effective state: records applied in order as a Windows client applies them.
#include "pol/effective.hpp"
#include "support/pol_bytes.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;
using test::PolBytes;

namespace {

pol::EffectiveState state_of(const PolBytes& b, pol::PolFile& keep)
{
    keep = pol::PolFile::parse(b.bytes(), "t.pol");
    return pol::apply(keep);
}

std::uint32_t dword_of(const pol::EffectiveValue* v)
{
    REQUIRE(v != nullptr);
    REQUIRE(v->data.size() == 4);
    return util::load_u32le(v->data.data());
}

const util::Bytes k_placeholder = test::sz_data(" ");

} // namespace

TEST_CASE("the last write wins case-insensitively keeping the later spelling")
{
    PolBytes b;
    b.dword("Software\\A", "Value", 1).dword("SOFTWARE\\a", "VALUE", 2);
    pol::PolFile f;
    const auto s = state_of(b, f);
    REQUIRE(s.keys.size() == 1);
    CHECK(util::u16_to_utf8_lossy(s.keys[0].name) == "SOFTWARE\\a");
    REQUIRE(s.keys[0].values.size() == 1);
    CHECK(util::u16_to_utf8_lossy(s.keys[0].values[0].name) == "VALUE");
    CHECK(dword_of(s.find(u"software\\A", u"value")) == 2);
    CHECK(s.keys[0].values[0].record == 1);
}

TEST_CASE("**del. deletes one value - its type and data do not matter")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("K", "B", 2).record("K", "**del.a", 1, k_placeholder);
    b.dword("K", "C", 3).record("K", "**Del.C", 4, test::le32(32)); // other tools write DWORD 32
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(s.find(u"K", u"A") == nullptr);
    CHECK(s.find(u"K", u"C") == nullptr);
    CHECK(dword_of(s.find(u"K", u"B")) == 2);
}

TEST_CASE("**delvals. deletes the key's values before the list that follows")
{
    PolBytes b;
    b.dword("K", "Old", 1).dword("K\\Sub", "Kept", 5).record("K", "**delvals.", 1, k_placeholder).sz("K", "1", "new");
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(s.find(u"K", u"Old") == nullptr);
    CHECK(s.find(u"K", u"1") != nullptr);
    CHECK(dword_of(s.find(u"K\\Sub", u"Kept")) == 5);
}

TEST_CASE("**DeleteValues deletes the semicolon-separated names")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("K", "B", 2).dword("K", "C", 3).sz("K", "**DeleteValues", "A; c");
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(s.find(u"K", u"A") == nullptr);
    CHECK(s.find(u"K", u"C") == nullptr);
    CHECK(s.find(u"K", u"B") != nullptr);
}

TEST_CASE("**DeleteKeys deletes the named subkeys and everything below them")
{
    PolBytes b;
    b.dword("K\\NoRun", "V", 1).dword("K\\NoRun\\Deep", "V", 1).dword("K\\NoRunX", "V", 1).dword("K\\NoFind", "V", 1);
    b.sz("K", "**DeleteKeys", "NoRun;NoFind");
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(s.find(u"K\\NoRun", u"V") == nullptr);
    CHECK(s.find(u"K\\NoRun\\Deep", u"V") == nullptr);
    CHECK(s.find(u"K\\NoFind", u"V") == nullptr);
    CHECK(s.find(u"K\\NoRunX", u"V") != nullptr);
}

TEST_CASE("**soft. sets a value only if it does not exist yet")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("K", "**soft.A", 9).dword("K", "**soft.B", 8);
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(dword_of(s.find(u"K", u"A")) == 1);
    CHECK(dword_of(s.find(u"K", u"B")) == 8);
}

TEST_CASE("**SecureKey changes the ACL only - key-creation records add no value")
{
    PolBytes b;
    b.dword("K", "**SecureKey", 1).record("K2", "", 0, {}).record("K3", "**SecureKey=0", 0, {});
    pol::PolFile f;
    const auto s = state_of(b, f);
    CHECK(s.value_count() == 0);
    REQUIRE(s.keys.size() == 3);
    CHECK(s.keys[0].secured == true);
    CHECK_FALSE(s.keys[1].secured.has_value());
    CHECK(s.keys[2].secured == false);
}

TEST_CASE("unknown ** names are never ordinary values")
{
    PolBytes b;
    b.dword("K", "**Bogus", 1);
    pol::PolFile f;
    CHECK(state_of(b, f).value_count() == 0);
}

TEST_CASE("the default value (empty name) is a value like any other")
{
    PolBytes b;
    b.sz("K", "", "default text");
    pol::PolFile f;
    const auto s = state_of(b, f);
    REQUIRE(s.find(u"K", u"") != nullptr);
}

TEST_CASE("keys are listed in component-wise sorted order")
{
    PolBytes b;
    b.dword("A B", "V", 1).dword("A\\B", "V", 1).dword("a", "V", 1);
    pol::PolFile f;
    const auto s = state_of(b, f);
    REQUIRE(s.keys.size() == 3);
    CHECK(util::u16_to_utf8_lossy(s.keys[0].name) == "a");
    CHECK(util::u16_to_utf8_lossy(s.keys[1].name) == "A\\B");
    CHECK(util::u16_to_utf8_lossy(s.keys[2].name) == "A B");
}

TEST_CASE("to_pol writes the effective state each value once")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("K", "A", 2).record("K", "**del.B", 1, k_placeholder);
    pol::PolFile f;
    const auto s = state_of(b, f);
    const auto normal = pol::to_pol(s, "n.pol");
    PolBytes expected;
    expected.dword("K", "A", 2);
    CHECK(normal.serialize() == expected.bytes());
}
