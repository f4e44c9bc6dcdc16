// `gpokit gpo ...`: commands on GPMC backups and SYSVOL GPO folders.
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "util/error.hpp"
#include "render/gpo_render.hpp"

namespace gpokit::cli {

void setup_gpo_edit(CLI::App& gpo, Command& command);
void setup_gpo_lint(CLI::App& gpo, Command& command);

namespace {

struct ListOptions {
    std::string root;
    std::string format = "text";
};

struct ShowOptions {
    std::string target;
    GpoSelection selection;
    std::string format = "text";
};

int run_list(const ListOptions& o, Context& ctx)
{
    const auto catalogue = gpo::scan(o.root);
    if (o.format == "json")
        render::gpo_list_json(catalogue, ctx.out);
    else
        render::gpo_list_text(catalogue, ctx.out);
    // Everything readable is listed; a file that is not is an error all the same.
    for (const auto& problem : catalogue.problems)
        ctx.err << "gpokit: error: " << problem.what() << '\n';
    return catalogue.problems.empty() ? k_exit_ok : k_exit_error;
}

int run_show(const ShowOptions& o, Context& ctx)
{
    const gpo::Target target = open(ctx, o.target, o.selection);
    if (!target.is_gpo())
        throw util::Error(o.target + ": not a GPO folder (for a registry.pol file, use `gpokit pol show`)");
    if (o.format == "json")
        render::gpo_show_json(target, ctx.out);
    else
        render::gpo_show_text(target, ctx.out);
    return k_exit_ok;
}

} // namespace

void setup_gpo(CLI::App& app, Command& command)
{
    CLI::App* gpo = app.add_subcommand("gpo", "List, show, edit and lint GPMC backups and SYSVOL GPO folders");
    gpo->require_subcommand(1);
    gpo->footer(R"(TARGET is a backup folder ({BACKUP-ID}/ with Backup.xml), a backup root holding backups
(select with --gpo or --backup-id; the newest backup of a GPO by default), or a SYSVOL
GPO folder (GPT.INI + Machine/ + User/).)");

    auto lo = std::make_shared<ListOptions>();
    CLI::App* list = gpo->add_subcommand("list", "List every GPO backup under a folder");
    list->add_option("ROOT", lo->root, "folder holding backups (searched recursively)")->required();
    list->add_option("--format", lo->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    list->footer(R"(Example:
  gpokit gpo list "GPO Backups" --format json)");
    on_run(list, command, lo, run_list);

    auto so = std::make_shared<ShowOptions>();
    CLI::App* show = gpo->add_subcommand("show", "Show a GPO: identity, versions, extensions, registry settings, files");
    show->add_option("TARGET", so->target, "backup folder, backup root or SYSVOL GPO folder")->required();
    add_selection_options(*show, so->selection);
    add_connect_options(*show, so->selection);
    show->add_option("--format", so->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    show->footer(R"(Examples:
  gpokit gpo show "GPO Backups/{0A1B2C3D-...}"
  gpokit gpo show "GPO Backups" --gpo "Default Domain Policy" --format json)");
    on_run(show, command, so, run_show);

    setup_gpo_edit(*gpo, command);
    setup_gpo_lint(*gpo, command);
}

} // namespace gpokit::cli
