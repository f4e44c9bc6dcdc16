// `gpokit pol ...`: commands on a single registry.pol file.
#include "cli/command.hpp"

namespace gpokit::cli {

void setup_pol_show(CLI::App& pol, Command& command);
void setup_pol_edit(CLI::App& pol, Command& command);
void setup_pol_build(CLI::App& pol, Command& command);
void setup_pol_check(CLI::App& pol, Command& command);

void setup_pol(CLI::App& app, Command& command)
{
    CLI::App* pol = app.add_subcommand("pol", "Read, edit, build and check a single registry.pol file");
    pol->require_subcommand(1);
    pol->footer("Run `gpokit pol COMMAND --help` for a command's options and examples.");
    setup_pol_show(*pol, command);
    setup_pol_edit(*pol, command);
    setup_pol_build(*pol, command);
    setup_pol_check(*pol, command);
}

} // namespace gpokit::cli
