// How a command file plugs into the application: setup_x() adds its subcommand
// and options to CLI11 and, when the subcommand is chosen, stores the work to run
// in Command::action. run() executes it after parsing, so parse errors and command
// errors are reported the same way.
#pragma once

#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace gpokit::cli {

struct Command {
    Context& context;
    std::function<int()> action;
};

// Makes `sub` store `work` (called with the parsed options) as the command to run.
template <typename Options, typename Run>
void on_run(CLI::App* sub, Command& command, std::shared_ptr<Options> options, Run work)
{
    sub->callback([&command, options, work] {
        command.action = [&command, options, work] { return work(*options, command.context); };
    });
}

// gpokit's whole command line: its name, description, --version and every command group.
// run() parses with it; the manual pages and the completion script are written from it.
void setup_app(CLI::App& app, Command& command);
// The version --version prints.
const char* version();

void setup_pol(CLI::App& app, Command& command);
void setup_gpo(CLI::App& app, Command& command);
void setup_kerberos(CLI::App& app, Command& command);
void setup_policy(CLI::App& app, Command& command);
void setup_diff(CLI::App& app, Command& command);
void setup_live(CLI::App& app, Command& command);
void setup_trust(CLI::App& app, Command& command);
void setup_stage(CLI::App& app, Command& command);

} // namespace gpokit::cli
