// `gpokit gpo set|delete|disable|clear-key TARGET --side machine|user KEY ...`: the
// `pol` edits inside a GPO, with the version, extension-list and FSObjectFile
// bookkeeping of gpo/gpo_edit.hpp. Quiet on success except for what needs attention
// (a stale gpreport.xml, an extension list that lives in AD); --verbose lists all the
// bookkeeping, --dry-run prints it with the record changes and writes nothing,
// --output writes an edited copy of the whole GPO.
#include "cli/command.hpp"
#include "cli/edit_args.hpp"
#include "cli/target.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

struct GpoEditOptions {
    std::string target;
    GpoSelection selection;
    std::string side;
    std::shared_ptr<EditArgs> edit = std::make_shared<EditArgs>();
    bool dry_run = false;
    bool verbose = false;
    std::string output;
};

int run_gpo_edit(const GpoEditOptions& o, Context& ctx)
{
    gpo::OpenOptions options;
    options.for_edit = true;
    const gpo::Target target = open(ctx, o.target, o.selection, options);
    if (!target.is_gpo())
        throw util::Error(o.target + ": not a GPO folder (for a registry.pol file, use `gpokit pol`)");
    edit(ctx, target, parse_side(o.side), [&](pol::PolFile& f) { return apply_edit(*o.edit, f); },
         {o.dry_run, o.verbose, o.output});
    return k_exit_ok;
}

void add_gpo_edit(CLI::App& gpo, Command& command, EditKind kind, const char* example)
{
    auto o = std::make_shared<GpoEditOptions>();
    o->edit->kind = kind;
    CLI::App* sub = gpo.add_subcommand(edit_name(kind), std::string(edit_help(kind)) + ", with the GPO's bookkeeping");
    sub->add_option("TARGET", o->target, "backup folder, backup root or SYSVOL GPO folder")->required();
    sub->add_option("--side", o->side, "machine or user")->required()->check(CLI::IsMember({"machine", "user"}));
    add_edit_arguments(*sub, o->edit);
    add_selection_options(*sub, o->selection);
    sub->add_flag("--dry-run", o->dry_run, "Print the record changes and the bookkeeping; write nothing");
    sub->add_flag("--verbose", o->verbose, "Print the bookkeeping done (versions, extension list, Backup.xml)");
    sub->add_option("--output", o->output, "Write an edited copy of the whole GPO to this new folder");
    sub->footer(example);
    on_run(sub, command, o, run_gpo_edit);
}

} // namespace

void setup_gpo_edit(CLI::App& gpo, Command& command)
{
    add_gpo_edit(gpo, command, EditKind::set, R"(Examples:
  gpokit gpo set "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso' Enabled --type dword --data 1
  gpokit gpo set "GPO Backups" --gpo "Default Domain Policy" --side machine \
      'Software\Policies\Contoso' Enabled --type dword --data 1 --dry-run)");
    add_gpo_edit(gpo, command, EditKind::delete_, R"(Example:
  gpokit gpo delete "GPO Backups/{0A1B...}" --side user 'Software\Policies\Contoso' Enabled)");
    add_gpo_edit(gpo, command, EditKind::disable, R"(Example:
  gpokit gpo disable "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso' Enabled)");
    add_gpo_edit(gpo, command, EditKind::clear_key, R"(Example:
  gpokit gpo clear-key "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso\List')");
}

} // namespace gpokit::cli
