// The command line: builds the CLI11 application from one file per command group,
// parses, runs the chosen command, and turns every error into `gpokit: error: ...`
// on stderr with exit status 2. Nothing below cli/ prints or exits.
#pragma once

#include "cli/context.hpp"

#include <string>
#include <vector>

namespace gpokit::cli {

// Runs gpokit with `args` (without the program name). Returns the exit status.
int run(const std::vector<std::string>& args, Context& context);

int run(int argc, char** argv);

} // namespace gpokit::cli
