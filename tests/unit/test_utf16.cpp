// UTF-16 conversions, Windows-style case folding and key path order.
#include "pol/key_path.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;

TEST_CASE("UTF-8 to UTF-16LE and back, surrogate pairs included")
{
    const std::string text = "Zürich \xe2\x82\xac \xf0\x9f\x94\x91"; // ü, €, 🔑 (a surrogate pair)
    const util::Bytes u16 = util::utf8_to_utf16le(text);
    CHECK(u16.size() == 2 * (7 + 2 + 2));
    CHECK(util::utf16le_to_utf8(u16) == text);
    CHECK_THROWS_WITH(util::utf8_to_utf16le("\xc3"), Catch::Contains("invalid UTF-8"));
    CHECK_THROWS(util::utf8_to_utf16le("\xed\xa0\x80")); // an encoded surrogate
    const util::Bytes lone = {std::byte{0x3d}, std::byte{0xd8}};
    CHECK_FALSE(util::utf16le_to_utf8(lone).has_value());
    CHECK(util::utf16le_to_utf8_lossy(lone) == "\xef\xbf\xbd");
}

TEST_CASE("valid_utf8_prefix stops at the first byte that is not UTF-8")
{
    CHECK(util::valid_utf8_prefix("") == 0);
    CHECK(util::valid_utf8_prefix("G\xC3\xA4st \xF0\x9F\x98\x80") == 10);
    CHECK(util::valid_utf8_prefix("G\xC3\xA4st\xFF") == 5);
    CHECK(util::valid_utf8_prefix("ab\xED\xA0\x80") == 2);  // an encoded surrogate
    CHECK(util::valid_utf8_prefix("ab\xC0\xAF") == 2);      // overlong '/'
    CHECK(util::valid_utf8_prefix("ab\xE2\x82") == 2);      // cut off
}

TEST_CASE("names compare case-insensitively beyond ASCII")
{
    CHECK(util::iequals(u"Software\\Policies", u"SOFTWARE\\policies"));
    CHECK(util::iequals(u"Zürich", u"ZÜRICH"));
    CHECK(util::iequals(u"Москва", u"МОСКВА"));
    CHECK_FALSE(util::iequals(u"a", u"b"));
}

TEST_CASE("key paths sort component by component")
{
    CHECK(util::compare_key_paths(u"A\\B", u"A B") < 0);
    CHECK(util::compare_key_paths(u"a", u"A") == 0);
    CHECK(util::compare_key_paths(u"A", u"A\\B") < 0);
    CHECK(util::compare_key_paths(u"Software\\Z", u"SOFTWARE\\a") > 0);
}

TEST_CASE("hive prefixes are recognised in their written forms")
{
    for (const auto* key : {u"HKLM\\Software", u"hklm:\\Software", u"HKEY_CURRENT_USER\\X", u"HKCU",
                            u"Registry::HKEY_LOCAL_MACHINE\\Software"})
        CHECK(pol::hive_prefix(key).has_value());
    for (const auto* key : {u"Software\\HKLM", u"HKLMX\\Software", u"Software\\Policies"})
        CHECK_FALSE(pol::hive_prefix(key).has_value());
    CHECK(pol::key_problem(u"\\Software").has_value());
    CHECK(pol::key_problem(u"Software\\").has_value());
    CHECK_FALSE(pol::key_problem(u"Software\\Policies\\X").has_value());
}

TEST_CASE("the JSON writer escapes what JSON requires and nests correctly")
{
    std::ostringstream out;
    {
        util::JsonWriter json(out, 0);
        json.begin_object();
        json.key("s");
        json.value(std::string_view("q\"b\\n\n\x01"));
        json.key("list");
        json.begin_array();
        json.value(std::uint64_t{18446744073709551615u});
        json.value(true);
        json.null();
        json.end_array();
        json.key("empty");
        json.begin_object();
        json.end_object();
        json.end_object();
    }
    CHECK(out.str() == R"({"s":"q\"b\\n\n\u0001","list":[18446744073709551615,true,null],"empty":{}})");
}
