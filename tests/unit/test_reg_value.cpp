// Typed data: a typed form only when it encodes back to the same bytes.
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;

TEST_CASE("strings decode without their NUL and encode with exactly one")
{
    const util::Bytes data = test::sz_data("negotiate");
    CHECK(data.size() == 20);
    const auto v = pol::decode(pol::k_reg_sz, data);
    REQUIRE(std::holds_alternative<std::string>(v));
    CHECK(std::get<std::string>(v) == "negotiate");
    CHECK(pol::encode(pol::k_reg_sz, v) == data);
    CHECK(pol::encode_text(pol::k_reg_sz, {""}).size() == 2);
}

TEST_CASE("malformed data stays raw")
{
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_sz, test::u16("abc"))));           // no NUL
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_sz, test::sz_data(std::string("a\0", 2)))));
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_dword, util::Bytes(3))));
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_qword, util::Bytes(4))));
    util::Bytes lone = {std::byte{0x00}, std::byte{0xd8}, std::byte{0}, std::byte{0}}; // lone high surrogate
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_sz, lone)));
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(42, util::Bytes(4))));
}

TEST_CASE("numbers: DWORD little-endian DWORD_BIG_ENDIAN QWORD")
{
    const util::Bytes le = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
    CHECK(std::get<std::uint64_t>(pol::decode(pol::k_reg_dword, le)) == 0x04030201u);
    CHECK(std::get<std::uint64_t>(pol::decode(pol::k_reg_dword_big_endian, le)) == 0x01020304u);
    CHECK(pol::encode_text(pol::k_reg_dword, {"0x04030201"}) == le);
    CHECK(pol::encode_text(pol::k_reg_dword_big_endian, {"16909060"}) == le);
    CHECK(pol::encode_text(pol::k_reg_qword, {"18446744073709551615"}) == util::Bytes(8, std::byte{0xff}));
    CHECK_THROWS_WITH(pol::encode_text(pol::k_reg_dword, {"4294967296"}), Catch::Contains("not a number"));
    CHECK_THROWS(pol::encode_text(pol::k_reg_dword, {"-1"}));
    CHECK_THROWS(pol::encode_text(pol::k_reg_dword, {"12abc"}));
}

TEST_CASE("MULTI_SZ: each string NUL-terminated plus one extra NUL")
{
    const util::Bytes data = pol::encode_text(pol::k_reg_multi_sz, {"ab", "c"});
    util::Bytes expected = test::sz_data("ab");
    const util::Bytes c = test::sz_data("c");
    expected.insert(expected.end(), c.begin(), c.end());
    expected.push_back(std::byte{0});
    expected.push_back(std::byte{0});
    CHECK(data == expected);
    const auto v = pol::decode(pol::k_reg_multi_sz, data);
    CHECK(std::get<pol::Strings>(v) == pol::Strings{"ab", "c"});
    CHECK(std::get<pol::Strings>(pol::decode(pol::k_reg_multi_sz, pol::encode_text(pol::k_reg_multi_sz, {}))).empty());
    // missing the final NUL: raw
    CHECK(std::holds_alternative<pol::RawData>(pol::decode(pol::k_reg_multi_sz, test::sz_data("ab"))));
}

TEST_CASE("binary data from hex with separators")
{
    CHECK(pol::encode_text(pol::k_reg_binary, {"01 02:ff,A0"}) ==
          util::Bytes{std::byte{1}, std::byte{2}, std::byte{0xff}, std::byte{0xa0}});
    CHECK_THROWS_WITH(pol::encode_text(pol::k_reg_binary, {"0g"}), Catch::Contains("hex"));
    CHECK_THROWS(pol::encode_text(pol::k_reg_binary, {"abc"}));
}

TEST_CASE("type names both ways")
{
    CHECK(pol::type_name(4) == "REG_DWORD");
    CHECK(pol::type_name(99) == "REG_TYPE_99");
    CHECK(pol::parse_type_name("dword_be") == pol::k_reg_dword_big_endian);
    CHECK(pol::parse_type_name("REG_MULTI_SZ") == pol::k_reg_multi_sz);
    CHECK(pol::parse_type_name("REG_TYPE_99") == 99u);
    CHECK_FALSE(pol::parse_type_name("string").has_value());
}
