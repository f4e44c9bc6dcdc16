// `gpokit live fetch|push`: the live GPO on a domain controller. Reading commands
// (gpo show, policy show, kerberos show, diff, compare) take live:// targets through
// GpoSelection::local(), which fetches a private snapshot first.
#include "cli/command.hpp"
#include "cli/gpo_common.hpp"
#include "diff/diff.hpp"
#include "gpo/extension_list.hpp"
#include "gpo/snapshot.hpp"
#include "live/live_gpo.hpp"
#include "live/push.hpp"
#include "render/diff_render.hpp"
#include "util/error.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace gpokit::cli {

std::string GpoSelection::local(const std::string& target) const
{
    if (!live::is_live_url(target))
        return target;
    return live::fetch_temporary(target, gpo, connect).string();
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

namespace {

struct FetchOptions {
    std::string target;
    std::string output;
    GpoSelection selection;
    std::string format = "text";
};

int run_fetch(const FetchOptions& o, Context& ctx)
{
    const live::LiveUrl url = live::parse_live_url(o.target);
    live::Connection c(url.host, o.selection.connect);
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
    std::vector<std::string> admx;
};

// What SOURCE is a copy of: its GPO, or for a registry.pol inside a GPO folder, that GPO.
std::optional<gpo::Gpo> origin_of(const diff::Source& source, const std::string& path)
{
    if (source.gpo)
        return source.gpo;
    const auto folder = std::filesystem::absolute(path).parent_path().parent_path();
    if (util::find_child(folder, "GPT.INI")) {
        try {
            return gpo::open_gpo(folder, {});
        } catch (const util::Error&) {
            // not a GPO folder after all: a registry.pol on its own
        }
    }
    return std::nullopt;
}

// A snapshot of the target records the versions it was taken at: pushing it over a
// newer live GPO would undo whatever changed in between. (With no registry difference,
// as when --force finishes a push that stopped half way, nothing can be undone.)
void refuse_stale(const std::string& label, const std::optional<gpo::Gpo>& origin, const live::LiveGpo& g,
                  const gpo::Gpo& live, const diff::Diff& d)
{
    if (!origin || !origin->directory || origin->directory->dn != g.object.dn || d.registry.empty())
        return;
    const gpo::DirectoryObject& taken = *origin->directory;
    const auto text = [](const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "absent"; };
    if (taken.version_number() != g.object.version_number())
        throw util::Error(fmt::format("{}: the snapshot was taken at versionNumber {}, the live GPO is now at {}: "
                                      "fetch it again and redo the change (the push would undo what changed in "
                                      "between); nothing was written",
                                      label, text(taken.version_number()), text(g.object.version_number())));
    const std::uint32_t gpt_now = (live.user.version << 16) | live.machine.version;
    if (taken.gpt_version && *taken.gpt_version != gpt_now)
        throw util::Error(fmt::format("{}: the snapshot was taken at GPT.INI Version {}, the live GPO's is now {}: "
                                      "fetch it again and redo the change (the push would undo what changed in "
                                      "between); nothing was written",
                                      label, *taken.gpt_version, gpt_now));
}

// The registry settings already match. A push that stopped half way leaves exactly
// this, with the versions or the extension list behind: say so rather than succeed.
int nothing_to_push(const PushOptions& o, const live::LiveGpo& g, const gpo::Gpo& live, const diff::Source& now,
                    const diff::Options& sides, Context& ctx)
{
    std::vector<std::string> problems;
    const std::uint32_t gpt = (live.user.version << 16) | live.machine.version;
    const auto ds = g.object.version_number();
    if (ds != gpt)
        problems.push_back(fmt::format("GPT.INI Version {} and versionNumber {} disagree", gpt,
                                       ds ? std::to_string(*ds) : "(absent)"));
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        if (!(side == pol::Side::machine ? sides.machine : sides.user) || now.side(side).records.empty())
            continue;
        const auto list = gpo::parse_extension_list(live.side(side).extensions.value_or(""));
        const auto tool = side == pol::Side::machine ? gpo::k_registry_tool_machine : gpo::k_registry_tool_user;
        if (!list || !list->has(gpo::k_registry_cse, tool))
            problems.push_back(fmt::format("gPC{}ExtensionNames does not list the Registry extension",
                                           side == pol::Side::machine ? "Machine" : "User"));
    }
    if (!problems.empty()) {
        std::string text;
        for (const auto& p : problems)
            text += (text.empty() ? "" : "; ") + p;
        ctx.out << fmt::format("{} already has these registry settings, but its bookkeeping is incomplete ({}): "
                               "clients may not apply them. A push may have stopped half way: `gpokit live push "
                               "--force` finishes it.\n",
                               o.target, text);
        return k_exit_findings;
    }
    const char* where = !sides.user ? " on the machine side" : !sides.machine ? " on the user side" : "";
    ctx.out << fmt::format("{} already has these registry settings{}: nothing to push\n", o.target, where);
    return k_exit_ok;
}

// Reads one line from standard input: the administrator's answer.
bool confirmed(Context& ctx, const std::string& question)
{
    ctx.out << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer))
        answer.clear();
    if (!::isatty(STDIN_FILENO))
        ctx.out << answer << '\n';
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

