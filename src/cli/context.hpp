// What every command runs with: where output and diagnostics go. Commands never
// touch std::cout or global state directly, so tests run them in process.
#pragma once

#include <iostream>
#include <ostream>

namespace gpokit::cli {

// Exit statuses, the same for every command.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1; // findings, differences
inline constexpr int k_exit_error = 2;

struct Context {
    std::ostream& out = std::cout;
    std::ostream& err = std::cerr;
};

} // namespace gpokit::cli
