// libFuzzer target for the security template reader (settings/inf_file.hpp), the
// settings model built from it (settings/security_template.hpp) and the one edit
// `gpo set-security` makes.
//
// Properties, for whatever InfFile::parse accepts:
// - bytes() gives the input back, byte for byte (the reader is lossless);
// - every line's text is valid UTF-8 without NUL, whatever the encoding was;
// - security_settings() describes entries only, each at the line it came from, in
//   valid UTF-8;
// - setting [Kerberos Policy] MaxTicketAge to the value it already has changes nothing;
//   setting it to another value gives bytes that read back with that value and every
//   other entry as before.
// Input it refuses must be refused with util::ParseError at a line and column (1-based).
#include "fuzz_support.hpp"

#include "settings/inf_file.hpp"
#include "settings/security_template.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace gpokit;
using settings::InfFile;
using settings::InfLine;

bool valid_text(const std::string& s)
{
    return util::valid_utf8_prefix(s) == s.size() && s.find('\0') == std::string::npos;
}

using Entry = std::tuple<std::string, std::string, std::string>; // section, key, value

std::vector<Entry> entries_of(const InfFile& f)
{
    std::vector<Entry> out;
    for (const auto& l : f.lines())
        if (l.kind == InfLine::Kind::entry)
            out.emplace_back(util::to_lower_ascii(l.section), l.key, l.value);
    return out;
}

void check_edit(const InfFile& file, const util::Bytes& input)
{
    const InfLine* had = file.find("Kerberos Policy", "MaxTicketAge");
    if (had != nullptr) {
        InfFile same = file;
        fuzz::require(!same.set("Kerberos Policy", "MaxTicketAge", had->value),
                      "setting the value a key has reports a change");
        fuzz::require(same.bytes() == input, "setting the value a key has changes the bytes");
    }
    const std::string value = had != nullptr && had->value == "8" ? "9" : "8";
    InfFile edited = file;
    fuzz::require(edited.set("Kerberos Policy", "MaxTicketAge", value), "a new value reports no change");
    InfFile again;
    try {
        again = InfFile::parse(edited.bytes(), "GptTmpl.inf");
    } catch (const util::Error& e) {
        fuzz::fail("the template with MaxTicketAge set no longer reads", e.what());
    }
    const InfLine* now = again.find("Kerberos Policy", "MaxTicketAge");
    fuzz::require(now != nullptr && now->value == value, "the new MaxTicketAge does not read back");
    fuzz::require(again.encoding() == file.encoding(), "the edit changed the encoding");

    // The other entries, in order: the edited one left out of both.
    const auto others = [](const InfFile& f, bool skip_first) {
        std::vector<Entry> out;
        bool skipped = !skip_first;
        for (auto& e : entries_of(f)) {
            if (!skipped && std::get<0>(e) == "kerberos policy" && util::iequal_ascii(std::get<1>(e), "MaxTicketAge")) {
                skipped = true;
                continue;
            }
            out.push_back(std::move(e));
        }
        return out;
    };
    fuzz::require(others(again, true) == others(file, had != nullptr), "the edit changed another entry");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const util::Bytes input = fuzz::input_bytes(data, size);
    InfFile file;
    try {
        file = InfFile::parse(input, "GptTmpl.inf");
    } catch (const util::ParseError& e) {
        const auto& where = e.where();
        fuzz::require(where && where->file == "GptTmpl.inf" && where->line >= 1 && where->column >= 1 &&
                          !where->offset,
                      "refused without a line and column", e.what());
        return 0; // refused cleanly
    } catch (const util::Error& e) {
        fuzz::fail("refused with an error that is not a ParseError", e.what());
    }
    fuzz::require(file.bytes() == input, "an untouched template is not written back byte for byte");

    std::size_t number = 0;
    for (const auto& l : file.lines()) {
        fuzz::require(l.number == ++number, "lines are not numbered 1, 2, 3, ...");
        fuzz::require(valid_text(l.text) && valid_text(l.key) && valid_text(l.value) && valid_text(l.section),
                      "a line holds text that is not valid UTF-8 or a NUL", l.text);
    }

    for (const auto& s : settings::security_settings(file)) {
        fuzz::require(s.line >= 1 && s.line <= file.lines().size(), "a setting's line is outside the file");
        const InfLine& l = file.lines()[s.line - 1];
        fuzz::require(l.kind == InfLine::Kind::entry && l.key == s.key && l.value == s.raw,
                      "a setting does not come from the entry at its line");
        fuzz::require(valid_text(s.area) && valid_text(s.name) && valid_text(s.value),
                      "a setting's text is not valid UTF-8", s.value);
        for (const auto& m : s.members)
            fuzz::require(valid_text(m), "a member is not valid UTF-8", m);
    }

    check_edit(file, input);
    return 0;
}