int run_push(const PushOptions& o, Context& ctx)
{
    const live::LiveUrl url = live::parse_live_url(o.target);
    if (live::is_live_url(o.source))
        throw util::Error(o.source + ": push from a snapshot, a backup or a registry.pol, not from a live GPO");
    auto catalogue = policy::Catalogue::builtin();
    for (const auto& dir : o.admx)
        catalogue.load_dir(dir);
    // SOURCE first: a bad path fails before the DC is contacted.
    diff::Source source = diff::open_source(o.source, o.selection.selector());
    // A bare registry.pol holds one side, by the folder it is in; --side says which.
    if (source.only && o.side != "both" && (o.side == "user") != (*source.only == pol::Side::user))
        ctx.err << fmt::format("gpokit: note: {} is pushed to the {} side (--side)\n", o.source, o.side);
    if (source.only && o.side == "user" && *source.only == pol::Side::machine) {
        source.user = std::move(source.machine);
        source.machine = pol::PolFile();
        source.only = pol::Side::user;
    } else if (source.only && o.side == "machine" && *source.only == pol::Side::user) {
        source.machine = std::move(source.user);
        source.user = pol::PolFile();
        source.only = pol::Side::machine;
    }

    live::Connection c(url.host, o.selection.connect);
    live::LiveGpo g = c.find(url, o.selection.gpo);
    const std::optional<gpo::Gpo> origin = origin_of(source, o.source);
    if (origin && !util::iequal_ascii(origin->guid, g.guid) && !o.other_gpo)
        throw util::Error(fmt::format("{}: holds GPO {} \"{}\", the target is {} \"{}\": the push would give it "
                                      "another GPO's settings; nothing was written (--other-gpo if that is meant)",
                                      o.source, origin->guid, origin->display_name, g.guid,
                                      g.object.attribute("displayName") ? *g.object.attribute("displayName") : ""));
    if (o.expect_version && (*o.expect_version < INT32_MIN || *o.expect_version > UINT32_MAX))
        throw util::Error(fmt::format("--expect-version {}: not a 32-bit version number", *o.expect_version));
    if (o.expect_version && g.object.version_number() != static_cast<std::uint32_t>(*o.expect_version))
        throw util::Error(fmt::format("{}: versionNumber is {}, not {} (--expect-version): the live GPO changed since "
                                      "the change was reviewed; nothing was written",
                                      g.object.source,
                                      g.object.version_number() ? std::to_string(*g.object.version_number()) : "absent",
                                      *o.expect_version));
    if (o.break_lock)
        live::break_lock(c, g, ctx.out);
    // The live side as it is now, read into a private snapshot, is what the diff shows
    // and what the plan checks again before writing.
    const std::string model = live::private_folder("gpokit-push").string();
    live::name_temporary(std::filesystem::path(model) / "live", g);
    // The plan works from the container as the fetch read it, with the files.
    g.object = live::fetch(c, g, std::filesystem::path(model) / "live").object;
    diff::Source live_source;
    try {
        live_source = diff::open_source(model + "/live", {});
    } catch (const util::Error& e) {
        if (!o.force)
            throw util::Error(fmt::format("{}\n(--force replaces an unreadable live Registry.pol with SOURCE's)",
                                          live::readable(e.what())));
        // Repairing a broken live file: read what can be read, the rest as empty.
        live_source.gpo = gpo::open_gpo(model + "/live", {});
        for (const auto side : {pol::Side::machine, pol::Side::user}) {
            const auto& s = live_source.gpo->side(side);
            auto& file = side == pol::Side::machine ? live_source.machine : live_source.user;
            if (!s.registry_pol)
                continue;
            try {
                file = pol::PolFile::load(*s.registry_pol);
            } catch (const util::Error& bad) {
                ctx.err << "gpokit: warning: " << live::readable(bad.what()) << " (replaced by the push)\n";
            }
        }
    }
    live_source.label = o.target;

    diff::Options options;
    options.machine = o.side != "user" && (!source.only || *source.only == pol::Side::machine);
    options.user = o.side != "machine" && (!source.only || *source.only == pol::Side::user);
    options.ignore_metadata = true;
    const diff::Diff d = diff::compute(live_source, source, catalogue, options);
    std::vector<live::SideSource> sides;
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const bool wanted = side == pol::Side::machine ? options.machine : options.user;
        const bool changed = std::any_of(d.registry.begin(), d.registry.end(),
                                         [&](const diff::RegistryChange& r) { return r.side == side; });
        // --force: after a push that stopped half way, the files may already match
        // while the versions were never bumped.
        const bool forced = o.force && wanted && (source.only || source.gpo->side(side).registry_pol);
        if (!changed && !forced)
            continue;
        // A policy with a clientExtension needs that extension to process the GPO too.
        std::vector<std::string> extensions;
        for (const auto& r : d.registry) {
            if (r.side != side || !r.policy || r.policy->state_after == "Not configured")
                continue;
            try {
                const auto& p = catalogue.find(r.policy->name);
                if (!p.client_extension.empty() &&
                    std::find(extensions.begin(), extensions.end(), p.client_extension) == extensions.end())
                    extensions.push_back(p.client_extension);
            } catch (const util::Error&) {
                // a policy the catalogue cannot name again has no clientExtension to add
            }
        }
        sides.push_back({side, source.side(side).serialize(), std::move(extensions)});
    }
    if (sides.empty())
        return nothing_to_push(o, g, *live_source.gpo, live_source, options, ctx);
    refuse_stale(o.source, origin, g, *live_source.gpo, d);

    diff::Diff shown = d;
    shown.files.clear();
    render::diff_text(shown, ctx.out, false);

    const live::PushPlan plan = live::plan_push(g, *live_source.gpo, sides);
    ctx.out << "\nThe push will write:\n";
    for (const auto& w : plan.writes)
        ctx.out << fmt::format("  //{}/{}/{} ({} bytes)\n", url.host, g.share, w.path, w.after.size());
    ctx.out << fmt::format("  GPT.INI Version {} -> {}\n", plan.gpt_version_before, plan.version_after);
    ctx.out << fmt::format("  versionNumber {} -> {}\n",
                           plan.directory_version ? std::to_string(*plan.directory_version) : "(absent)",
                           plan.version_after);
    if (plan.machine_extensions_after)
        ctx.out << fmt::format("  gPCMachineExtensionNames \"{}\" -> \"{}\"\n",
                               plan.machine_extensions_before.value_or(""), *plan.machine_extensions_after);
    if (plan.user_extensions_after)
        ctx.out << fmt::format("  gPCUserExtensionNames \"{}\" -> \"{}\"\n", plan.user_extensions_before.value_or(""),
                               *plan.user_extensions_after);
    for (const auto& note : plan.notes)
        ctx.out << "  note: " << note << '\n';
    if (o.dry_run) {
        ctx.out << fmt::format("dry run: {} not written\n", o.target);
        return k_exit_findings;
    }
    if (!o.yes) {
        if (!confirmed(ctx, fmt::format("Push to {}?", o.target))) {
            ctx.out << "not pushed: nothing was written\n";
            return k_exit_findings;
        }
        // The answer may have taken longer than the DC keeps an idle LDAP connection.
        c.reconnect();
    }
    live::execute_push(c, plan, ctx.out, ctx.err);
    ctx.out << fmt::format("pushed: {} is at version {}\n", o.target, plan.version_after);
    return k_exit_ok;
}

} // namespace

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
    add_connect_options(*fetch, fo->selection);
    fetch->footer(R"(The snapshot holds the GPO folder in SYSVOL layout (<domain>/Policies/{GUID}/GPT.INI,
Machine/, User/, ...) and gpokit-snapshot.json (the groupPolicyContainer attributes
and the file list). An unchanged GPO fetched twice gives identical snapshots. Every
command that reads a GPO reads the snapshot folder; `live push` checks it was taken
at the live GPO's current version.

