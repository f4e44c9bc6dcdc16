// Every security template (GptTmpl.inf) in the corpus, written by Windows: read and
// written back byte for byte; every line is a section, a setting, a comment or blank;
// every setting is named; an edit changes only its own line, and undoing it gives the
// original bytes back.
#include "settings/security_template.hpp"
#include "support/pol_bytes.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_templates()
{
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(test::corpus_dir()))
        if (e.is_regular_file() && util::iequal_ascii(e.path().filename().string(), "GptTmpl.inf"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("the corpus holds its 22 security templates, all UTF-16LE with a BOM")
{
    const auto files = corpus_templates();
    CHECK(files.size() == 22); // counted with find -iname GptTmpl.inf
    for (const auto& f : files) {
        INFO(f.string());
        CHECK(settings::InfFile::parse(util::read_file(f), f.string()).encoding() == settings::InfEncoding::utf16le);
    }
}

TEST_CASE("every corpus security template round-trips byte for byte")
{
    std::size_t settings_seen = 0;
    for (const auto& f : corpus_templates()) {
        INFO(f.string());
        const util::Bytes bytes = util::read_file(f);
        const auto inf = settings::InfFile::parse(bytes, f.string());
        CHECK(inf.bytes() == bytes);
        // The line count agrees with an independent split of the decoded text.
        const auto text = util::utf16le_to_utf8(util::ByteView(bytes).subspan(2));
        REQUIRE(text);
        std::size_t lines = static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n'));
        if (!text->empty() && text->back() != '\n')
            ++lines;
        CHECK(inf.lines().size() == lines);
        for (const auto& s : settings::security_settings(inf)) {
            CHECK_FALSE(s.area.empty());
            CHECK_FALSE(s.name.empty());
            ++settings_seen;
        }
    }
    CHECK(settings_seen == 338); // counted by a Python reader: lines outside [Unicode]/[Version] that are not blank, comments or headers
}

TEST_CASE("an edit of a corpus template changes its line alone; undoing it restores the bytes")
{
    for (const auto& f : corpus_templates()) {
        INFO(f.string());
        const util::Bytes bytes = util::read_file(f);
        auto inf = settings::InfFile::parse(bytes, f.string());
        const bool had = inf.find("Kerberos Policy", "MaxTicketAge") != nullptr;
        const std::string old = had ? inf.find("Kerberos Policy", "MaxTicketAge")->value : std::string();
        REQUIRE(inf.set("Kerberos Policy", "MaxTicketAge", "8"));
        const auto edited = inf.bytes();
        const auto again = settings::InfFile::parse(edited, "edited");
        REQUIRE(again.find("Kerberos Policy", "MaxTicketAge"));
        CHECK(again.find("Kerberos Policy", "MaxTicketAge")->value == "8");
        // Everything else reads the same.
        CHECK(again.lines().size() == inf.lines().size());
        std::size_t differing = 0;
        const auto before = settings::InfFile::parse(bytes, "before");
        for (const auto& l : before.lines())
            if (l.kind == settings::InfLine::Kind::entry && !l.key.empty()) {
                const auto* now = again.find(l.section, l.key);
                REQUIRE(now);
                differing += now->value != l.value;
            }
        CHECK(differing == (had ? 1u : 0u));
        if (had)
            inf.set("Kerberos Policy", "MaxTicketAge", old);
        else
            inf.remove("Kerberos Policy", "MaxTicketAge");
        CHECK(inf.bytes() == bytes);
    }
}
