#include "cli/target.hpp"

#include "diff/diff.hpp"
#include "live/live_gpo.hpp"
#include "render/diff_render.hpp"
#include "render/notes.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

void add_selection_options(CLI::App& sub, GpoSelection& selection)
{
    sub.add_option("--gpo", selection.gpo,
                   "In a backup root: the GPO's display name (any case), GUID (braces optional) or backup ID");
    sub.add_option("--backup-id", selection.backup_id, "In a backup root: this backup exactly");
}

void add_connect_options(CLI::App& sub, GpoSelection& selection)
{
    const char* group = "Domain controller (live://HOST targets)";
    auto& c = selection.connect;
    sub.add_option("--user", c.user,
                   "Bind as this user (NAME, DOMAIN\\NAME or NAME@REALM) over LDAPS and SMB; the password comes from "
                   "GPOKIT_PASSWORD, --password-file or a prompt. Default: Kerberos with your ticket cache")
        ->group(group);
    sub.add_option("--password-file", c.password_file, "Read the --user password from this file's first line")
        ->group(group);
    sub.add_option("--ca-file", c.ca_file, "CA certificates (PEM) that sign the DC's LDAPS certificate")->group(group);
    sub.add_flag("--insecure-tls", c.insecure_tls, "Do not verify the DC's LDAPS certificate")->group(group);
    sub.add_option("--timeout", c.timeout_seconds, "Seconds to wait for the DC (default 15)")
        ->check(CLI::Range(1, 3600))
        ->group(group);
}

void add_admx_options(CLI::App& sub, AdmxOptions& admx)
{
    sub.add_option("--admx", admx.dirs,
                   "a PolicyDefinitions folder (*.admx with en-US/*.adml), e.g. the domain's central store; repeat "
                   "for more")
        ->allow_extra_args(false);
    sub.add_flag("--strict", admx.strict,
                 "An ADMX or ADML file that cannot be read is an error (default: a warning, the file skipped)");
}

live::ConnectOptions connect_options(Context& ctx, const GpoSelection& selection)
{
    live::ConnectOptions o = selection.connect;
    o.environment_password = ctx.env("GPOKIT_PASSWORD");
    o.ask_password = ctx.ask_secret;
    return o;
}

gpo::Openers openers(Context& ctx, const GpoSelection& selection)
{
    gpo::Openers out;
    out.add("live://", live::opener(connect_options(ctx, selection), ctx.temps()));
    return out;
}

gpo::Target open(Context& ctx, const std::string& spec, const GpoSelection& selection, gpo::OpenOptions options)
{
    options.selector = selection.selector();
    return gpo::open_target(spec, options, openers(ctx, selection));
}

gpo::TargetSet open_many(Context& ctx, const std::string& spec, const GpoSelection& selection)
{
    gpo::OpenOptions options;
    options.selector = selection.selector();
    return gpo::open_targets(spec, options, openers(ctx, selection));
}

bool edit(Context& ctx, const gpo::Target& target, pol::Side side, const gpo::PolEdit& change,
          const EditOptions& o, const std::vector<std::string>& extensions)
{
    return carry_out(ctx, target, gpo::plan_edit(target, side, change, extensions), o);
}

bool carry_out(Context& ctx, const gpo::Target& target, const gpo::EditPlan& plan, const EditOptions& o)
{
    const std::string where = o.output.empty() ? target.label() : o.output;
    if (o.dry_run) {
        if (!plan.changed) {
            ctx.out << "no change\n";
        } else {
            render::render_diff(diff::of_edit(target, plan, ctx.catalogue()), render::Format::text, ctx.out,
                                {false, false});
            for (const auto& note : plan.notes)
                ctx.out << "  " << render::note_text(note) << '\n';
        }
        ctx.out << fmt::format("dry run: {} not written\n", where);
        return plan.changed;
    }
    if (!plan.changed && o.verbose)
        ctx.out << "no change\n";
    std::optional<std::filesystem::path> output;
    if (!o.output.empty())
        output = o.output;
    std::vector<gpo::Note> notes = plan.notes;
    for (auto& note : gpo::commit(target, plan, output))
        notes.push_back(std::move(note));
    for (const auto& note : notes) {
        if (o.verbose && !gpo::needs_attention(note.kind))
            ctx.out << render::note_text(note) << '\n';
        else if (gpo::needs_attention(note.kind))
            ctx.err << (note.kind == gpo::NoteKind::not_atomic ? "gpokit: warning: " : "gpokit: note: ")
                    << render::note_text(note) << '\n';
    }
    return plan.changed;
}

pol::Side parse_side(const std::string& name)
{
    if (name == "machine" || name == "computer")
        return pol::Side::machine;
    if (name == "user")
        return pol::Side::user;
    throw util::Error(fmt::format("--side must be machine or user, not \"{}\"", name));
}

} // namespace gpokit::cli
