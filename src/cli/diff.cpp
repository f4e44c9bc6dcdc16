// `gpokit diff A B`: what changes from A to B, for a reviewer (text, Markdown, HTML) or
// a pipeline (JSON, exit status 1 when anything differs).
#include "cli/command.hpp"
#include "cli/gpo_common.hpp"
#include "diff/diff.hpp"
#include "render/diff_render.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace gpokit::cli {

namespace {

struct DiffOptions {
    std::string a;
    std::string b;
    GpoSelection selection;
    std::string side = "both";
    std::string format = "text";
    std::string output;
    std::vector<std::string> admx;
    bool records = false;
    bool ignore_metadata = false;
};

int run_diff(const DiffOptions& o, Context& ctx)
{
    auto catalogue = policy::Catalogue::builtin();
    for (const auto& dir : o.admx)
        catalogue.load_dir(dir);
    auto a = diff::open_source(o.selection.local(o.a), o.selection.selector());
    auto b = diff::open_source(o.selection.local(o.b), o.selection.selector());
    a.label = o.a;
    b.label = o.b;
    diff::Options options;
    options.machine = o.side != "user";
    options.user = o.side != "machine";
    options.records = o.records;
    options.ignore_metadata = o.ignore_metadata;
    const diff::Diff d = diff::compute(a, b, catalogue, options);

    std::ostringstream text;
    std::ostream& out = o.output.empty() ? ctx.out : text;
    if (o.format == "json") {
        render::diff_json(d, out);
    } else if (o.format == "markdown") {
        render::diff_markdown(d, out);
    } else if (o.format == "html") {
        render::diff_html(d, out);
    } else if (!d.empty()) {
        // Colour only on a terminal, and never with NO_COLOR set (no-color.org).
        const bool color = o.output.empty() && &ctx.out == &std::cout && ::isatty(STDOUT_FILENO) == 1 &&
                           std::getenv("NO_COLOR") == nullptr;
        render::diff_text(d, out, color);
    }
    if (!o.output.empty()) {
        const std::string s = text.str();
        util::write_file_atomic(o.output, util::as_bytes(s));
    }
    return d.empty() ? k_exit_ok : k_exit_findings;
}

struct CompareOptions {
    std::vector<std::string> targets;
    GpoSelection selection;
    std::string format = "text";
    std::string output;
    std::vector<std::string> admx;
};

int run_compare(const CompareOptions& o, Context& ctx)
{
    if (o.targets.size() < 2)
        throw util::Error("compare takes two or more targets");
    auto catalogue = policy::Catalogue::builtin();
    for (const auto& dir : o.admx)
        catalogue.load_dir(dir);
    std::vector<diff::Source> sources;
    for (const auto& t : o.targets) {
        sources.push_back(diff::open_source(o.selection.local(t), o.selection.selector()));
        sources.back().label = t;
    }
    const diff::Comparison c = diff::compare(sources, catalogue);
    std::ostringstream text;
    std::ostream& out = o.output.empty() ? ctx.out : text;
    if (o.format == "csv")
        render::compare_csv(c, out);
    else if (o.format == "json")
        render::compare_json(c, out);
    else if (o.format == "html")
        render::compare_html(c, out);
    else
        render::compare_text(c, out);
    if (!o.output.empty()) {
        const std::string s = text.str();
        util::write_file_atomic(o.output, util::as_bytes(s));
    }
    return c.conflicts() == 0 ? k_exit_ok : k_exit_findings;
}

} // namespace

void setup_diff(CLI::App& app, Command& command)
{
    auto co = std::make_shared<CompareOptions>();
    CLI::App* cmp = app.add_subcommand("compare", "One row per setting across GPOs: conflicts and absences (exit 1 on conflicts)");
    cmp->add_option("TARGET", co->targets, "two or more registry.pol files, GPO backups or SYSVOL GPO folders")
        ->required();
    add_selection_options(*cmp, co->selection);
    add_connect_options(*cmp, co->selection);
    cmp->add_option("--format", co->format, "text (default), csv, json or html")
        ->check(CLI::IsMember({"text", "csv", "json", "html"}));
    cmp->add_option("--output", co->output, "Write the report to this file");
    cmp->add_option("--admx", co->admx, "a PolicyDefinitions folder to name more policies (repeat)")
        ->allow_extra_args(false);
    cmp->footer(R"(Rows: '!' two GPOs give different data (a conflict), '?' some GPO does not set it.

Example:
  gpokit compare baseline/{A...} baseline/{B...} staged/{A...} --format csv --output compare.csv)");
    on_run(cmp, command, co, run_compare);

    auto o = std::make_shared<DiffOptions>();
    CLI::App* sub = app.add_subcommand("diff", "Show what changes from A to B (exit 1 when they differ)");
    sub->add_option("A", o->a, "registry.pol, GPO backup, backup root or SYSVOL GPO folder")->required();
    sub->add_option("B", o->b, "the same kinds, in any mix")->required();
    add_selection_options(*sub, o->selection);
    add_connect_options(*sub, o->selection);
    sub->add_option("--side", o->side, "machine, user or both (default)")
        ->check(CLI::IsMember({"machine", "user", "both"}));
    sub->add_option("--format", o->format, "text (default), json, markdown or html")
        ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
    sub->add_option("--output", o->output, "Write the report to this file instead of standard output");
    sub->add_option("--admx", o->admx, "a PolicyDefinitions folder to name more policies (repeat)")
        ->allow_extra_args(false);
    sub->add_flag("--records", o->records, "Also list record-level differences (order, directives, duplicates)");
    sub->add_flag("--ignore-metadata", o->ignore_metadata, "Compare registry settings only");
    sub->footer(R"(Exit status: 0 no differences, 1 differences, 2 error. Text is coloured on a terminal
unless NO_COLOR is set.

Examples:
  gpokit diff "GPO Backups/{0A1B...}" staged/{0A1B...}
  gpokit diff backup/ sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9} --format markdown
  gpokit diff old.pol new.pol --records --format json)");
    on_run(sub, command, o, run_diff);
}

} // namespace gpokit::cli
