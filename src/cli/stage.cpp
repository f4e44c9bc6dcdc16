// gpokit stage: staging bundles that carry reviewed GPO changes into an air-gapped
// domain (stage/bundle.hpp).
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "live/live_gpo.hpp"
#include "live/push.hpp"
#include "live/url.hpp"
#include "render/diff_render.hpp"
#include "render/push_render.hpp"
#include "stage/archive.hpp"
#include "stage/signature.hpp"
#include "stage/sums.hpp"
#include "stage/bundle.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <sstream>

#ifndef GPOKIT_VERSION
#define GPOKIT_VERSION "0.0.0"
#endif

namespace gpokit::cli {

namespace {

// The bundle named on the command line, verified: its folder (an archive is read into
// a private folder first) and what verify found.
struct OpenedBundle {
    std::filesystem::path folder;
    stage::Verification verification;
};

OpenedBundle open_bundle(Context& ctx, const std::string& spec, const stage::VerifyOptions& options)
{
    std::filesystem::path folder = spec;
    std::vector<stage::Finding> refused;
    std::error_code ec;
    if (std::filesystem::is_regular_file(spec, ec)) {
        const auto extracted = stage::extract_archive(spec, ctx.temps().make("gpokit-bundle"));
        folder = extracted.folder;
        for (const auto& r : extracted.refused)
            refused.push_back({r.substr(0, r.find(": ")), r.substr(r.find(": ") + 2)});
    }
    stage::Verification v = stage::verify_bundle(folder, options);
    v.findings.insert(v.findings.begin(), refused.begin(), refused.end());
    return {folder, std::move(v)};
}

void print_findings(Context& ctx, const std::string& bundle, const stage::Verification& v)
{
    for (const auto& f : v.findings)
        ctx.out << fmt::format("{}/{}: {}\n", bundle, f.file, f.what);
    if (!v.findings.empty())
        ctx.out << fmt::format("{}: {} finding{}; do not apply this bundle\n", bundle, v.findings.size(),
                               v.findings.size() == 1 ? "" : "s");
}

struct CreateOptions {
    std::vector<std::string> changed;
    std::string base;
    std::string output;
    std::string sign_key, sign_cert;
    std::string migtable;
    std::string archive;
    std::string trust_plan;
    AdmxOptions admx;
};

int run_create(const CreateOptions& o, Context& ctx)
{
    // A folder of snapshots also records where each GPO is linked and its WMI filter.
    std::optional<gpo::Estate> estate;
    std::error_code ec;
    if (std::filesystem::is_directory(o.base, ec) && gpo::is_estate(o.base))
        estate = gpo::load_estate(o.base, o.base);
    std::vector<stage::StagedGpo> gpos;
    for (const auto& spec : o.changed) {
        gpo::Target changed = open(ctx, spec, {});
        if (!changed.is_gpo())
            throw util::Error(spec + ": not a GPO (stage a backup, snapshot or SYSVOL folder)");
        GpoSelection selection;
        selection.gpo = changed.gpo().guid; // the same GPO in the base
        gpo::Target base = open(ctx, o.base, selection);
        stage::StagedGpo staged{std::move(changed), std::move(base), std::nullopt, {}};
        if (estate && estate->has_links)
            if (const gpo::EstateGpo* e = gpo::find_in(*estate, staged.base.gpo())) {
                staged.links = e->links;
                staged.wmi_filter = e->wmi_filter;
            }
        gpos.push_back(std::move(staged));
    }
    stage::CreateOptions options;
    options.gpokit_version = GPOKIT_VERSION;
    if (!o.sign_key.empty())
        options.sign_key = o.sign_key;
    if (!o.sign_cert.empty())
        options.sign_cert = o.sign_cert;
    if (!o.migtable.empty())
        options.migtable = o.migtable;
    if (!o.archive.empty())
        options.archive = o.archive;
    if (!o.trust_plan.empty())
        options.trust_plan = o.trust_plan;
    if (const auto epoch = ctx.env("SOURCE_DATE_EPOCH")) {
        try {
            options.epoch = std::stoll(*epoch);
        } catch (const std::exception&) {
            throw util::Error("SOURCE_DATE_EPOCH=" + *epoch + " is not a number of seconds");
        }
    }
    const auto result = stage::create_bundle(gpos, ctx.catalogue(o.admx), o.output, options);
    for (const auto& note : result.notes)
        ctx.err << "gpokit: note: " << note << '\n';
    ctx.out << fmt::format("{} (bundle {})\n", util::display_path(result.folder), result.id);
    return k_exit_ok;
}

struct VerifyOptions {
    std::string bundle;
    std::string format = "text";
    std::string cert, ca;
};

int run_verify(const VerifyOptions& o, Context& ctx)
{
    stage::VerifyOptions options;
    if (!o.cert.empty())
        options.cert = o.cert;
    if (!o.ca.empty())
        options.ca = o.ca;
    const stage::Verification v = open_bundle(ctx, o.bundle, options).verification;
    if (o.format == "json") {
        util::JsonWriter w(ctx.out);
        w.begin_document("gpokit-stage-verify/1");
        w.member("bundle", o.bundle);
        w.member("id", v.id);
        w.member("ok", v.findings.empty());
        w.member("signed", v.signed_);
        w.member("signer", v.signer);
        w.member("signer_checked", v.signer_checked);
        w.key("findings");
        w.begin_array();
        for (const auto& f : v.findings) {
            w.begin_object();
            w.member("file", f.file);
            w.member("finding", f.what);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        w.flush();
        ctx.out << '\n';
    } else {
        print_findings(ctx, o.bundle, v);
        if (v.findings.empty() && v.signed_ && !v.signer_checked)
            ctx.err << fmt::format("gpokit: note: {}: signed by {}, a certificate not checked (--cert or --ca "
                                   "checks who signed)\n",
                                   o.bundle, v.signer);
    }
    return v.findings.empty() ? k_exit_ok : k_exit_findings;
}

struct ShowOptions {
    std::string bundle;
    std::string format = "text";
};

int run_show(const ShowOptions& o, Context& ctx)
{
    const OpenedBundle b = open_bundle(ctx, o.bundle, {});
    const stage::Verification& v = b.verification;
    if (!v.bundle)
        throw util::Error(o.bundle + ": bundle.json cannot be read (run stage verify)");
    const auto review = [&](const std::string& guid, const char* ext) {
        const auto path = b.folder / "review" / (guid + ext);
        const util::Bytes bytes = util::read_file(path, "review/" + guid + ext);
        return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    };
    if (o.format == "json") {
        util::JsonWriter w(ctx.out);
        w.begin_document("gpokit-stage-show/1");
        w.member("bundle", o.bundle);
        w.member("id", v.id);
        w.member("intact", v.findings.empty());
        w.member("signed", v.signed_);
        w.member("signer", v.signer);
        w.member("created", v.bundle->created);
        w.member("gpokit_version", v.bundle->gpokit_version);
        w.key("gpos");
        w.begin_array();
        for (const auto& g : v.bundle->gpos) {
            w.begin_object();
            w.member("guid", g.guid);
            w.member("name", g.name);
            w.member("base_version", std::uint64_t{g.base_version});
            w.member("backup_id", g.backup_id);
            w.member("review", "review/" + g.guid + ".json");
            w.end_object();
        }
        w.end_array();
        w.end_object();
        w.flush();
        ctx.out << '\n';
        return v.findings.empty() ? k_exit_ok : k_exit_findings;
    }
    const bool md = o.format == "markdown";
    ctx.out << fmt::format("{}Bundle {}\n\n", md ? "# " : "", v.id);
    ctx.out << fmt::format("{}created {} by gpokit {}; {}; {}\n", md ? "- " : "", v.bundle->created,
                           v.bundle->gpokit_version,
                           v.signed_ ? "signed by " + v.signer : std::string("not signed"),
                           v.findings.empty() ? "intact (every hash matches)"
                                              : fmt::format("{} finding(s): run stage verify", v.findings.size()));
    for (const auto& g : v.bundle->gpos) {
        ctx.out << fmt::format("\n{}{} {}\n", md ? "## " : "== ", g.name, g.guid);
        ctx.out << fmt::format("{}applies over version {} (the base it was prepared against); backup {}\n\n",
                               md ? "- " : "", g.base_version, g.backup_id);
        ctx.out << review(g.guid, md ? ".md" : ".txt");
    }
    return v.findings.empty() ? k_exit_ok : k_exit_findings;
}

struct ApplyOptions {
    std::string bundle;
    std::string target;
    bool yes = false;
    bool dry_run = false;
    std::string cert, ca;
    std::string receipt;
    std::string sign_key, sign_cert;
    GpoSelection selection;
    AdmxOptions admx;
};

std::string now_text()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

int run_apply(const ApplyOptions& o, Context& ctx)
{
    const live::LiveUrl url = live::parse_live_url(o.target);
    if (url.explicit_gpo)
        throw util::Error(o.target + ": name the domain controller only (live://HOST): the bundle says which GPOs");
    stage::VerifyOptions vo;
    if (!o.cert.empty())
        vo.cert = o.cert;
    if (!o.ca.empty())
        vo.ca = o.ca;
    const OpenedBundle b = open_bundle(ctx, o.bundle, vo);
    if (!b.verification.findings.empty()) {
        print_findings(ctx, o.bundle, b.verification);
        return k_exit_findings;
    }
    const stage::Bundle& bundle = *b.verification.bundle;
    const auto& catalogue = ctx.catalogue(o.admx);
    live::Connection c(url.host, connect_options(ctx, o.selection));

    // Every GPO is read and checked before anything is written.
    struct Step {
        const stage::BundleGpo* gpo;
        std::unique_ptr<live::PushSession> session;
        std::optional<std::uint32_t> before;
        bool already = false;
    };
    std::vector<Step> steps;
    std::vector<gpo::Target> sources;
    sources.reserve(bundle.gpos.size());
    int refused = 0;
    for (const auto& g : bundle.gpos) {
        sources.push_back(gpo::open_target((b.folder / "backups" / g.backup_id).string(), {}, {}));
        const live::LiveUrl gpo_url = live::parse_live_url(fmt::format("live://{}/{}", url.host, g.guid));
        Step step{&g, std::make_unique<live::PushSession>(c, gpo_url, ctx.temps()), std::nullopt, false};
        step.session->prepare(sources.back(), {}, catalogue, ctx.err);
        step.before = step.session->live_version();
        const std::string version = step.before ? std::to_string(*step.before) : "absent";
        if (step.session->nothing_to_push()) {
            const auto problems = step.session->incomplete_bookkeeping();
            if (!problems.empty())
                throw util::Error(fmt::format("{} \"{}\": already has the bundle's settings, but its bookkeeping is "
                                              "incomplete ({}); finish it with `gpokit live push --force`",
                                              g.guid, g.name, problems.front()));
            step.already = true;
            ctx.out << fmt::format("{} \"{}\": already applied (version {}); nothing to do\n", g.guid, g.name, version);
        } else if (step.before.value_or(0) != g.base_version) {
            ++refused;
            ctx.out << fmt::format("{} \"{}\": the live GPO is at version {}, the bundle was prepared against version "
                                   "{}: it changed since; not applied. What differs from live to the bundle:\n",
                                   g.guid, g.name, version, g.base_version);
            render::render_diff(step.session->diff(), render::Format::text, ctx.out);
        }
        steps.push_back(std::move(step));
    }
    if (refused > 0) {
        ctx.out << fmt::format("{}: {} GPO(s) moved since the bundle was made; nothing was written\n", o.bundle, refused);
        return k_exit_findings;
    }
    const bool any = std::any_of(steps.begin(), steps.end(), [](const Step& s) { return !s.already; });
    if (!any) {
        ctx.out << fmt::format("{}: already applied to {}; nothing to do\n", o.bundle, o.target);
        return k_exit_ok;
    }
    for (const auto& s : steps)
        if (!s.already) {
            ctx.out << fmt::format("\n== {} {}\n", s.gpo->name, s.gpo->guid);
            render::push_preview(*s.session, ctx.out);
        }
    if (o.dry_run) {
        ctx.out << fmt::format("dry run: {} not applied\n", o.bundle);
        return k_exit_findings;
    }
    if (!o.yes && !confirmed(ctx, fmt::format("Apply {} to {}?", o.bundle, o.target))) {
        ctx.out << "not applied: nothing was written\n";
        return k_exit_findings;
    }
    const std::string started = now_text();
    for (auto& s : steps)
        if (!s.already)
            s.session->execute(ctx.out, ctx.err, !o.yes);

    // The domain now holds what the bundle carries: read again, GPO by GPO.
    std::ostringstream receipt;
    {
        util::JsonWriter w(receipt);
        w.begin_document("gpokit-stage-receipt/1");
        w.member("bundle_id", b.verification.id);
        w.member("domain_controller", url.host);
        w.member("started", started);
        w.member("finished", now_text());
        w.key("gpos");
        w.begin_array();
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const Step& s = steps[i];
            const live::LiveUrl gpo_url = live::parse_live_url(fmt::format("live://{}/{}", url.host, s.gpo->guid));
            live::PushSession check(c, gpo_url, ctx.temps());
            check.prepare(sources[i], {}, catalogue, ctx.err);
            if (!check.nothing_to_push() || !check.incomplete_bookkeeping().empty())
                throw util::Error(fmt::format("{} \"{}\": after the push the live GPO still differs from the bundle; "
                                              "review it with `gpokit diff`",
                                              s.gpo->guid, s.gpo->name));
            const auto text = [](const std::optional<std::uint32_t>& v) { return std::uint64_t{v.value_or(0)}; };
            w.begin_object();
            w.member("guid", s.gpo->guid);
            w.member("name", s.gpo->name);
            w.member("applied", !s.already);
            w.member("version_before", text(s.before));
            w.member("version_after", text(check.live_version()));
            w.end_object();
        }
        w.end_array();
        w.end_object();
        w.flush();
    }
    receipt << '\n';
    const std::filesystem::path receipt_path =
        !o.receipt.empty() ? std::filesystem::path(o.receipt)
                           : std::filesystem::path(util::folder_path(o.bundle).string() + ".receipt.json");
    const std::string text = receipt.str();
    util::write_file_atomic(receipt_path, util::as_bytes(text));
    if (!o.sign_key.empty())
        util::write_file_atomic(receipt_path.string() + ".p7s",
                                stage::cms_sign(util::as_bytes(text), o.sign_key, o.sign_cert, false));
    ctx.out << fmt::format("applied: {} to {}; receipt {}\n", o.bundle, o.target, util::display_path(receipt_path));
    return k_exit_ok;
}

} // namespace

ManualText manual_stage()
{
    return {{},
            R"(Staging bundles carry reviewed GPO changes into an air-gapped domain. create writes
one from edited GPOs and the base they were prepared from: GPMC backups, the change
review, bundle.json with each GPO's base version, a GPMC migration table, an import
script for Windows (Import-Bundle.ps1) and SHA256SUMS, optionally signed (CMS) and
packed as a reproducible tar. verify checks every hash, that no file is missing or
added, the signature and the backups; show says what the bundle will do; apply pushes
it to a domain controller, refusing a GPO that moved since the base, and writes a
receipt.)",
            {{"SOURCE_DATE_EPOCH", "For stage create: fixed times and backup IDs, so that the same inputs give the "
                                   "same bundle and archive."},
             {"GPOKIT_PASSWORD", "The password for --user when stage apply reaches a domain controller (instead of "
                                 "--password-file or a prompt)."},
             {"KRB5CCNAME", "The Kerberos ticket cache used to reach a domain controller when --user is not given "
                            "(see kinit(1))."}},
            {{"BUNDLE/SHA256SUMS", "The SHA-256 of every other file (sha256sum -c reads it); its own SHA-256 is the "
                                   "bundle's ID."},
             {"BUNDLE/SHA256SUMS.p7s", "A detached CMS signature of SHA256SUMS (openssl cms -verify reads it)."}},
            {"sha256sum(1)", "openssl-cms(1)"}};
}

