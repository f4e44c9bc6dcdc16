// `gpokit live fetch|push`: the live GPO on a domain controller. Reading commands
// (gpo show, policy show, kerberos show, diff, compare, lint) take live:// targets
// through the live opener (cli/target.cpp, live/live_gpo.hpp).
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "gpo/snapshot.hpp"
#include "live/fetch_all.hpp"
#include "live/live_gpo.hpp"
#include "live/push.hpp"
#include "render/push_render.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

struct FetchOptions {
    std::string target;
    std::string output;
    GpoSelection selection;
    std::string format = "text";
    bool all = false;
    int jobs = 4;
};

// Every GPO of the domain into OUTPUT/{GUID}: a progress line on a terminal, and what
// could not be fetched, each with its reason (exit 2 then; the others are there).
int run_fetch_all(const FetchOptions& o, const live::LiveUrl& url, Context& ctx)
{
    if (url.explicit_gpo || !o.selection.gpo.empty())
        throw util::Error("--all fetches every GPO: give live://HOST alone, without a GPO or --gpo");
    if (o.format != "text")
        throw util::Error("--all prints no metadata: each snapshot's is in its gpokit-snapshot.json");
    const auto progress = [&](std::size_t done, std::size_t total) {
        if (ctx.err_terminal)
            ctx.err << fmt::format("\rfetched {}/{} GPOs", done, total) << std::flush;
    };
    const auto result = live::fetch_all(url.host, connect_options(ctx, o.selection), o.output, o.jobs, progress);
    if (ctx.err_terminal)
        ctx.err << '\n';
    for (const auto& f : result.failures)
        ctx.err << fmt::format("gpokit: error: {}{}: {}\n", f.guid.empty() ? "a container" : f.guid,
                               f.name.empty() ? "" : " (" + f.name + ")", f.reason);
    if (!result.failures.empty()) {
        ctx.err << fmt::format("gpokit: {} GPO{} fetched into {}, {} could not be\n", result.fetched,
                               result.fetched == 1 ? "" : "s", o.output, result.failures.size());
        return k_exit_error;
    }
    return k_exit_ok;
}