Examples:
  kinit admin@CORP.EXAMPLE.COM
  gpokit live fetch live://dc1.corp.example.com --output ddp-2026-11-22
  gpokit live fetch live://10.0.0.5/?name=Kerberos%20Realms --user admin --ca-file corp-ca.pem -o kr)");
    on_run(fetch, command, fo, run_fetch);

    auto po = std::make_shared<PushOptions>();
    CLI::App* push = live->add_subcommand("push", "Write SOURCE's registry settings to a live GPO, with GPMC's bookkeeping");
    push->add_option("SOURCE", po->source, "a snapshot, GPO backup, SYSVOL GPO folder or registry.pol")->required();
    push->add_option("TARGET", po->target, "live://HOST[/{GUID} | /?name=NAME]")->required();
    add_selection_options(*push, po->selection);
    push->add_option("--side", po->side, "machine, user or both (default)")
        ->check(CLI::IsMember({"machine", "user", "both"}));
    push->add_flag("--yes,-y", po->yes, "Do not ask before writing");
    push->add_flag("--dry-run,-n", po->dry_run, "Show the diff and what would be written; write nothing");
    push->add_flag("--force", po->force,
                   "Write and bump the versions even where the registry settings already match (to finish a push "
                   "that stopped half way)");
    push->add_flag("--break-lock", po->break_lock,
                   "Remove the lock file a crashed push left in the GPO's folder (only when no push is running)");
    push->add_flag("--other-gpo", po->other_gpo,
                   "Allow SOURCE to be a copy of another GPO than TARGET (its settings replace TARGET's)");
    push->add_option("--expect-version", po->expect_version,
                     "Stop unless the live versionNumber is this (the one the change was reviewed against)");
    push->add_option("--admx", po->admx,
                     "a PolicyDefinitions folder naming more policies (repeat); their clientExtension joins the "
                     "extension list")
        ->allow_extra_args(false);
    add_connect_options(*push, po->selection);
    push->footer(R"(Shows the registry differences from the live GPO to SOURCE, asks, then writes each
changed side's Registry.pol over SMB, sets GPT.INI Version and the directory's
versionNumber to the same bumped value, and merges the Registry extension into
gPCMachineExtensionNames / gPCUserExtensionNames (with the clientExtension of any ADMX
policy the push sets). Only registry settings are pushed: the GPO's other files
(security templates, preferences, scripts) are left as they are on the DC. If the live
GPO changed after the diff was shown, nothing is written. A failure half way says what
was and was not written.

Exit status: 0 pushed (or nothing to push), 1 not pushed (declined, --dry-run), 2 error.

Examples:
  gpokit live fetch live://dc1.corp.example.com -o ddp
  gpokit kerberos add-realm ddp --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net
  gpokit diff live://dc1.corp.example.com ddp
  gpokit live push ddp live://dc1.corp.example.com)");
    on_run(push, command, po, run_push);
}

} // namespace gpokit::cli
