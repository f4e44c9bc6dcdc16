// The lossless record layer: parsing edge cases from registry-pol.md and exact
// write-back. Inputs are assembled byte by byte by support/pol_bytes.
#include "pol/pol_file.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace gpokit;
using test::PolBytes;

const bool gpokit::test::needs_corpus = false;

namespace {

pol::PolFile parse(const PolBytes& b, bool lenient = false)
{
    return pol::PolFile::parse(b.bytes(), "t.pol", pol::ReadOptions{lenient});
}

std::string error_of(const util::Bytes& bytes, bool lenient = false)
{
    try {
        pol::PolFile::parse(bytes, "t.pol", pol::ReadOptions{lenient});
    } catch (const util::Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("a header-only file has no records and writes back identically")
{
    const PolBytes b;
    const auto f = parse(b);
    CHECK(f.records.empty());
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("a record's fields are read from their exact positions")
{
    PolBytes b;
    b.dword("Software\\Policies\\Test", "Enabled", 0x01020304);
    const auto f = parse(b);
    REQUIRE(f.records.size() == 1);
    const auto& r = f.records[0];
    CHECK(r.offset == 8);
    CHECK(r.key_utf8() == "Software\\Policies\\Test");
    CHECK(r.value_utf8() == "Enabled");
    CHECK(r.type == 4);
    REQUIRE(r.data.size() == 4);
    CHECK(util::load_u32le(r.data.data()) == 0x01020304);
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("records at odd offsets after odd-sized binary data")
{
    PolBytes b;
    const util::Bytes odd = {std::byte{1}, std::byte{2}, std::byte{3}};
    b.record("K", "Blob", 3, odd).dword("K", "After", 7);
    const auto f = parse(b);
    REQUIRE(f.records.size() == 2);
    CHECK(f.records[1].offset % 2 == 1);
    CHECK(util::load_u32le(f.records[1].data.data()) == 7);
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("names may contain semicolons and data may contain closing brackets (5d 00)")
{
    PolBytes b;
    const util::Bytes tricky = test::u16("a];[b");
    b.record("Key;With;Semicolons", "Val;ue", 3, tricky).dword("Key;With;Semicolons", "Next", 1);
    const auto f = parse(b);
    REQUIRE(f.records.size() == 2);
    CHECK(f.records[0].key_utf8() == "Key;With;Semicolons");
    CHECK(f.records[0].value_utf8() == "Val;ue");
    CHECK(util::equal(f.records[0].data, tricky));
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("unknown types size mismatches and strings without NUL are kept as they are")
{
    PolBytes b;
    const util::Bytes three = {std::byte{1}, std::byte{2}, std::byte{3}};
    b.record("K", "Unknown", 42, three)
        .record("K", "ShortDword", 4, three)
        .record("K", "NoNul", 1, test::u16("abc"))
        .record("K", "ExtraNuls", 1, test::sz_data(std::string("ab\0\0", 4)))
        .record("K", "", 0, {});
    const auto f = parse(b);
    REQUIRE(f.records.size() == 5);
    CHECK(f.records[0].type == 42);
    CHECK(f.records[1].data.size() == 3);
    CHECK(f.records[2].data.size() == 6);
    CHECK(f.records[4].value.empty());
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("duplicates and order are kept")
{
    PolBytes b;
    b.dword("B", "V", 1).dword("A", "V", 2).dword("B", "V", 3).dword("b", "v", 4);
    const auto f = parse(b);
    REQUIRE(f.records.size() == 4);
    CHECK(f.records[0].key_utf8() == "B");
    CHECK(f.records[1].key_utf8() == "A");
    CHECK(f.records[3].key_utf8() == "b");
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("empty short and foreign headers are refused at offset 0 or 4")
{
    CHECK_THAT(error_of({}), Catch::Contains("t.pol:0x0:") && Catch::Contains("empty file"));
    PolBytes b;
    util::Bytes short_header(b.bytes().begin(), b.bytes().begin() + 5);
    CHECK_THAT(error_of(short_header), Catch::Contains("t.pol:0x0:") && Catch::Contains("shorter than"));
    util::Bytes wrong = b.bytes();
    wrong[0] = std::byte{'X'};
    CHECK_THAT(error_of(wrong), Catch::Contains("t.pol:0x0:") && Catch::Contains("signature"));
    util::Bytes v2 = b.bytes();
    v2[4] = std::byte{2};
    CHECK_THAT(error_of(v2), Catch::Contains("t.pol:0x4:") && Catch::Contains("version 2"));
    // lenient reading does not excuse a bad header
    CHECK_THAT(error_of(v2, true), Catch::Contains("t.pol:0x4:"));
}

TEST_CASE("truncated records are refused with the offset and record number")
{
    PolBytes good;
    good.dword("K", "V", 1);
    const std::size_t record2 = good.size();
    PolBytes b = good;
    b.raw_u16(u'[').raw(test::u16("Key")); // no NUL: file ends inside the key name
    CHECK(error_of(b.bytes()) ==
          fmt::format("t.pol:{:#x}: record 2: key name has no terminating NUL before end of file", record2 + 2));

    PolBytes c = good;
    c.raw_u16(u'[').raw(test::u16("Key")).raw_u16(0).raw_u16(u'X');
    CHECK_THAT(error_of(c.bytes()), Catch::Contains(fmt::format("t.pol:{:#x}: record 2: expected ';' after the key name",
                                                                record2 + 2 + 6 + 2)));
}

TEST_CASE("a size past the end of the file is refused before any allocation")
{
    for (const std::uint32_t size : {70000u, 0xffffffffu}) {
        PolBytes b;
        b.raw_u16(u'[').raw(test::u16("K")).raw_u16(0).raw_u16(u';').raw(test::u16("V")).raw_u16(0).raw_u16(u';');
        b.raw_u32(3).raw_u16(u';');
        const std::size_t size_at = b.size();
        b.raw_u32(size).raw_u16(u';').raw(test::u16("xy")).raw_u16(u']');
        CHECK(error_of(b.bytes()) == fmt::format("t.pol:{:#x}: record 1: data size {} runs past end of file ({:#x})",
                                                 size_at, size, b.size()));
    }
}

TEST_CASE("bytes after the last record: an error or kept verbatim with lenient reading")
{
    PolBytes b;
    b.dword("K", "V", 1);
    const std::size_t end = b.size();
    b.raw(test::u16("junk"));
    CHECK_THAT(error_of(b.bytes()), Catch::Contains(fmt::format("t.pol:{:#x}: record 2: expected '[' to open a record", end)));
    const auto f = parse(b, true);
    REQUIRE(f.records.size() == 1);
    CHECK(f.trailing_offset() == end);
    CHECK(f.trailing().size() == 8);
    CHECK(f.serialize() == b.bytes());

    PolBytes odd;
    odd.dword("K", "V", 1).raw(util::Bytes{std::byte{0}});
    CHECK_THAT(error_of(odd.bytes()), Catch::Contains("1 stray byte"));
}

TEST_CASE("a truncated last record is kept as trailing bytes with lenient reading")
{
    PolBytes b;
    b.dword("K", "V", 1);
    const std::size_t end = b.size();
    b.raw_u16(u'[').raw(test::u16("Half"));
    const auto f = parse(b, true);
    CHECK(f.records.size() == 1);
    CHECK(f.trailing_offset() == end);
    CHECK(f.serialize() == b.bytes());
}

TEST_CASE("records made by edits own their bytes and survive copies")
{
    pol::PolFile f;
    f.records.push_back(f.make_record(u"Software\\X", u"Name", 1, test::sz_data("value")));
    const pol::PolFile copy = f;
    f = pol::PolFile();
    REQUIRE(copy.records.size() == 1);
    CHECK(copy.records[0].key_utf8() == "Software\\X");
    CHECK(copy.records[0].offset == pol::k_no_offset);
    PolBytes expected;
    expected.sz("Software\\X", "Name", "value");
    CHECK(copy.serialize() == expected.bytes());
}
