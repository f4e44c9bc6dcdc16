// `gpokit pol set|delete|disable|clear-key FILE KEY ...`: edits on the record layer
// (see pol/pol_edit.hpp for the conventions kept). FILE is created when missing.
// Quiet on success; --dry-run prints the record changes without writing; --output
// writes the result elsewhere; otherwise FILE is replaced atomically. An edit that
// changes nothing writes nothing.
#include "cli/command.hpp"
#include "cli/edit_args.hpp"
#include "cli/target.hpp"
#include "util/error.hpp"

namespace gpokit::cli {

namespace {

struct PolEditOptions {
    std::string file;
    std::shared_ptr<EditArgs> edit = std::make_shared<EditArgs>();
    bool dry_run = false;
    bool lenient = false;
    std::string output;
};

int run_edit(const PolEditOptions& o, Context& ctx)
{
    gpo::OpenOptions options;
    options.lenient = o.lenient;
    options.for_edit = true;
    const gpo::Target target = open(ctx, o.file, {}, options);
    if (target.is_gpo())
        throw util::Error(o.file + ": is a folder; `gpokit gpo " + std::string(edit_name(o.edit->kind)) +
                          "` edits a GPO with its bookkeeping");
    edit(ctx, target, *target.only(), [&](pol::PolFile& f) { return apply_edit(*o.edit, f); },
         {o.dry_run, false, o.output});
    return k_exit_ok;
}

void add_edit(CLI::App& pol, Command& command, EditKind kind, const char* examples)
{
    auto o = std::make_shared<PolEditOptions>();
    o->edit->kind = kind;
    CLI::App* sub = pol.add_subcommand(edit_name(kind), edit_help(kind));
    sub->add_option("FILE", o->file, "registry.pol to edit (created when missing)")->required();
    add_edit_arguments(*sub, o->edit);
    sub->add_flag("--dry-run", o->dry_run, "Print the record changes; write nothing");
    sub->add_option("--output", o->output, "Write the result to this file instead of FILE");
    sub->add_flag("--lenient", o->lenient, "Accept bytes after the last record (kept as they are)");
    sub->footer(examples);
    on_run(sub, command, o, run_edit);
}

} // namespace

void setup_pol_edit(CLI::App& pol, Command& command)
{
    add_edit(pol, command, EditKind::set, R"(Examples:
  gpokit pol set Machine/registry.pol 'Software\Policies\Contoso' Enabled --type dword --data 1
  gpokit pol set registry.pol 'Software\Policies\Contoso' Servers --type multi_sz --data a.example --data b.example
  gpokit pol set registry.pol 'Software\Policies\Contoso' Blob --type binary --data '01 02 ff' --dry-run)");
    add_edit(pol, command, EditKind::delete_, R"(Examples:
  gpokit pol delete Machine/registry.pol 'Software\Policies\Contoso' Enabled
  gpokit pol delete Machine/registry.pol 'Software\Policies\Contoso')");
    add_edit(pol, command, EditKind::disable, R"(Example:
  gpokit pol disable Machine/registry.pol 'Software\Policies\Contoso' Enabled)");
    add_edit(pol, command, EditKind::clear_key, R"(Example:
  gpokit pol clear-key Machine/registry.pol 'Software\Policies\Contoso\Servers')");
}

} // namespace gpokit::cli
