// `gpokit diff A B`: what changes from A to B, for a reviewer (text, Markdown, HTML) or
// a pipeline (JSON, CSV, exit status 1 when anything differs); `gpokit compare`:
// one row per setting (registry value, template, audit or preference setting) across
// several targets.
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "diff/diff.hpp"
#include "diff/estate.hpp"
#include "gpo/estate.hpp"
#include "live/fetch_all.hpp"
#include "live/url.hpp"
#include "render/diff_render.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <optional>
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
    bool only_changed = false;
    bool all = false;
    int jobs = 4;
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

// A side of a diff that is a set of GPOs: a backup root or a folder of snapshots, or
// live://HOST (no GPO named) when the other side is a set too or --all asks for it.
bool whole_set(const std::string& spec, const std::string& other, const DiffOptions& o)
{
    if (!o.selection.selector().empty())
        return false;
    if (live::is_live_url(spec)) {
        if (live::parse_live_url(spec).explicit_gpo)
            return false;
        return o.all || (!live::is_live_url(other) && gpo::is_estate(other));
    }
    return gpo::is_estate(spec);
}

gpo::Estate open_estate(Context& ctx, const std::string& spec, const DiffOptions& o)
{
    if (live::is_live_url(spec))
        return live::read_estate(live::parse_live_url(spec).host, connect_options(ctx, o.selection), ctx.temps(),
                                 o.jobs);
    return gpo::load_estate(spec, spec);
}

diff::Options diff_options(const DiffOptions& o)
{
    diff::Options options;
    options.machine = o.side != "user";
    options.user = o.side != "machine";
    options.records = o.records;
    options.ignore_metadata = o.ignore_metadata;
    return options;
}

// Two sets of GPOs: the GPOs added, removed and changed, then each changed GPO's diff.
int run_estate_diff(const DiffOptions& o, Context& ctx)
{
    const auto& catalogue = ctx.catalogue(o.admx);
    const gpo::Estate a = open_estate(ctx, o.a, o);
    const gpo::Estate b = open_estate(ctx, o.b, o);
    const diff::EstateDiff d = diff::compute_estate(a, b, catalogue, diff_options(o));
    for (const auto& note : d.notes)
        ctx.err << "gpokit: note: " << note << '\n';
    const render::Format format = render::parse_format(o.format);
    if (format != render::Format::text || !d.empty() || !d.problems.empty()) {
        const bool color = o.output.empty() && ctx.out_terminal && !ctx.env("NO_COLOR");
        emit(ctx, o.output, [&](std::ostream& out) {
            render::render_estate_diff(d, format, out, {color, o.only_changed});
        });
    }
    for (const auto& p : d.problems)
        ctx.err << "gpokit: error: " << p << '\n';
    if (!d.problems.empty())
        return k_exit_error;
    return d.empty() ? k_exit_ok : k_exit_findings;
}

// One GPO against the GPO of a set that is the same one (by GUID, else by name).
gpo::Target same_gpo(Context& ctx, const std::string& set, const gpo::Target& one, const DiffOptions& o)
{
    gpo::Estate estate = open_estate(ctx, set, o);
    if (!one.is_gpo()) {
        if (estate.gpos.size() == 1)
            return estate.gpos.front().target;
        throw util::Error(fmt::format("{} holds {} GPOs and {} is a registry.pol: choose one with --gpo", set,
                                      estate.gpos.size(), one.label()));
    }
    const gpo::EstateGpo* found = gpo::find_in(estate, one.gpo());
    if (!found)
        throw util::Error(fmt::format("{} holds no GPO {} or named \"{}\" (it holds {}); choose one with --gpo", set,
                                      one.gpo().guid, one.gpo().display_name, estate.gpos.size()));
    if (!util::iequal_ascii(found->target.gpo().guid, one.gpo().guid))
        ctx.err << fmt::format("gpokit: note: {} is matched by its display name \"{}\" ({} in {})\n",
                               one.gpo().guid, one.gpo().display_name, found->target.gpo().guid, set);
    return found->target;
}

