// `gpo lint` findings: "where: message [code]" lines, or JSON
// {"findings": [{"where", "code", "message"}]}.
#pragma once

#include "gpo/lint.hpp"
#include "render/format.hpp"

#include <ostream>
#include <vector>

namespace gpokit::render {

void lint_findings(const std::vector<gpo::LintFinding>& findings, Format format, std::ostream& out);

} // namespace gpokit::render
