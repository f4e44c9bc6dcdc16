// What a side's registry.pol configures, in policy terms: each policy of the
// catalogue that is not Not configured, with its state and element values, and the
// registry values no configured policy writes (raw values); for a GPO also the side's
// other settings (security template, audit policy, preferences). `policy show` renders it.
#pragma once

#include "gpo/gpo_settings.hpp"
#include "pol/pol_file.hpp"
#include "policy/engine.hpp"
#include "policy/owners.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gpokit::policy {

struct RawValue {
    std::string key;
    std::string value;
    std::uint32_t type = 0;
    util::Bytes data;
};

struct SideReport {
    pol::Side side = pol::Side::machine;
    std::vector<std::pair<const Policy*, Reading>> configured; // catalogue order
    std::vector<RawValue> unmapped;
    std::vector<gpo::GpoSetting> settings; // a GPO's settings of this side other than registry values
};

SideReport report_side(const Catalogue& catalogue, const OwnerIndex& owners, const pol::PolFile& file, pol::Side side);

// An element's value for people: true, 5, "text", ["a", "b"], [name = "value", ...].
std::string element_text(const ElementValue& value);

} // namespace gpokit::policy