int run_fetch(const FetchOptions& o, Context& ctx)
{
    const live::LiveUrl url = live::parse_live_url(o.target);
    if (o.all)
        return run_fetch_all(o, url, ctx);
    live::Connection c(url.host, connect_options(ctx, o.selection));
    const live::LiveGpo g = c.find(url, o.selection.gpo);
    const gpo::Snapshot s = live::fetch(c, g, o.output);
    if (o.format == "json") {
        const auto bytes = gpo::snapshot_json(s);
        ctx.out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    return k_exit_ok;
}

struct PushOptions {
    std::string source;
    std::string target;
    GpoSelection selection;
    std::string side = "both";
    bool yes = false;
    bool dry_run = false;
    bool force = false;
    bool other_gpo = false;
    bool break_lock = false;
    std::optional<std::int64_t> expect_version; // as ldapsearch shows it (signed) or as a version (unsigned)
    AdmxOptions admx;
};

// The settings already match. A push that stopped half way leaves exactly
// this, with the versions or the extension list behind: say so rather than succeed.
int nothing_to_push(const PushOptions& o, const live::PushSession& session, Context& ctx)
{
    const auto problems = session.incomplete_bookkeeping();
    if (!problems.empty()) {
        std::string text;
        for (const auto& p : problems)
            text += (text.empty() ? "" : "; ") + p;
        ctx.out << fmt::format("{} already has these settings, but its bookkeeping is incomplete ({}): "
                               "clients may not apply them. A push may have stopped half way: `gpokit live push "
                               "--force` finishes it.\n",
                               o.target, text);
        return k_exit_findings;
    }
    const char* where = o.side == "machine" ? " on the machine side" : o.side == "user" ? " on the user side" : "";
    ctx.out << fmt::format("{} already has these settings{}: nothing to push\n", o.target, where);
    return k_exit_ok;
}

int run_push(const PushOptions& o, Context& ctx)
{
    const live::LiveUrl url = live::parse_live_url(o.target);
    if (live::is_live_url(o.source))
        throw util::Error(o.source + ": push from a snapshot, a backup or a registry.pol, not from a live GPO");
    const auto& catalogue = ctx.catalogue(o.admx);
    // SOURCE first, read whole: a bad path or a malformed file fails before the DC is
    // contacted. A bare registry.pol holds one side, by its folder; --side says which.
    gpo::OpenOptions open_options;
    open_options.selector = o.selection.selector();
    if (o.side != "both")
        open_options.side = parse_side(o.side);
    const gpo::Target source = gpo::open_target(o.source, open_options, {});
    for (const auto side : {pol::Side::machine, pol::Side::user})
        if (source.holds(side))
            (void)source.registry(side);
    if (!source.is_gpo() && open_options.side && gpo::folder_side(source.file()) != *open_options.side)
        ctx.err << fmt::format("gpokit: note: {} is pushed to the {} side (--side)\n", o.source, o.side);

    live::Connection c(url.host, connect_options(ctx, o.selection));
    live::PushSession session(c, url, ctx.temps());
    live::PushOptions options;
    options.gpo = o.selection.gpo;
    options.side = open_options.side;
    options.force = o.force;
    options.other_gpo = o.other_gpo;
    options.break_lock = o.break_lock;
    options.expect_version = o.expect_version;
    session.prepare(source, options, catalogue, ctx.err);
    if (session.nothing_to_push())
        return nothing_to_push(o, session, ctx);

    render::push_preview(session, ctx.out);
    if (o.dry_run) {
        ctx.out << fmt::format("dry run: {} not written\n", o.target);
        return k_exit_findings;
    }
    if (!o.yes && !confirmed(ctx, fmt::format("Push to {}?", o.target))) {
        ctx.out << "not pushed: nothing was written\n";
        return k_exit_findings;
    }
    session.execute(ctx.out, ctx.err, !o.yes);
    ctx.out << fmt::format("pushed: {} is at version {}\n", o.target, session.plan().version_after);
    return k_exit_ok;
}

} // namespace

ManualText manual_live()
{
    return {{},
            R"(live fetch copies a GPO from a domain controller (SYSVOL over SMB, the
groupPolicyContainer over LDAP) into a snapshot folder that every offline command reads;
live push writes reviewed registry and security template settings back, with the
bookkeeping the Group Policy editor does, after checking that the GPO did not change since
it was reviewed.)",
            {{"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."},
             {"KRB5CCNAME", "The Kerberos ticket cache used to reach a domain controller when --user is not given "
                            "(see kinit(1))."}},
            {{"gpokit-snapshot.json", "In a snapshot folder: the GPO's directory attributes and its file list."},
             {"gpokit-push.lock", "In the live GPO's folder while a push writes it (--break-lock removes one a "
                                  "crashed push left)."}},
            {"kinit(1)"}};
}

