// Renderers for `policy list` (the catalogue) and `policy show` (what a target's sides
// configure: policies, raw registry values, and a GPO's other settings by area), as
// text or JSON.
#pragma once

#include "policy/report.hpp"
#include "render/format.hpp"

#include <ostream>
#include <vector>

namespace gpokit::render {

void policy_list(const policy::Catalogue& catalogue, Format format, std::ostream& out);
void policy_show(const std::vector<policy::SideReport>& sides, Format format, std::ostream& out);

} // namespace gpokit::render
