// Regressions found in review: each case once went wrong.
#include "cli/app.hpp"
#include "pol/effective.hpp"
#include "pol/lgpo.hpp"
#include "pol/pol_check.hpp"
#include "pol/pol_edit.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <sys/stat.h>

using namespace gpokit;
using test::PolBytes;

namespace {

pol::PolFile parse(const PolBytes& b, bool lenient = false)
{
    return pol::PolFile::parse(b.bytes(), "t.pol", pol::ReadOptions{lenient});
}

std::string lgpo_of(const pol::PolFile& f)
{
    std::ostringstream out;
    render::records_lgpo(f, pol::Side::machine, out);
    return out.str();
}

util::Bytes lone_surrogate_name()
{
    util::Bytes name = test::u16("v");
    name.push_back(std::byte{0x00});
    name.push_back(std::byte{0xdc});
    return name;
}

} // namespace

TEST_CASE("LGPO text refuses what it cannot carry exactly and prints nothing then")
{
    PolBytes surrogate;
    surrogate.raw_u16(u'[').raw(test::u16("K")).raw_u16(0).raw_u16(u';').raw(lone_surrogate_name()).raw_u16(0);
    surrogate.raw_u16(u';').raw_u32(4).raw_u16(u';').raw_u32(4).raw_u16(u';').raw(test::le32(1)).raw_u16(u']');
    CHECK_THROWS_WITH(lgpo_of(parse(surrogate)), Catch::Contains("surrogate"));

    PolBytes partial;
    partial.dword("K", "x", 1).dword("K", "@", 2).dword("K", "y", 3);
    std::ostringstream out;
    CHECK_THROWS_WITH(render::records_lgpo(parse(partial), pol::Side::machine, out), Catch::Contains("record 2"));
    CHECK(out.str().empty());

    PolBytes trailing;
    trailing.dword("K", "x", 1).raw(util::Bytes{std::byte{1}, std::byte{2}, std::byte{3}});
    CHECK_THROWS_WITH(lgpo_of(parse(trailing, true)), Catch::Contains("after the last record"));

    PolBytes empty_key;
    empty_key.dword("", "v", 1);
    CHECK_THROWS_WITH(lgpo_of(parse(empty_key)), Catch::Contains("empty key"));
    CHECK(pol::check(parse(empty_key)).front().code == "key-path");
}

TEST_CASE("creating a key twice adds one create-key record at the top of its group")
{
    PolBytes b;
    b.dword("Soft\\A", "v", 1).dword("Soft\\B", "v", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"Soft\\A", u"", 0, {}));
    CHECK_FALSE(pol::set_value(f, u"Soft\\A", u"", 0, {}));
    CHECK(f.serialize() == PolBytes().record("Soft\\A", "", 0, {}).dword("Soft\\A", "v", 1).dword("Soft\\B", "v", 1).bytes());
}

TEST_CASE("a value only a **soft. record gives is still set for real")
{
    PolBytes b;
    b.dword("Soft\\A", "**soft.x", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"Soft\\A", u"x", 4, test::le32(1)));
    CHECK(f.records.size() == 2);
}

TEST_CASE("clear-key after a create-key record sees the **delvals. already there")
{
    PolBytes b;
    b.record("K", "", 0, {}).record("K", "**delvals.", 1, test::sz_data(" ")).sz("K", "1", "a");
    auto f = parse(b);
    CHECK_FALSE(pol::clear_key(f, u"K"));
}

TEST_CASE("a value added to an existing key keeps the file's spelling of the key")
{
    PolBytes b;
    b.dword("SOFT\\a", "v", 1);
    auto f = parse(b);
    CHECK(pol::set_value(f, u"Soft\\A", u"w", 4, test::le32(2)));
    CHECK(f.serialize() == PolBytes().dword("SOFT\\a", "v", 1).dword("SOFT\\a", "w", 2).bytes());
}

TEST_CASE("names compare case-insensitively across Unicode, as Windows upper-cases them")
{
    CHECK(util::iequals(u"\u03ac", u"\u0386"));  // ά Ά
    CHECK(util::iequals(u"\uff41", u"\uff21"));  // fullwidth a A
    CHECK(util::iequals(u"\u0561", u"\u0531"));  // Armenian
    PolBytes b;
    b.dword("K", "\xef\xbd\x81", 1).dword("K", "\xef\xbc\xa1", 2); // ａ then Ａ
    const auto f = parse(b);
    CHECK(pol::apply(f).value_count() == 1);
    CHECK(pol::check(f).front().code == "duplicate");
}

TEST_CASE("effective JSON keeps created and secured keys, like the LGPO route")
{
    PolBytes b;
    b.record("A", "", 0, {}).dword("B", "**SecureKey", 1).dword("B", "v", 1).dword("C", "v", 2);
    const auto f = parse(b);
    const auto state = pol::apply(f);
    std::ostringstream json;
    render::effective_json(f, state, json);
    const std::string s = json.str();
    const pol::TextInput input{util::Bytes(reinterpret_cast<const std::byte*>(s.data()),
                                           reinterpret_cast<const std::byte*>(s.data()) + s.size()),
                               "e.json"};
    CHECK(pol::build_from_text(input, std::nullopt).serialize() == pol::to_pol(state, "x").serialize());
    CHECK(pol::to_pol(state, "x").records.size() == 4);
}

TEST_CASE("JSON output stays valid for a file name that is not UTF-8")
{
    pol::PolFile f;
    f.set_origin("na\xffme.pol");
    std::ostringstream out;
    render::records_json(f, out);
    CHECK(nlohmann::json::parse(out.str())["file"] == "na\xef\xbf\xbdme.pol");
}

TEST_CASE("an atomic write through a symbolic link replaces the file it names, and new files follow the umask")
{
    test::TempDir dir;
    const auto real = dir.path() / "real.pol";
    const auto link = dir.path() / "link.pol";
    test::write_bytes(real, util::as_bytes("old"));
    std::filesystem::create_symlink("real.pol", link);
    util::write_file_atomic(link, util::as_bytes("new"));
    CHECK(std::filesystem::is_symlink(link));
    CHECK(util::read_file(real) == util::Bytes(util::as_bytes("new").begin(), util::as_bytes("new").end()));

    const mode_t old_mask = ::umask(077);
    util::write_file_atomic(dir.path() / "private.pol", util::as_bytes("x"));
    ::umask(old_mask);
    struct stat st {};
    REQUIRE(::stat((dir.path() / "private.pol").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("dry-run lists only the records the edit really changed")
{
    test::TempDir dir;
    const auto file = (dir.path() / "g.pol").string();
    test::write_bytes(file, PolBytes().dword("K", "y", 1).dword("L", "z", 2).bytes());
    std::ostringstream out;
    std::ostringstream err;
    cli::Context ctx{out, err};
    CHECK(cli::run({"pol", "set", file, "K", "x", "--type", "dword", "--data", "5", "--dry-run"}, ctx) == 0);
    CHECK(out.str() == "Computer Configuration\n"
                       "  registry values of no known policy\n"
                       "    + K ! x = REG_DWORD 5 (0x00000005)\n"
                       "Records (machine)\n"
                       "  + record 2: K ! x = REG_DWORD 5 (0x00000005)\n"
                       "dry run: " + file + " not written\n");
}
