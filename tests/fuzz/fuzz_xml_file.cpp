// libFuzzer target for the XML files of a GPO backup: util::XmlFile (expat's check,
// pugixml's tree, edits by splices) and the backup reader gpo::load_backup.
//
// Input: Backup.xml, optionally followed by four NUL bytes and bkupInfo.xml, and
// four more and gpreport.xml. Four NULs never occur in XML, UTF-8 or UTF-16 (they
// would hold U+0000), so the split is exact.
//
// Properties, for each part:
// - XmlFile::parse accepts it or refuses it with util::Error, never crashes;
// - for an editable (UTF-8) file, no splices give back the same bytes, and for a few
//   elements (which ones depends on the input's length), set_text() either refuses
//   with util::Error or gives a splice after which the file still parses, that
//   element's text is the new text, and every element keeps its name, attributes and
//   (the others) text: an edit changes one value and nothing else.
// Then, if Backup.xml parses, the parts are written into a private temporary backup
// folder and read with gpo::load_backup, which may refuse them only with util::Error.
#include "fuzz_support.hpp"

#include "gpo/load.hpp"
#include "util/error.hpp"
#include "util/xml_file.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace {

using namespace gpokit;
namespace fs = std::filesystem;

// Each edit parses the file again: a few elements per input, from a place the input picks.
constexpr std::size_t k_edits = 4;
constexpr std::size_t k_edit_attempts = 16;
// What gpokit writes into Backup.xml: a version number or an extension list.
constexpr std::string_view k_new_text = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";

// The process's own backup folder ({...}/ with Backup.xml), removed at exit.
const fs::path& backup_folder()
{
    static const fs::path folder = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/gpokit-fuzz-xml.XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr)
            fuzz::fail("cannot create a temporary folder", pattern);
        static const fs::path top = pattern;
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(top, ec);
        });
        const fs::path backup = top / "{7C0FD1A6-52E3-4B1A-9A0C-3D5E2F4B6A81}";
        fs::create_directory(backup);
        return backup;
    }();
    return folder;
}

void write_or_remove(const fs::path& path, const std::string_view* bytes)
{
    std::error_code ec;
    if (bytes == nullptr) {
        fs::remove(path, ec);
        return;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out.flush())
        fuzz::fail("cannot write", path.string());
}

std::vector<pugi::xml_node> elements_of(const util::XmlFile& file)
{
    std::vector<pugi::xml_node> out;
    std::vector<pugi::xml_node> pending{file.root()};
    while (!pending.empty()) { // document order
        const auto node = pending.back();
        pending.pop_back();
        out.push_back(node);
        std::vector<pugi::xml_node> children;
        for (auto c = node.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element)
                children.push_back(c);
        pending.insert(pending.end(), children.rbegin(), children.rend());
    }
    return out;
}

bool same_attributes(pugi::xml_node a, pugi::xml_node b)
{
    auto x = a.first_attribute();
    auto y = b.first_attribute();
    for (; x && y; x = x.next_attribute(), y = y.next_attribute())
        if (std::string_view(x.name()) != y.name() || std::string_view(x.value()) != y.value())
            return false;
    return !x && !y;
}

void check_edits(const util::XmlFile& file)
{
    fuzz::require(util::apply_splices(file.bytes(), {}) == file.bytes(), "no splices changed the file");
    const auto before = elements_of(file);
    std::size_t edits = 0;
    for (std::size_t attempt = 0; attempt < std::min(before.size(), k_edit_attempts) && edits < k_edits; ++attempt) {
        const std::size_t i = (file.bytes().size() + attempt) % before.size();
        util::Splice splice;
        try {
            splice = util::set_text(file, before[i], k_new_text);
        } catch (const util::Error&) {
            continue; // content set_text does not edit
        }
        ++edits;
        util::Bytes edited;
        try {
            edited = util::apply_splices(file.bytes(), {splice});
            const util::XmlFile after_file = util::XmlFile::parse(edited, "edited.xml");
            const auto after = elements_of(after_file);
            fuzz::require(after.size() == before.size(), "set_text changed the number of elements");
            for (std::size_t k = 0; k < after.size(); ++k) {
                fuzz::require(std::string_view(after[k].name()) == before[k].name(), "set_text renamed an element");
                fuzz::require(same_attributes(after[k], before[k]), "set_text changed an element's attributes");
                if (k == i)
                    fuzz::require(util::text_of(after[k]) == k_new_text, "set_text did not set the text",
                                  util::text_of(after[k]));
                else
                    fuzz::require(util::text_of(after[k]) == util::text_of(before[k]),
                                  "set_text changed another element's text");
            }
        } catch (const util::Error& e) {
            fuzz::fail("set_text gave a splice that breaks the file", e.what());
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    constexpr std::string_view k_separator("\0\0\0\0", 4);
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto at = parts.size() < 2 ? input.find(k_separator, start) : std::string_view::npos;
        parts.push_back(input.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos)
            break;
        start = at + k_separator.size();
    }

    bool backup_parses = false;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        try {
            const auto* bytes = reinterpret_cast<const std::uint8_t*>(parts[k].data());
            const util::XmlFile file = util::XmlFile::parse(fuzz::input_bytes(bytes, parts[k].size()), "fuzz.xml");
            backup_parses = backup_parses || k == 0;
            if (file.editable())
                check_edits(file);
        } catch (const util::Error&) {
            // refused cleanly
        }
    }
    if (!backup_parses)
        return 0; // load_backup would refuse it as XmlFile::parse just did

    const fs::path& dir = backup_folder();
    write_or_remove(dir / "Backup.xml", &parts[0]);
    write_or_remove(dir / "bkupInfo.xml", parts.size() > 1 ? &parts[1] : nullptr);
    write_or_remove(dir / "gpreport.xml", parts.size() > 2 ? &parts[2] : nullptr);
    try {
        (void)gpo::load_backup(dir);
    } catch (const util::Error&) {
        // refused cleanly
    }
    return 0;
}
