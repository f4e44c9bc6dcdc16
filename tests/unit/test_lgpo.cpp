// LGPO text: LGPO's own actions where they reproduce the bytes, gpokit's
// extensions otherwise; every record reads back to the same bytes.
#include "pol/lgpo.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;
using test::PolBytes;

namespace {

pol::LgpoLines lines_of(const PolBytes& b)
{
    const auto f = pol::PolFile::parse(b.bytes(), "t.pol");
    REQUIRE(f.records.size() == 1);
    return pol::to_lgpo(f.records[0]);
}

util::Bytes round_trip(const PolBytes& b, pol::Side side = pol::Side::machine)
{
    const auto f = pol::PolFile::parse(b.bytes(), "t.pol");
    std::ostringstream text;
    render::records_lgpo(f, side, text);
    const std::string s = text.str();
    pol::TextInput input{util::Bytes(reinterpret_cast<const std::byte*>(s.data()),
                                     reinterpret_cast<const std::byte*>(s.data()) + s.size()),
                         "t.txt"};
    return pol::read_lgpo_text(input, std::nullopt).serialize();
}

} // namespace

TEST_CASE("LGPO's own actions")
{
    CHECK(lines_of(PolBytes().dword("K", "V", 42)).action == "DWORD:42");
    CHECK(lines_of(PolBytes().sz("K", "V", "C:\\Windows")).action == "SZ:C:\\\\Windows");
    CHECK(lines_of(PolBytes().sz("K", "V", "%SystemRoot%", 2)).action == "EXSZ:%SystemRoot%");
    const auto del = lines_of(PolBytes().record("K", "**del.V", 1, test::sz_data(" ")));
    CHECK(del.value_name == "V");
    CHECK(del.action == "DELETE");
    const auto delvals = lines_of(PolBytes().record("K", "**delvals.", 1, test::sz_data(" ")));
    CHECK(delvals.value_name == "*");
    CHECK(delvals.action == "DELETEALLVALUES");
    const auto create = lines_of(PolBytes().record("K", "", 0, {}));
    CHECK(create.value_name == "*");
    CHECK(create.action == "CREATEKEY");
}

TEST_CASE("gpokit's extensions for what LGPO cannot say")
{
    util::Bytes multi = test::sz_data("a\\0");
    const util::Bytes b2 = test::sz_data("b");
    multi.insert(multi.end(), b2.begin(), b2.end());
    multi.push_back(std::byte{0});
    multi.push_back(std::byte{0});
    CHECK(lines_of(PolBytes().record("K", "V", 7, multi)).action == "MULTISZ:a\\\\0\\0b");
    CHECK(lines_of(PolBytes().record("K", "V", 11, util::Bytes(8, std::byte{1}))).action == "QWORD:72340172838076673");
    CHECK(lines_of(PolBytes().record("K", "V", 3, util::Bytes{std::byte{0xab}})).action == "BINARY:ab");
    CHECK(lines_of(PolBytes().record("K", "V", 4, util::Bytes(3))).action == "RAW:4:000000");
    CHECK(lines_of(PolBytes().record("K", "V", 1, test::u16("x"))).action == "RAW:1:7800");
    CHECK(lines_of(PolBytes().record("K", "V", 1, test::sz_data("two\nlines"))).action.rfind("RAW:1:", 0) == 0);
    // a directive with other data is written literally
    const auto odd_del = lines_of(PolBytes().record("K", "**del.V", 4, test::le32(32)));
    CHECK(odd_del.value_name == "**del.V");
    CHECK(odd_del.action == "DWORD:32");
    const auto dflt = lines_of(PolBytes().sz("K", "", "x"));
    CHECK(dflt.value_name == "@");
}

TEST_CASE("every kind of record reads back to the same bytes")
{
    PolBytes b;
    b.dword("K", "V", 42)
        .sz("K", "S", "C:\\\\server\\share")
        .sz("K", "E", "%x%", 2)
        .record("K", "**del.V", 1, test::sz_data(" "))
        .record("K", "**DEL.W", 1, test::sz_data(" "))
        .record("K", "**delvals.", 1, test::sz_data(" "))
        .record("K", "", 0, {})
        .record("K", "N", 0, util::Bytes{std::byte{1}})
        .record("K", "B", 3, util::Bytes{std::byte{1}, std::byte{2}, std::byte{3}})
        .record("K", "R", 99, util::Bytes{std::byte{1}})
        .record("K", "Q", 11, util::Bytes(8, std::byte{0xfe}))
        .record("K", "BE", 5, test::le32(7))
        .sz("K", "", "default")
        .sz("K", "Spaces", "  padded  ");
    CHECK(round_trip(b) == b.bytes());
}

TEST_CASE("names with line breaks cannot be LGPO text")
{
    CHECK_THROWS_WITH(lines_of(PolBytes().dword("K", "two\nlines", 1)), Catch::Contains("line break"));
}

TEST_CASE("LGPO input: comments CRLF UTF-16 with BOM both sides")
{
    const std::string text = "; comment\r\n\r\nComputer\r\nSoftware\\A\r\nV\r\nDWORD:1\r\n\r\n"
                             "User\r\nSoftware\\B\r\nW\r\nSZ:x\r\n\r\n; PARSING COMPLETED.\r\n";
    util::Bytes utf16 = {std::byte{0xff}, std::byte{0xfe}};
    const util::Bytes body = test::u16(text);
    utf16.insert(utf16.end(), body.begin(), body.end());
    const pol::TextInput input{utf16, "dump.txt"};
    CHECK_THROWS_WITH(pol::read_lgpo_text(input, std::nullopt), Catch::Contains("--side"));
    const auto machine = pol::read_lgpo_text(input, pol::Side::machine);
    CHECK(machine.serialize() == PolBytes().dword("Software\\A", "V", 1).bytes());
    const auto user = pol::read_lgpo_text(input, pol::Side::user);
    CHECK(user.serialize() == PolBytes().sz("Software\\B", "W", "x").bytes());
}

TEST_CASE("LGPO input errors name the line")
{
    auto read = [](const std::string& text) {
        const pol::TextInput input{util::Bytes(reinterpret_cast<const std::byte*>(text.data()),
                                               reinterpret_cast<const std::byte*>(text.data()) + text.size()),
                                   "in.txt"};
        return pol::read_lgpo_text(input, std::nullopt);
    };
    CHECK_THROWS_WITH(read("Computer\nK\nV\nDWORD:x\n"), Catch::Contains("in.txt:4:1:"));
    CHECK_THROWS_WITH(read("Machine\nK\nV\nDWORD:1\n"), Catch::Contains("in.txt:1:1:"));
    CHECK_THROWS_WITH(read("\n\nComputer\nK\nV\n"), Catch::Contains("in.txt:3:1:") && Catch::Contains("cut short"));
    CHECK_THROWS_WITH(read("Computer\nK\nV\nFROB:1\n"), Catch::Contains("unknown action"));
}
