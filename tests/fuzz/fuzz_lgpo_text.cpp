// libFuzzer target for the LGPO text reader (pol/text_forms.hpp, pol/lgpo.hpp).
//
// Properties, for whatever read_lgpo_text accepts:
// - the PolFile it builds serialises, and the record layer reads those bytes back;
// - render::records_lgpo writes it as LGPO text (or refuses with util::Error, for a
//   name LGPO text cannot carry), and that text reads back to the same records:
//   the same registry.pol bytes, for either side.
// The input's length picks the side asked for (none, Computer, User), so one corpus
// covers the side filter and the refusal of text holding both.
// Input it refuses must be refused with util::Error.
#include "fuzz_support.hpp"

#include "pol/pol_file.hpp"
#include "pol/text_forms.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"

#include <optional>
#include <sstream>

namespace {

using namespace gpokit;

util::Bytes read_back(const std::string& text, std::optional<pol::Side> side, const char* what)
{
    const auto bytes = util::as_bytes(text);
    try {
        return pol::read_lgpo_text({util::Bytes(bytes.begin(), bytes.end()), "written.txt"}, side).serialize();
    } catch (const util::Error& e) {
        fuzz::fail(what, e.what());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::optional<pol::Side> side = size % 3 == 0   ? std::nullopt
                                          : size % 3 == 1 ? std::optional(pol::Side::machine)
                                                          : std::optional(pol::Side::user);
    pol::PolFile first;
    try {
        first = pol::read_lgpo_text({fuzz::input_bytes(data, size), "fuzz.txt"}, side);
    } catch (const util::Error&) {
        return 0; // refused cleanly
    }
    const util::Bytes bytes = first.serialize();
    try {
        fuzz::require(pol::PolFile::parse(bytes, "written.pol").serialize() == bytes,
                      "the registry.pol built from LGPO text does not read back the same");
    } catch (const util::Error& e) {
        fuzz::fail("the registry.pol built from LGPO text does not read", e.what());
    }

    for (const pol::Side as : {pol::Side::machine, pol::Side::user}) {
        std::ostringstream text;
        try {
            render::records_lgpo(first, as, text);
        } catch (const util::Error&) {
            return 0; // a name LGPO text cannot carry
        }
        fuzz::require(read_back(text.str(), std::nullopt, "LGPO text written by gpokit does not read") == bytes,
                      "LGPO text written by gpokit reads back as other records");
        fuzz::require(read_back(text.str(), as, "LGPO text written by gpokit does not read for its side") == bytes,
                      "LGPO text written by gpokit reads back as other records for its side");
    }
    return 0;
}