void setup_live(CLI::App& app, Command& command)
{
    CLI::App* live = app.add_subcommand("live", "Read and update a GPO on a domain controller (SMB + LDAP)");
    live->require_subcommand(1);
    live->footer(R"(A live GPO is named live://HOST (the Default Domain Policy), live://HOST/{GUID}, or
live://HOST/?name=DISPLAY-NAME. HOST is a domain controller; the domain and its Policies
folder are read from it. Every command that reads a GPO (gpo show, policy show,
kerberos show, diff, compare) also takes a live:// target.

Authentication: Kerberos from your ticket cache (kinit first; name the DC by its host
name), or --user with a password from GPOKIT_PASSWORD, --password-file or a prompt.
With --user, LDAP runs over LDAPS (636) and the DC's certificate is verified.)");

    auto fo = std::make_shared<FetchOptions>();
    CLI::App* fetch = live->add_subcommand("fetch", "Copy a live GPO into a snapshot folder for offline review");
    fetch->add_option("TARGET", fo->target, "live://HOST[/{GUID} | /?name=NAME]")->required();
    fetch->add_option("--output,-o", fo->output, "The snapshot folder to create (must not exist, or be empty)")
        ->required();
    fetch->add_option("--gpo", fo->selection.gpo, "The GPO's GUID or display name, when TARGET names none");
    fetch->add_option("--format", fo->format, "text (default: quiet) or json (print the snapshot's metadata)")
        ->check(CLI::IsMember({"text", "json"}));
    fetch->add_flag("--all", fo->all, "Every GPO of the domain, each into OUTPUT/{GUID}");
    fetch->add_option("--jobs,-j", fo->jobs, "With --all: GPOs fetched at once, each worker with its own connections "
                                             "(default 4)")
        ->check(CLI::Range(1, 32));
    add_connect_options(*fetch, fo->selection);
    fetch->footer(R"(The snapshot holds the GPO folder in SYSVOL layout (<domain>/Policies/{GUID}/GPT.INI,
Machine/, User/, ...) and gpokit-snapshot.json (the groupPolicyContainer attributes
and the file list). An unchanged GPO fetched twice gives identical snapshots. Every
command that reads a GPO reads the snapshot folder; `live push` checks it was taken
at the live GPO's current version.

Examples:
  kinit admin@CORP.EXAMPLE.COM
  gpokit live fetch live://dc1.corp.example.com --output ddp-2026-11-22
  gpokit live fetch live://dc1.corp.example.com --all --output corp-gpos-2026-11-22
  gpokit live fetch live://10.0.0.5/?name=Kerberos%20Realms --user admin --ca-file corp-ca.pem -o kr)");
    on_run(fetch, command, fo, run_fetch);

    auto po = std::make_shared<PushOptions>();
    CLI::App* push = live->add_subcommand("push", "Write SOURCE's registry and security template settings to a live GPO, with the bookkeeping");
    push->add_option("SOURCE", po->source, "a snapshot, GPO backup, SYSVOL GPO folder or registry.pol")->required();
    push->add_option("TARGET", po->target, "live://HOST[/{GUID} | /?name=NAME]")->required();
    add_selection_options(*push, po->selection);
    push->add_option("--side", po->side, "machine, user or both (default)")
        ->check(CLI::IsMember({"machine", "user", "both"}));
    push->add_flag("--yes,-y", po->yes, "Do not ask before writing");
    push->add_flag("--dry-run,-n", po->dry_run, "Show the diff and what would be written; write nothing");
    push->add_flag("--force", po->force,
                   "Write and bump the versions even where the settings already match (to finish a push that "
                   "stopped half way)");
    push->add_flag("--break-lock", po->break_lock,
                   "Remove the lock file a crashed push left in the GPO's folder (only when no push is running)");
    push->add_flag("--other-gpo", po->other_gpo,
                   "Allow SOURCE to be a copy of another GPO than TARGET (its settings replace TARGET's)");
    push->add_option("--expect-version", po->expect_version,
                     "Stop unless the live versionNumber is this (the one the change was reviewed against)");
    add_admx_options(*push, po->admx); // their policies' clientExtension joins the extension list
    add_connect_options(*push, po->selection);
    push->footer(R"(Shows the registry and security template differences from the live GPO to SOURCE,
asks, then writes each changed side's Registry.pol and a changed security template
(Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf) over SMB, sets GPT.INI Version and
the directory's versionNumber to the same bumped value, and merges the Registry
extension (and the Security extension, for a template) into gPCMachineExtensionNames /
gPCUserExtensionNames (with the clientExtension of any ADMX policy the push sets).
Nothing else is pushed: other differences (preferences, audit.csv, scripts) are named
in a warning, and no file is removed. If the live GPO changed after the diff was shown,
nothing is written. A failure half way says what was and was not written.

Exit status: 0 pushed (or nothing to push), 1 not pushed (declined, --dry-run), 2 error.

Examples:
  gpokit live fetch live://dc1.corp.example.com -o ddp
  gpokit kerberos add-realm ddp --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net
  gpokit gpo set-security ddp --section "Kerberos Policy" --key MaxTicketAge --value 8
  gpokit diff live://dc1.corp.example.com ddp
  gpokit live push ddp live://dc1.corp.example.com)");
    on_run(push, command, po, run_push);
}

} // namespace gpokit::cli
