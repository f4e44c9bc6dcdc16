// `gpokit pol show FILE`: the records of a registry.pol (file order, offsets), or
// with --effective what a client ends up with, as text, JSON or LGPO text.
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "util/error.hpp"
#include "pol/effective.hpp"
#include "render/pol_render.hpp"

namespace gpokit::cli {

namespace {

struct ShowOptions {
    std::string file;
    std::string format = "text";
    bool effective = false;
    bool lenient = false;
    std::string side;
};

int run_show(const ShowOptions& o, Context& ctx)
{
    gpo::OpenOptions options;
    options.lenient = o.lenient;
    if (!o.side.empty())
        options.side = parse_side(o.side);
    const gpo::Target target = open(ctx, o.file, {}, options);
    if (target.is_gpo())
        throw util::Error(o.file + ": is a folder, not a registry.pol file (`gpokit gpo show` shows a GPO)");
    const pol::Side side = *target.only();
    const pol::PolFile file = target.registry(side);
    if (o.format == "lgpo") {
        if (o.effective)
            render::records_lgpo(pol::to_pol(pol::apply(file), file.origin()), side, ctx.out);
        else
            render::records_lgpo(file, side, ctx.out);
        return k_exit_ok;
    }
    if (o.effective) {
        const pol::EffectiveState state = pol::apply(file);
        if (o.format == "json")
            render::effective_json(file, state, ctx.out);
        else
            render::effective_text(file, state, ctx.out);
        return k_exit_ok;
    }
    if (o.format == "json")
        render::records_json(file, ctx.out);
    else
        render::records_text(file, ctx.out);
    return k_exit_ok;
}

} // namespace

void setup_pol_show(CLI::App& pol, Command& command)
{
    auto o = std::make_shared<ShowOptions>();
    CLI::App* sub = pol.add_subcommand("show", "Print the records of a registry.pol, or its effective state");
    sub->add_option("FILE", o->file, "registry.pol to read")->required();
    sub->add_option("--format", o->format, "text (default), json, or lgpo (LGPO.exe text)")
        ->check(CLI::IsMember({"text", "json", "lgpo"}));
    sub->add_flag("--effective", o->effective,
                  "Show what a client ends up with (directives applied, last write wins) instead of the records");
    sub->add_flag("--lenient", o->lenient, "Accept bytes after the last record (shown, kept on save)");
    sub->add_option("--side", o->side, "machine or user, for LGPO text (default: from the folder name)")
        ->check(CLI::IsMember({"machine", "user"}));
    sub->footer(R"(Examples:
  gpokit pol show Machine/registry.pol
  gpokit pol show Machine/registry.pol --effective
  gpokit pol show Machine/registry.pol --format json > machine.json
  gpokit pol show User/registry.pol --format lgpo)");
    on_run(sub, command, o, run_show);
}

} // namespace gpokit::cli
