// gpokit stage: staging bundles that carry reviewed GPO changes into an air-gapped
// domain (stage/bundle.hpp).
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "stage/archive.hpp"
#include "stage/bundle.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#ifndef GPOKIT_VERSION
#define GPOKIT_VERSION "0.0.0"
#endif

namespace gpokit::cli {

namespace {

struct CreateOptions {
    std::vector<std::string> changed;
    std::string base;
    std::string output;
    std::string sign_key, sign_cert;
    std::string migtable;
    std::string archive;
    AdmxOptions admx;
};

int run_create(const CreateOptions& o, Context& ctx)
{
    std::vector<stage::StagedGpo> gpos;
    for (const auto& spec : o.changed) {
        gpo::Target changed = open(ctx, spec, {});
        if (!changed.is_gpo())
            throw util::Error(spec + ": not a GPO (stage a backup, snapshot or SYSVOL folder)");
        GpoSelection selection;
        selection.gpo = changed.gpo().guid; // the same GPO in the base
        gpo::Target base = open(ctx, o.base, selection);
        gpos.push_back({std::move(changed), std::move(base)});
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
    // An archive is read into a private folder first, its hostile entries refused.
    std::filesystem::path folder = o.bundle;
    std::vector<stage::Finding> refused;
    std::error_code ec;
    if (std::filesystem::is_regular_file(o.bundle, ec)) {
        const auto extracted = stage::extract_archive(o.bundle, ctx.temps().make("gpokit-bundle"));
        folder = extracted.folder;
        for (const auto& r : extracted.refused)
            refused.push_back({r.substr(0, r.find(": ")), r.substr(r.find(": ") + 2)});
    }
    stage::Verification v = stage::verify_bundle(folder, options);
    v.findings.insert(v.findings.begin(), refused.begin(), refused.end());
    if (o.format == "json") {
        util::JsonWriter w(ctx.out);
        w.begin_object();
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
        for (const auto& f : v.findings)
            ctx.out << fmt::format("{}/{}: {}\n", o.bundle, f.file, f.what);
        if (!v.findings.empty())
            ctx.out << fmt::format("{}: {} finding{}; do not apply this bundle\n", o.bundle, v.findings.size(),
                                   v.findings.size() == 1 ? "" : "s");
        else if (v.signed_ && !v.signer_checked)
            ctx.err << fmt::format("gpokit: note: {}: signed by {}, a certificate not checked (--cert or --ca "
                                   "checks who signed)\n",
                                   o.bundle, v.signer);
    }
    return v.findings.empty() ? k_exit_ok : k_exit_findings;
}

} // namespace

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
    create->add_option("--migtable", co->migtable,
                       "Carry this (edited) GPMC migration table instead of the same-as-source one gpokit writes");
    add_admx_options(*create, co->admx);
    create->footer(R"(The bundle holds backups/ (each changed GPO as a GPMC backup, importable with
Import-GPO), review/ (the change against the base as Markdown, HTML and JSON, as
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
}

} // namespace gpokit::cli