int run_diff(const DiffOptions& o, Context& ctx)
{
    const bool set_a = whole_set(o.a, o.b, o);
    const bool set_b = whole_set(o.b, o.a, o);
    if (set_a && set_b)
        return run_estate_diff(o, ctx);
    if (o.only_changed || o.all)
        throw util::Error("--only-changed and --all compare sets of GPOs: give two backup roots, folders of "
                          "snapshots or live://HOST domains");
    const auto& catalogue = ctx.catalogue(o.admx);
    std::optional<gpo::Target> a, b;
    if (set_a) {
        b = open(ctx, o.b, o.selection);
        a = same_gpo(ctx, o.a, *b, o);
    } else {
        a = open(ctx, o.a, o.selection);
        b = set_b ? same_gpo(ctx, o.b, *a, o) : open(ctx, o.b, o.selection);
    }
    const diff::Diff d = diff::compute(*a, *b, catalogue, diff_options(o));
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

ManualText manual_diff()
{
    return {"show what changes between GPOs, and compare settings across GPOs",
            R"(diff shows what changes from A to B for a reviewer: settings by policy (with the ADMX
names gpokit knows), registry values, the security template, audit policy, preferences,
and the GPO's metadata. compare lines up the settings of two or more GPOs, one row per
setting, to find conflicts. A and B (and compare's targets) are any GPO targets or
registry.pol files, in any mix.)",
            {{"NO_COLOR", "When set, text output is not coloured, even on a terminal."},
             {"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."}},
            {},
            {}};
}

void setup_diff(CLI::App& app, Command& command)
{
    auto co = std::make_shared<CompareOptions>();
    CLI::App* cmp = app.add_subcommand("compare", "One row per setting across GPOs (registry values, security template, audit policy, preferences): conflicts and absences (exit 1 on conflicts)");
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
    sub->add_option("A", o->a,
                    "registry.pol, GPO backup, SYSVOL GPO folder, snapshot or live:// GPO; or a set of GPOs: a backup "
                    "root, a `live fetch --all` folder, live://HOST (the domain)")
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
    sub->add_flag("--records", o->records,
                  "Also list record-level differences (order, directives, duplicates) and the security template's "
                  "lines that differ");
    sub->add_flag("--ignore-metadata", o->ignore_metadata,
                  "Compare settings only: leave out GPO metadata (identity, versions, extension lists, permissions, "
                  "WMI filter, backup details) and the GPO's other files");
    sub->add_flag("--only-changed", o->only_changed, "Sets of GPOs: leave unchanged GPOs out of the list");
    sub->add_flag("--all", o->all, "Compare every GPO: live://HOST is the whole domain, not its Default Domain Policy");
    sub->add_option("--jobs,-j", o->jobs, "GPOs of a live domain read at once (default 4)")->check(CLI::Range(1, 32));
    sub->footer(R"(Two sets of GPOs (backup roots, `live fetch --all` folders, a live domain) are compared
GPO by GPO: matched by GUID, else by display name (said so), the GPOs added, removed
and changed are listed first, then each changed GPO's diff. A set against one GPO
compares that GPO with the set's GPO of the same GUID. --gpo narrows both sides to one.

Exit status: 0 no differences, 1 differences, 2 error (for sets: also a GPO either side
could not read; the rest is still shown). Text is coloured on a terminal unless
NO_COLOR is set.

Examples:
  gpokit diff "GPO Backups/{0A1B...}" staged/{0A1B...}
  gpokit diff backup/ sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9} --format markdown
  gpokit diff old.pol new.pol --records --format json
  gpokit diff live://dc1.corp.example.com staged-ddp --format html --output review.html
  gpokit diff corp-gpos-2026-11-22 live://dc1.corp.example.com --only-changed
  gpokit diff "GPO Backups/2026-11" "GPO Backups/2026-12" --format json)");
    on_run(sub, command, o, run_diff);
}

} // namespace gpokit::cli
