// The security template reader (settings/inf_file): what it accepts is written back
// byte for byte in each encoding; what it refuses is refused at the line and column
// (1-based, in characters) of the defect. Inputs are built in code; the broken
// templates a generator writes are checked end to end by tests/cli/malformed_inf.sh.
#include "settings/inf_file.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace gpokit;
using namespace std::string_literals;
using settings::InfEncoding;
using settings::InfFile;
using settings::InfLine;

namespace {

// UTF-16LE with the BOM, code unit by code unit (lone surrogates allowed).
util::Bytes utf16(std::u16string_view units)
{
    util::Bytes out{std::byte{0xff}, std::byte{0xfe}};
    for (const char16_t u : units) {
        out.push_back(static_cast<std::byte>(u & 0xffu));
        out.push_back(static_cast<std::byte>(u >> 8));
    }
    return out;
}

util::Bytes bytes_of(std::string_view s)
{
    const auto b = util::as_bytes(s);
    return util::Bytes(b.begin(), b.end());
}

// "line:column" of the error parsing `bytes` raises, or "accepted".
std::string error_at(const util::Bytes& bytes)
{
    try {
        InfFile::parse(bytes, "GptTmpl.inf");
    } catch (const util::ParseError& e) {
        REQUIRE(e.where());
        CHECK(e.where()->file == "GptTmpl.inf");
        CHECK_FALSE(e.where()->offset);
        return std::to_string(e.where()->line) + ":" + std::to_string(e.where()->column);
    }
    return "accepted";
}

std::string error_at(std::string_view text)
{
    return error_at(bytes_of(text));
}

} // namespace

TEST_CASE("inf_file: an untouched template is written back byte for byte in each encoding")
{
    const util::Bytes wide = utf16(u"[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 10\r\n[Version]\r\n"
                                   u"signature=\"$CHICAGO$\"\r\nRevision=1\r\n");
    const InfFile a = InfFile::parse(wide, "a.inf");
    CHECK(a.encoding() == InfEncoding::utf16le);
    CHECK(a.bytes() == wide);
    REQUIRE(a.find("kerberos policy", "maxticketage"));
    CHECK(a.find("kerberos policy", "maxticketage")->value == "10");

    const util::Bytes bom8 = bytes_of("\xEF\xBB\xBF[System Access]\nNewGuestName = \"G\xC3\xA4st\"\n");
    const InfFile b = InfFile::parse(bom8, "b.inf");
    CHECK(b.encoding() == InfEncoding::utf8);
    CHECK(b.bytes() == bom8);

    const util::Bytes latin1 = bytes_of("[System Access]\r\nNewGuestName = \"G\xE4st\"");
    const InfFile c = InfFile::parse(latin1, "c.inf");
    CHECK(c.encoding() == InfEncoding::ansi);
    CHECK(c.find("System Access", "NewGuestName")->value == "\"G\xC3\xA4st\"");
    CHECK(c.bytes() == latin1);
}

TEST_CASE("inf_file: lines without '=' are kept where they belong, and U+FFFD after a UTF-8 BOM is text")
{
    CHECK(error_at("[Service General Setting]\r\n\"seclogon\",4,\"\"\r\n[Registry Keys]\r\n\"MACHINE\\X\",0,\"D:(A;;KA;;;BA)\"\r\n"
                   "[Contoso Extras]\r\nfree text\r\n  ; a comment\r\n\r\n") == "accepted");
    CHECK(error_at("\xEF\xBB\xBF[Version]\r\nsignature=\"\xEF\xBF\xBD\"\r\n") == "accepted");
}

TEST_CASE("inf_file: an odd byte after UTF-16 text is reported where the next character would be")
{
    util::Bytes b = utf16(u"[Unicode]\r\nUnicode=yes\r\n");
    b.push_back(std::byte{0x41});
    CHECK(error_at(b) == "3:1");

    b = utf16(u"[Unicode]\r\nUnicode=y");
    b.push_back(std::byte{0x65});
    CHECK(error_at(b) == "2:10");

    CHECK(error_at(util::Bytes{std::byte{0xff}, std::byte{0xfe}, std::byte{0x5b}}) == "1:1");
    CHECK(error_at(util::Bytes{std::byte{0xff}, std::byte{0xfe}}) == "accepted");
}

