// libFuzzer target for the ADMX/ADML reader (policy/admx.hpp) and the policy engine
// that works on what it reads (policy/engine.hpp).
//
// Input: an ADMX text, a NUL byte, an ADML text (no NUL: an ADMX without ADML, as
// when the language folder lacks it). XML never holds a NUL, so the split is exact.
//
// Property: Catalogue::load either refuses the pair with util::Error or gives
// policies the engine can use: for the first few, their footprint, and each state
// written to an empty registry.pol and read back, raise nothing but util::Error (a
// value that does not fit its element, a required element without a value).
#include "fuzz_support.hpp"

#include "pol/pol_file.hpp"
#include "policy/admx.hpp"
#include "policy/engine.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace {

using namespace gpokit;

constexpr std::size_t k_policies_tried = 8;

void exercise(const policy::Catalogue& catalogue, const policy::Policy& p)
{
    try {
        (void)catalogue.find(p.full_name());
    } catch (const util::Error&) {
        // two policies of the same name
    }
    (void)policy::footprint(p);
    for (const auto state : {policy::State::enabled, policy::State::disabled, policy::State::not_configured}) {
        pol::PolFile file;
        try {
            (void)policy::write(file, p, state, {});
        } catch (const util::Error&) {
            continue; // refused cleanly
        }
        try {
            (void)policy::read(p, policy::RegistryView(file));
        } catch (const util::Error&) {
            // the records read back are refused cleanly
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string admx = input.substr(0, nul);
    const std::string adml = nul == std::string::npos ? std::string() : input.substr(nul + 1);
    policy::Catalogue catalogue;
    try {
        catalogue.load("fuzz.admx", admx, "en-US/fuzz.adml", adml);
    } catch (const util::Error&) {
        return 0; // refused cleanly
    }
    const auto& policies = catalogue.policies();
    for (std::size_t i = 0; i < std::min(policies.size(), k_policies_tried); ++i)
        exercise(catalogue, policies[i]);
    return 0;
}
