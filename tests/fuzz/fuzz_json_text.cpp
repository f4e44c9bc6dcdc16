// libFuzzer target for the text forms a registry.pol is built from, entered the way
// `pol build --from` enters them (pol::build_from_text: gpokit's JSON, samba-tool's
// JSON, or LGPO text), with the JSON readers in front.
//
// Properties, for whatever build_from_text accepts:
// - the PolFile it builds serialises, and the record layer reads those bytes back;
// - render::records_json of the result reads back with read_json as the same
//   registry.pol bytes (names that are not UTF-16, odd data, trailing bytes included);
// - render::effective_json of its effective state reads back as the file to_pol()
//   makes of that state (both text forms of `show --effective` build the same file);
// - where LGPO text can carry the file (render::records_lgpo does not refuse it with
//   util::Error), that text reads back as the same bytes too.
// The input's length picks the side asked for (none, machine, user).
// Input it refuses must be refused with util::Error.
#include "fuzz_support.hpp"

#include "pol/effective.hpp"
#include "pol/pol_file.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"

#include <optional>
#include <sstream>

namespace {

using namespace gpokit;

pol::TextInput text_input(const std::string& text, const char* origin)
{
    const auto bytes = util::as_bytes(text);
    return {util::Bytes(bytes.begin(), bytes.end()), origin};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::optional<pol::Side> side = size % 3 == 0   ? std::nullopt
                                          : size % 3 == 1 ? std::optional(pol::Side::machine)
                                                          : std::optional(pol::Side::user);
    pol::PolFile first;
    try {
        first = pol::build_from_text({fuzz::input_bytes(data, size), "fuzz.json"}, side);
    } catch (const util::Error&) {
        return 0; // refused cleanly
    }
    const util::Bytes bytes = first.serialize();
    try { // bytes kept after the last record ("trailing") read back only leniently
        const pol::ReadOptions options{!first.trailing().empty()};
        fuzz::require(pol::PolFile::parse(bytes, "written.pol", options).serialize() == bytes,
                      "the registry.pol built from text does not read back the same");
    } catch (const util::Error& e) {
        fuzz::fail("the registry.pol built from text does not read", e.what());
    }

    std::ostringstream records;
    render::records_json(first, records);
    try {
        fuzz::require(pol::read_json(text_input(records.str(), "records.json"), std::nullopt).serialize() == bytes,
                      "records JSON written by gpokit reads back as other records");
    } catch (const util::Error& e) {
        fuzz::fail("records JSON written by gpokit does not read", e.what());
    }

    const pol::EffectiveState state = pol::apply(first);
    std::ostringstream effective;
    render::effective_json(first, state, effective);
    try {
        fuzz::require(pol::read_json(text_input(effective.str(), "effective.json"), std::nullopt).serialize() ==
                          pol::to_pol(state, "effective").serialize(),
                      "effective JSON written by gpokit reads back as another file than to_pol() makes");
    } catch (const util::Error& e) {
        fuzz::fail("effective JSON written by gpokit does not read", e.what());
    }

    std::ostringstream lgpo;
    try {
        render::records_lgpo(first, pol::Side::machine, lgpo);
    } catch (const util::Error&) {
        return 0; // names or trailing bytes LGPO text cannot carry
    }
    try {
        fuzz::require(pol::read_lgpo_text(text_input(lgpo.str(), "records.txt"), std::nullopt).serialize() == bytes,
                      "LGPO text written by gpokit reads back as other records");
    } catch (const util::Error& e) {
        fuzz::fail("LGPO text written by gpokit does not read", e.what());
    }
    return 0;
}
