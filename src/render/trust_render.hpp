// `trust plan` and `trust keys`: the plan as a runbook (text or Markdown) or as JSON,
// and the realm side's keys (fingerprints unless the keys are asked for).
#pragma once

#include "render/format.hpp"
#include "trust/keys.hpp"
#include "trust/plan.hpp"
#include "trust/verify.hpp"

#include <ostream>
#include <vector>

namespace gpokit::render {

// text and markdown: the runbook; json: the plan other commands read.
void trust_plan(const trust::Plan& plan, Format format, std::ostream& out);

void trust_keys(const std::vector<trust::DerivedKey>& keys, bool show_keys, Format format, std::ostream& out);

// One thing `trust verify` checked and what differs from the plan.
struct TrustCheck {
    std::string what;
    std::vector<trust::Finding> findings;
};
void trust_verify(const trust::Plan& plan, const std::vector<TrustCheck>& checks, Format format, std::ostream& out);

} // namespace gpokit::render