TEST_CASE("inf_file: a lone surrogate is reported at its column, a pair counting as one character")
{
    CHECK(error_at(utf16(u"[System Access]\r\nNewGuestName = \"\xD83D\xDE00 G\xE4st \xD83D\"\r\n")) == "2:24");
    CHECK(error_at(utf16(u"[System Access]\r\nX = a\xDC00\xD800\r\n")) == "2:6");
    CHECK(error_at(utf16(u"[System Access]\r\nX = 7\xD800\r\n")) == "2:6");
}

TEST_CASE("inf_file: a byte that is not UTF-8 after a UTF-8 BOM is refused at its column")
{
    CHECK(error_at("\xEF\xBB\xBF[System Access]\r\nNewGuestName = \"G\xC3\xA4st\xFF\"\r\n") == "2:21");
    CHECK(error_at("\xEF\xBB\xBF; \xC3\xA9t\xC3\xA9 \xED\xA0\x80\n") == "1:7");
    CHECK(error_at("\xEF\xBB\xBF[K]\nA = 6\xC3") == "2:6");
    // Without a BOM, such a file is ANSI.
    CHECK(error_at("[K]\nA = 6\xC3") == "accepted");
}

TEST_CASE("inf_file: a NUL character is refused at its column in every encoding")
{
    CHECK(error_at(utf16(u"[Kerberos Policy]\r\nMaxClockSkew = 5\0\r\n"s)) == "2:17");
    CHECK(error_at("[Version]\nRevision=1\0"s) == "2:11");
    CHECK(error_at("[S]\r\nN = \"G\xE4st\"\0"s) == "2:11");
    // UTF-16LE without its BOM reads as UTF-8 text holding NULs.
    CHECK(error_at("[\0U\0"s) == "1:2");
}

TEST_CASE("inf_file: section headers and settings out of place are refused at their first character")
{
    CHECK(error_at("[Unicode]\r\n\t[Kerberos Policy\r\n") == "2:2");
    CHECK(error_at("[Kerberos Policy]  Realm\r\n") == "1:20");
    CHECK(error_at("[Kerberos Policy]] \r\n") == "1:18");
    CHECK(error_at("  [ ]\r\nA = 1\r\n") == "1:3");
    CHECK(error_at("; top\r\n\r\n  Unicode=yes\r\n") == "3:3");
    CHECK(error_at("[Kerberos Policy]\r\nMaxRenewAge 7\r\n") == "2:1");
    CHECK(error_at("[privilege rights]\n    SeNetworkLogonRight *S-1-1-0\n") == "2:5");
    CHECK(error_at("[Registry Values]\r\n\t =4,1\r\n") == "2:3");
    CHECK(error_at("[Contoso Extras]\r\n = x\r\n") == "2:2");
}

TEST_CASE("inf_file: set rewrites one line in its own spacing and keeps the rest of the bytes")
{
    const util::Bytes wide = utf16(u"[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 10\r\n[Version]\r\n"
                                   u"Revision=1\r\n");
    InfFile f = InfFile::parse(wide, "a.inf");
    CHECK_FALSE(f.set("Kerberos Policy", "MaxTicketAge", "10"));
    CHECK(f.bytes() == wide);
    CHECK(f.set("Kerberos Policy", "MaxTicketAge", "8"));
    CHECK(f.bytes() == utf16(u"[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 8\r\n[Version]\r\n"
                             u"Revision=1\r\n"));
}

TEST_CASE("inf_file: a new section after a last line without a line end starts a line of its own")
{
    // Found by the fuzzer: the header was glued to the last line, and the new setting
    // read back as part of another section.
    const util::Bytes text = bytes_of("[Unicode]\nUnicode=yes\n[Contoso]\nsignature=\"$CHICAGO$\"");
    InfFile f = InfFile::parse(text, "a.inf");
    CHECK(f.set("Kerberos Policy", "MaxTicketAge", "8"));
    CHECK(f.bytes() == bytes_of("[Unicode]\nUnicode=yes\n[Contoso]\nsignature=\"$CHICAGO$\"\n[Kerberos Policy]\n"
                                "MaxTicketAge = 8\n"));
    const InfFile again = InfFile::parse(f.bytes(), "a.inf");
    REQUIRE(again.find("Kerberos Policy", "MaxTicketAge"));
    CHECK(again.find("Kerberos Policy", "MaxTicketAge")->value == "8");
}