void setup_stage(CLI::App& app, Command& command)
{
    CLI::App* stage = app.add_subcommand("stage", "Carry reviewed GPO changes into an air-gapped domain as a verifiable bundle");
    stage->require_subcommand(1);

    auto co = std::make_shared<CreateOptions>();
    CLI::App* create = stage->add_subcommand("create", "Write a staging bundle of changed GPOs against their base");
    create->add_option("CHANGED", co->changed, "Edited GPOs: backups, snapshots, SYSVOL folders")->required();
    create->add_option("--base", co->base,
                       "What they were prepared from: a `live fetch` snapshot, an --all snapshot folder, a backup "
                       "(root)")
        ->required();
    create->add_option("--output,-o", co->output, "The bundle folder to create (must not exist)")->required();
    create->add_option("--sign-key", co->sign_key, "Sign SHA256SUMS with this PEM private key (CMS, detached)");
    create->add_option("--sign-cert", co->sign_cert, "The signer's PEM certificate, carried in the signature");
    create->add_option("--archive", co->archive,
                       "Also write the bundle as this tar file (sorted names, fixed times, owners and modes)");
    create->add_option("--trust-plan", co->trust_plan,
                       "Carry this trust plan (`trust plan --format json`) and its runbook in trust/");
    create->add_option("--migtable", co->migtable,
                       "Carry this (edited) GPMC migration table instead of the same-as-source one gpokit writes");
    add_admx_options(*create, co->admx);
    create->footer(R"(The bundle holds backups/ (each changed GPO as a GPMC backup, importable with
Import-GPO), review/ (the change against the base as text, Markdown, HTML and JSON, as
`gpokit diff` shows it), bundle.json (each GPO's GUID, name and the base versionNumber
it was prepared against), migration.migtable (every security principal and UNC path
the GPOs name, mapped same as source; edit it and pass it with --migtable to map them
onto another domain) and SHA256SUMS over every other file; the SHA-256 of
SHA256SUMS is the bundle's ID, printed on success. With --sign-key and --sign-cert,
SHA256SUMS.p7s is a detached CMS signature of SHA256SUMS (openssl cms -verify, .NET
SignedCms). With SOURCE_DATE_EPOCH set, times and backup IDs are fixed (and an RSA
signature carries no signing time): the same inputs give the same bundle.

Exit status: 0 written, 2 error (nothing written).

Examples:
  gpokit live fetch live://dc1.corp.example.com -o ddp-base
  cp -r ddp-base ddp && gpokit kerberos add-realm ddp --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net
  gpokit stage create ddp --base ddp-base -o realm-bundle)");
    on_run(create, command, co, run_create);

    auto vo = std::make_shared<VerifyOptions>();
    CLI::App* verify = stage->add_subcommand("verify", "Check a staging bundle: every hash, no file missing or added, the backups");
    verify->add_option("BUNDLE", vo->bundle, "The bundle folder, or its tar archive")->required();
    verify->add_option("--format", vo->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    verify->add_option("--cert", vo->cert, "The signer must be this PEM certificate (the bundle must be signed)");
    verify->add_option("--ca", vo->ca, "The signer must chain to one of these PEM CA certificates");
    verify->footer(R"(Checks every file against SHA256SUMS, that no listed file is missing and no file was
added, the signature of SHA256SUMS when there is one (and that there is one, and who
made it, with --cert or --ca), that bundle.json parses and names backups the bundle
holds, that each backup loads and lints clean, and that the migration table parses and
maps every principal and UNC path the backups name, to no placeholder. Each finding
names its file. An archive is extracted into a private temporary folder first, with
only regular files and folders inside its top folder taken: links, absolute names
and "../" are refused and reported.

Exit status: 0 the bundle is intact, 1 findings, 2 unreadable (no SHA256SUMS, malformed).

Example:
  gpokit stage verify realm-bundle)");
    on_run(verify, command, vo, run_verify);

    auto so = std::make_shared<ShowOptions>();
    CLI::App* show = stage->add_subcommand("show", "What a staging bundle will do, GPO by GPO");
    show->add_option("BUNDLE", so->bundle, "The bundle folder, or its tar archive")->required();
    show->add_option("--format", so->format, "text (default), markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    show->footer(R"(Shows the bundle's ID, when and by what it was made, whether it is signed and
intact, and for each GPO the version it applies over and its change review.

Exit status: 0 shown (the bundle intact), 1 shown with findings (run stage verify), 2 error.

Example:
  gpokit stage show realm-bundle)");
    on_run(show, command, so, run_show);

    auto ao = std::make_shared<ApplyOptions>();
    CLI::App* apply = stage->add_subcommand("apply", "Apply a verified bundle to the domain (live push of each GPO)");
    apply->add_option("BUNDLE", ao->bundle, "The bundle folder, or its tar archive")->required();
    apply->add_option("TARGET", ao->target, "live://HOST: a domain controller of the domain")->required();
    apply->add_flag("--yes,-y", ao->yes, "Do not ask before writing");
    apply->add_flag("--dry-run,-n", ao->dry_run, "Verify, check the versions, show what would be written; write nothing");
    apply->add_option("--cert", ao->cert, "The bundle's signer must be this PEM certificate");
    apply->add_option("--ca", ao->ca, "The bundle's signer must chain to one of these PEM CA certificates");
    apply->add_option("--receipt", ao->receipt, "Where to write the receipt (default: BUNDLE.receipt.json)");
    apply->add_option("--sign-key", ao->sign_key, "Sign the receipt with this PEM private key (receipt.p7s)");
    apply->add_option("--sign-cert", ao->sign_cert, "The receipt signer's PEM certificate");
    add_admx_options(*apply, ao->admx);
    add_connect_options(*apply, ao->selection);
    apply->footer(R"(Verifies the bundle first (as stage verify; any finding stops it). Then, for each GPO,
reads the live GPO: one already holding the bundle's settings is left alone (a second
apply changes nothing and says so); one whose versionNumber is not the base version
the bundle was prepared against is refused, with what differs from live to the bundle,
and then nothing is written for any GPO. The rest are pushed as `live push` does
(registry settings and the security template, with the version and extension-list
bookkeeping, the same checks against concurrent changes), read again to confirm the
domain holds the bundle's settings, and a receipt (JSON: the bundle's ID, each GPO's
version before and after, times) is written.

Exit status: 0 applied (or already applied), 1 not applied (findings, a GPO that
moved, declined, --dry-run), 2 error.

Example:
  gpokit stage apply realm-bundle.tar live://dc1.corp.example.com --cert staging.pem)");
    on_run(apply, command, ao, run_apply);
}

} // namespace gpokit::cli
