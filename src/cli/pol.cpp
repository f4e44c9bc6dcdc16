// `gpokit pol ...`: commands on a single registry.pol file.
#include "cli/command.hpp"
#include "cli/manual.hpp"

namespace gpokit::cli {

void setup_pol_show(CLI::App& pol, Command& command);
void setup_pol_edit(CLI::App& pol, Command& command);
void setup_pol_build(CLI::App& pol, Command& command);
void setup_pol_check(CLI::App& pol, Command& command);

ManualText manual_pol()
{
    return {{},
            R"(A registry.pol file ([MS-GPREG]) is a list of records: key, value name, type and
data, applied by clients in order. gpokit keeps every record, its order and its bytes:
loading and saving an untouched file gives back the same file, and an edit changes only
the records it is about, the way Windows writes them.

Keys are written without a hive (the file's folder, Machine or User, gives it); a key
with HKLM\ or a similar prefix is refused. Edits land atomically: a temporary file in
the same folder, flushed, then renamed over the original.)",
            {},
            {{"Machine/Registry.pol", "A GPO's computer settings (HKEY_LOCAL_MACHINE)."},
             {"User/Registry.pol", "A GPO's user settings (HKEY_CURRENT_USER)."}},
            {}};
}

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
