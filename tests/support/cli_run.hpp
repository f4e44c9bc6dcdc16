// Runs gpokit's command line in process, as a user would run it, and keeps what it said.
#pragma once

#include "cli/app.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace gpokit::test {

struct CliResult {
    int status;
    std::string out, err;
};

inline CliResult run(const std::vector<std::string>& args)
{
    std::ostringstream out, err;
    cli::Context ctx{out, err};
    const int status = cli::run(args, ctx);
    return {status, out.str(), err.str()};
}

} // namespace gpokit::test
