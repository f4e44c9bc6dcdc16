// `gpokit diff A B`: what changes from A to B, for a reviewer (text, Markdown, HTML) or
// a pipeline (JSON, CSV, exit status 1 when anything differs); `gpokit compare`:
// one row per setting across several targets.
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "diff/diff.hpp"
#include "render/diff_render.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <sstream>

namespace gpokit::cli {

namespace {

struct DiffOptions {
    std::string a;
    std::string b;
    GpoSelection selection;
    std::string side = "both";
    std::string format = "text";
    std::string output;
    AdmxOptions admx;
    bool records = false;
    bool ignore_metadata = false;
};

// Writes a report to --output (atomically) or standard output.
void emit(Context& ctx, const std::string& output, const std::function<void(std::ostream&)>& render)
{
    if (output.empty()) {
        render(ctx.out);
        return;
    }
    std::ostringstream text;
    render(text);
    util::write_file_atomic(output, util::as_bytes(text.str()));
}

int run_diff(const DiffOptions& o, Context& ctx)
{
    const auto& catalogue = ctx.catalogue(o.admx);
    const auto a = open(ctx, o.a, o.selection);
    const auto b = open(ctx, o.b, o.selection);
    diff::Options options;
    options.machine = o.side != "user";
    options.user = o.side != "machine";
    options.records = o.records;
    options.ignore_metadata = o.ignore_metadata;
    const diff::Diff d = diff::compute(a, b, catalogue, options);
    const render::Format format = render::parse_format(o.format);
    // Text is quiet when nothing differs; the other formats always say so.
    if (format != render::Format::text || !d.empty()) {
        // Colour only on a terminal, and never with NO_COLOR set (no-color.org).
        const bool color = o.output.empty() && ctx.out_terminal && !ctx.env("NO_COLOR");
        emit(ctx, o.output, [&](std::ostream& out) { render::render_diff(d, format, out, {color, true}); });
    }
    return d.empty() ? k_exit_ok : k_exit_findings;
}

struct CompareOptions {
    std::vector<std::string> targets;
    GpoSelection selection;
    std::string format = "text";
    std::string output;
    AdmxOptions admx;
};

int run_compare(const CompareOptions& o, Context& ctx)
{
    if (o.targets.size() < 2)
        throw util::Error("compare takes two or more targets");
    const auto& catalogue = ctx.catalogue(o.admx);
    std::vector<gpo::Target> targets;
    for (const auto& t : o.targets)
        targets.push_back(open(ctx, t, o.selection));
    const diff::Comparison c = diff::compare(targets, catalogue);
    emit(ctx, o.output,
         [&](std::ostream& out) { render::render_comparison(c, render::parse_format(o.format), out); });
    return c.conflicts() == 0 ? k_exit_ok : k_exit_findings;
}

} // namespace

void setup_diff(CLI::App& app, Command& command)
{
    auto co = std::make_shared<CompareOptions>();
    CLI::App* cmp = app.add_subcommand("compare", "One row per setting across GPOs: conflicts and absences (exit 1 on conflicts)");
    cmp->add_option("TARGET", co->targets,
                    "two or more registry.pol files, GPO backups, SYSVOL GPO folders, snapshots or live:// GPOs")
        ->required();
    add_selection_options(*cmp, co->selection);
    add_connect_options(*cmp, co->selection);
    cmp->add_option("--format", co->format, "text (default), csv, json, markdown or html")
        ->check(CLI::IsMember(render::format_names(render::compare_formats())));
    cmp->add_option("--output", co->output, "Write the report to this file");
    add_admx_options(*cmp, co->admx);
    cmp->footer(R"(Rows: '!' two GPOs give different data (a conflict), '?' some GPO does not set it.

Example:
  gpokit compare baseline/{A...} baseline/{B...} staged/{A...} --format csv --output compare.csv)");
    on_run(cmp, command, co, run_compare);

    auto o = std::make_shared<DiffOptions>();
    CLI::App* sub = app.add_subcommand("diff", "Show what changes from A to B (exit 1 when they differ)");
    sub->add_option("A", o->a, "registry.pol, GPO backup, backup root, SYSVOL GPO folder, snapshot or live:// GPO")
        ->required();
    sub->add_option("B", o->b, "the same kinds, in any mix")->required();
    add_selection_options(*sub, o->selection);
    add_connect_options(*sub, o->selection);
    sub->add_option("--side", o->side, "machine, user or both (default)")
        ->check(CLI::IsMember({"machine", "user", "both"}));
    sub->add_option("--format", o->format, "text (default), json, markdown, html or csv")
        ->check(CLI::IsMember(render::format_names(render::diff_formats())));
    sub->add_option("--output", o->output, "Write the report to this file instead of standard output");
    add_admx_options(*sub, o->admx);
    sub->add_flag("--records", o->records, "Also list record-level differences (order, directives, duplicates)");
    sub->add_flag("--ignore-metadata", o->ignore_metadata,
                  "Compare settings only: leave out GPO metadata (identity, versions, extension lists, permissions, "
                  "WMI filter, backup details) and the GPO's other files");
    sub->footer(R"(Exit status: 0 no differences, 1 differences, 2 error. Text is coloured on a terminal
unless NO_COLOR is set.

Examples:
  gpokit diff "GPO Backups/{0A1B...}" staged/{0A1B...}
  gpokit diff backup/ sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9} --format markdown
  gpokit diff old.pol new.pol --records --format json
  gpokit diff live://dc1.corp.example.com staged-ddp --format html --output review.html)");
    on_run(sub, command, o, run_diff);
}

} // namespace gpokit::cli
