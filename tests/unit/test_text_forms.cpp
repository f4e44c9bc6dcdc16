// JSON in and out: gpokit's own shape round-trips every record; samba-tool's list
// is read as samba-tool writes it.
#include "pol/reg_value.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace gpokit;
using test::PolBytes;

namespace {

pol::TextInput text_input(const std::string& s, const char* origin = "in.json")
{
    return {util::Bytes(reinterpret_cast<const std::byte*>(s.data()),
                        reinterpret_cast<const std::byte*>(s.data()) + s.size()),
            origin};
}

std::string json_of(const PolBytes& b, bool lenient = false)
{
    const auto f = pol::PolFile::parse(b.bytes(), "t.pol", pol::ReadOptions{lenient});
    std::ostringstream out;
    render::records_json(f, out);
    return out.str();
}

} // namespace

TEST_CASE("records JSON has the documented shape")
{
    PolBytes b;
    b.dword("K", "D", 7).sz("K", "S", "text").record("K", "M", 7, pol::encode_text(7, {"a", "b"}));
    b.record("K", "B", 3, util::Bytes{std::byte{0xde}, std::byte{0xad}}).record("K", "Bad", 4, util::Bytes(2));
    const auto doc = nlohmann::json::parse(json_of(b));
    CHECK(doc["file"] == "t.pol");
    const auto& r = doc["records"];
    REQUIRE(r.size() == 5);
    CHECK(r[0]["offset"] == 8);
    CHECK(r[0]["key"] == "K");
    CHECK(r[0]["value"] == "D");
    CHECK(r[0]["type"] == "REG_DWORD");
    CHECK(r[0]["size"] == 4);
    CHECK(r[0]["data"] == 7);
    CHECK(r[1]["data"] == "text");
    CHECK(r[1]["size"] == 10);
    CHECK(r[2]["data"] == nlohmann::json::array({"a", "b"}));
    CHECK(r[3]["data"] == "dead");
    CHECK_FALSE(r[3].contains("raw"));
    CHECK(r[4]["data"] == "0000");
    CHECK(r[4]["raw"] == true);
}

TEST_CASE("gpokit JSON builds the same bytes back trailing bytes and odd names included")
{
    PolBytes b;
    util::Bytes lone_key = test::u16("K");
    lone_key.push_back(std::byte{0x00});
    lone_key.push_back(std::byte{0xdc}); // lone low surrogate in the key
    b.raw_u16(u'[').raw(lone_key).raw_u16(0).raw_u16(u';').raw(test::u16("V")).raw_u16(0).raw_u16(u';');
    b.raw_u32(4).raw_u16(u';').raw_u32(4).raw_u16(u';').raw(test::le32(1)).raw_u16(u']');
    b.sz("K", "Quote\"Back\\slash", "tab\there\nnewline").record("K", "E", 1, test::u16("no nul"));
    b.raw(util::Bytes{std::byte{1}, std::byte{2}, std::byte{3}});
    const std::string json = json_of(b, true);
    CHECK(nlohmann::json::parse(json)["records"][0].contains("key_hex"));
    const auto rebuilt = pol::build_from_text(text_input(json), std::nullopt);
    CHECK(rebuilt.serialize() == b.bytes());
}

TEST_CASE("effective JSON builds a normalised file")
{
    const std::string json = R"({"effective": [{"key": "K", "value": "V", "type": "REG_DWORD", "data": 5}]})";
    CHECK(pol::build_from_text(text_input(json), std::nullopt).serialize() == PolBytes().dword("K", "V", 5).bytes());
}

TEST_CASE("samba-tool JSON: type names or numbers sides by class")
{
    const std::string json = R"([
      {"keyname": "Software\\A", "valuename": "D", "class": "MACHINE", "type": 4, "data": 1},
      {"keyname": "Software\\A", "valuename": "S", "class": "MACHINE", "type": "REG_SZ", "data": "x"},
      {"keyname": "Software\\A", "valuename": "B", "class": "MACHINE", "type": 3, "data": [1, 255]},
      {"keyname": "Software\\U", "valuename": "M", "class": "USER", "type": "REG_MULTI_SZ", "data": ["a", "b"]}
    ])";
    CHECK_THROWS_WITH(pol::build_from_text(text_input(json), std::nullopt), Catch::Contains("--side"));
    PolBytes machine;
    machine.dword("Software\\A", "D", 1).sz("Software\\A", "S", "x")
        .record("Software\\A", "B", 3, util::Bytes{std::byte{1}, std::byte{255}});
    CHECK(pol::build_from_text(text_input(json), pol::Side::machine).serialize() == machine.bytes());
    PolBytes user;
    user.record("Software\\U", "M", 7, pol::encode_text(7, {"a", "b"}));
    CHECK(pol::build_from_text(text_input(json), pol::Side::user).serialize() == user.bytes());
}

TEST_CASE("JSON errors name the position or the entry")
{
    CHECK_THROWS_WITH(pol::build_from_text(text_input("{\"records\": [\n  {\"key\": }\n]}"), std::nullopt),
                      Catch::Contains("in.json:2:"));
    CHECK_THROWS_WITH(pol::build_from_text(text_input(R"({"records": [{"key": "K", "type": 4, "data": 1}]})"),
                                           std::nullopt),
                      Catch::Contains("records[0]") && Catch::Contains("\"value\""));
    CHECK_THROWS_WITH(
        pol::build_from_text(text_input(R"({"records": [{"key": "K", "value": "V", "type": 4, "data": "x"}]})"),
                             std::nullopt),
        Catch::Contains("REG_DWORD data must be"));
    CHECK_THROWS_WITH(pol::build_from_text(
                          text_input(R"({"records": [{"key": "K", "value": "V", "type": 4, "data": 4294967296}]})"),
                          std::nullopt),
                      Catch::Contains("0 to 4294967295"));
}
