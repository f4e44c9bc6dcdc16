// Edits keep Windows' conventions and touch nothing else. Expected files are built
// by hand with PolBytes, record by record.
#include "pol/effective.hpp"
#include "pol/pol_edit.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;
using test::PolBytes;

namespace {

const util::Bytes k_placeholder = test::sz_data(" ");

pol::PolFile parse(const PolBytes& b)
{
    return pol::PolFile::parse(b.bytes(), "t.pol");
}

util::Bytes dw(std::uint32_t v)
{
    return test::le32(v);
}

} // namespace

TEST_CASE("set: a new value goes at the end of its key group in the file spelling of the key")
{
    PolBytes b;
    b.dword("A", "X", 1).dword("B", "X", 1).dword("B", "Y", 2).dword("C", "X", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"b", u"Z", 4, dw(3)));
    PolBytes expected;
    expected.dword("A", "X", 1).dword("B", "X", 1).dword("B", "Y", 2).dword("B", "Z", 3).dword("C", "X", 1);
    CHECK(f.serialize() == expected.bytes());
}

TEST_CASE("set: a new key goes at its sorted place component-wise")
{
    PolBytes b;
    b.dword("Software\\A", "V", 1).dword("Software\\A B", "V", 1).dword("Software\\C", "V", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"Software\\A\\Sub", u"V", 4, dw(9)));
    CHECK(pol::set_value(f, u"Software\\B", u"V", 4, dw(8)));
    CHECK(pol::set_value(f, u"Zeta", u"V", 4, dw(7)));
    PolBytes expected;
    expected.dword("Software\\A", "V", 1)
        .dword("Software\\A\\Sub", "V", 9)
        .dword("Software\\A B", "V", 1)
        .dword("Software\\B", "V", 8)
        .dword("Software\\C", "V", 1)
        .dword("Zeta", "V", 7);
    CHECK(f.serialize() == expected.bytes());
}

TEST_CASE("set: an existing value is replaced in place keeping the file's spelling")
{
    PolBytes b;
    b.dword("Key", "Value", 1).dword("Key", "Other", 2);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"KEY", u"VALUE", 1, test::sz_data("text")));
    PolBytes expected;
    expected.sz("Key", "Value", "text").dword("Key", "Other", 2);
    CHECK(f.serialize() == expected.bytes());
}

TEST_CASE("set: an earlier **del. of the value is dropped")
{
    PolBytes b;
    b.record("K", "**del.V", 1, k_placeholder).dword("K", "W", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"K", u"V", 4, dw(5)));
    PolBytes expected;
    expected.dword("K", "W", 1).dword("K", "V", 5);
    CHECK(f.serialize() == expected.bytes());
}

TEST_CASE("set: no change no write")
{
    PolBytes b;
    b.dword("K", "V", 5);
    auto f = parse(b);
    CHECK_FALSE(pol::set_value(f, u"k", u"v", 4, dw(5)));
    CHECK(f.serialize() == b.bytes());
    CHECK(pol::set_value(f, u"K", u"V", 4, dw(6)));
}

TEST_CASE("set: a value a later **delvals. would delete is appended after it")
{
    PolBytes b;
    b.dword("K", "V", 1).record("K", "**delvals.", 1, k_placeholder);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"K", u"V", 4, dw(2)));
    const auto s = pol::apply(f);
    REQUIRE(s.find(u"K", u"V") != nullptr);
    CHECK(util::load_u32le(s.find(u"K", u"V")->data.data()) == 2);
}

TEST_CASE("set: hive prefixes and directive names are refused")
{
    pol::PolFile f;
    CHECK_THROWS_WITH(pol::set_value(f, u"HKLM\\Software\\X", u"V", 4, dw(1)), Catch::Contains("hive"));
    CHECK_THROWS_WITH(pol::set_value(f, u"HKEY_LOCAL_MACHINE\\Software", u"V", 4, dw(1)), Catch::Contains("hive"));
    CHECK_THROWS_WITH(pol::set_value(f, u"HKCU:\\Software", u"V", 4, dw(1)), Catch::Contains("hive"));
    CHECK_THROWS_WITH(pol::set_value(f, u"Software\\\\X", u"V", 4, dw(1)), Catch::Contains("empty component"));
    CHECK_THROWS_WITH(pol::set_value(f, u"Software\\X", u"**del.V", 4, dw(1)), Catch::Contains("directive"));
    CHECK(f.records.empty());
}

TEST_CASE("disable: **del. takes the place of the value")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("K", "V", 2).dword("K", "B", 3);
    auto f = parse(b);
    CHECK(pol::disable_value(f, u"K", u"V"));
    PolBytes expected;
    expected.dword("K", "A", 1).record("K", "**del.V", 1, k_placeholder).dword("K", "B", 3);
    CHECK(f.serialize() == expected.bytes());
    CHECK_FALSE(pol::disable_value(f, u"K", u"V"));
}

TEST_CASE("disable: a value not in the file gets **del. at the end of its group")
{
    PolBytes b;
    b.dword("K", "A", 1).dword("L", "A", 1);
    auto f = parse(b);
    CHECK(pol::disable_value(f, u"K", u"V"));
    PolBytes expected;
    expected.dword("K", "A", 1).record("K", "**del.V", 1, k_placeholder).dword("L", "A", 1);
    CHECK(f.serialize() == expected.bytes());
}

TEST_CASE("clear-key: **delvals. goes first in the key's group once")
{
    PolBytes b;
    b.dword("A", "X", 1).sz("K", "1", "one").sz("K", "2", "two");
    auto f = parse(b);
    CHECK(pol::clear_key(f, u"K"));
    PolBytes expected;
    expected.dword("A", "X", 1).record("K", "**delvals.", 1, k_placeholder).sz("K", "1", "one").sz("K", "2", "two");
    CHECK(f.serialize() == expected.bytes());
    CHECK_FALSE(pol::clear_key(f, u"K"));
}

TEST_CASE("delete: a value's records or a key with its subkeys")
{
    PolBytes b;
    b.dword("K", "V", 1).record("K", "**del.V", 1, k_placeholder).dword("K", "W", 2);
    b.dword("K\\Sub", "X", 3).dword("KX", "Y", 4);
    auto f = parse(b);
    CHECK(pol::delete_value(f, u"K", u"v"));
    PolBytes after_value;
    after_value.dword("K", "W", 2).dword("K\\Sub", "X", 3).dword("KX", "Y", 4);
    CHECK(f.serialize() == after_value.bytes());
    CHECK_FALSE(pol::delete_value(f, u"K", u"V"));
    CHECK(pol::delete_key(f, u"k"));
    PolBytes after_key;
    after_key.dword("KX", "Y", 4);
    CHECK(f.serialize() == after_key.bytes());
}

TEST_CASE("edits leave every untouched record's bytes as they were")
{
    PolBytes b;
    const util::Bytes odd = {std::byte{9}, std::byte{8}, std::byte{7}};
    b.record("A", "Blob", 3, odd).record("A", "Bad", 4, odd).dword("Z", "V", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"M", u"New", 4, dw(1)));
    PolBytes expected;
    expected.record("A", "Blob", 3, odd).record("A", "Bad", 4, odd).dword("M", "New", 1).dword("Z", "V", 1);
    CHECK(f.serialize() == expected.bytes());
}
