// Every registry.pol under ../shared/corpus (written by Windows) round-trips byte
// for byte: through the record layer, through gpokit JSON and through LGPO text.
// The two registry.pol files that ship with LGPO's own text dumps are rebuilt from
// those dumps, byte-identical: an oracle written by Microsoft's tool, not by us.
#include "pol/effective.hpp"
#include "pol/pol_check.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "support/pol_bytes.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gpokit;

const bool gpokit::test::needs_corpus = true;

namespace {

pol::TextInput text_of(const std::string& s, std::string origin)
{
    return {util::Bytes(reinterpret_cast<const std::byte*>(s.data()),
                        reinterpret_cast<const std::byte*>(s.data()) + s.size()),
            std::move(origin)};
}

} // namespace

TEST_CASE("the corpus holds the registry.pol files it documents")
{
    // 9 + 17 + 56 files in the three sets (corpus README).
    CHECK(test::corpus_pol_files().size() == 82);
}

TEST_CASE("every corpus registry.pol round-trips through the record layer")
{
    std::size_t records = 0;
    for (const auto& path : test::corpus_pol_files()) {
        INFO(path.string());
        const util::Bytes bytes = util::read_file(path);
        const auto file = pol::PolFile::parse(bytes, path.string());
        CHECK(file.serialize() == bytes);
        CHECK(file.trailing().empty());
        records += file.records.size();
    }
    CHECK(records == 3385); // counted independently by a Python reader over the same files
}

TEST_CASE("every corpus registry.pol round-trips through JSON and through LGPO text")
{
    for (const auto& path : test::corpus_pol_files()) {
        INFO(path.string());
        const util::Bytes bytes = util::read_file(path);
        const auto file = pol::PolFile::parse(bytes, path.string());
        std::ostringstream json;
        render::records_json(file, json);
        CHECK(pol::build_from_text(text_of(json.str(), "json"), std::nullopt).serialize() == bytes);
        std::ostringstream lgpo;
        render::records_lgpo(file, pol::Side::machine, lgpo);
        CHECK(pol::build_from_text(text_of(lgpo.str(), "lgpo"), std::nullopt).serialize() == bytes);
    }
}

TEST_CASE("registry.pol files rebuilt from LGPO's own dumps are byte-identical")
{
    const auto dir = test::corpus_dir() / "private-secure-windows/GPOs/BasicPrivacy/Version 21H2_Win10/Enterprise/GPO";
    for (const auto& [pol_name, txt_name] :
         {std::pair{"Machine/registry.pol", "Machine/machine.txt"}, std::pair{"User/registry.pol", "User/user.txt"}}) {
        INFO(txt_name);
        const util::Bytes expected = util::read_file(dir / pol_name);
        const pol::TextInput dump{util::read_file(dir / txt_name), txt_name};
        CHECK(pol::build_from_text(dump, std::nullopt).serialize() == expected);
    }
}

TEST_CASE("the effective state of every corpus file is computed and rebuilds to the same state")
{
    for (const auto& path : test::corpus_pol_files()) {
        INFO(path.string());
        const auto file = pol::PolFile::load(path);
        const auto state = pol::apply(file);
        const auto normal = pol::to_pol(state, "normal");
        const auto again = pol::apply(normal);
        REQUIRE(again.keys.size() == state.keys.size());
        CHECK(again.value_count() == state.value_count());
        CHECK(normal.records.size() <= file.records.size());
    }
}
