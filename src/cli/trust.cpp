// `gpokit trust plan|keys|verify`: the realm trust itself, beside the GPO half. `plan`
// fixes what the trust must be and prints it as a runbook or as JSON (which the other
// trust commands read); `keys` derives the realm side's inter-realm keys from the trust
// password with libkrb5 and can write them as an MIT keytab; `verify` compares the
// trusted-domain object (over LDAP, or Get-ADObject output) and a GPO with the plan.
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "live/directory.hpp"
#include "live/live_gpo.hpp"
#include "live/url.hpp"
#include "render/trust_render.hpp"
#include "trust/create.hpp"
#include "trust/keys.hpp"
#include "trust/plan.hpp"
#include "trust/verify.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

namespace gpokit::cli {

namespace {

namespace fs = std::filesystem;

struct PlanOptions {
    trust::Plan plan;
    std::string direction;
    std::string enctypes = "aes";
    std::string format = "text";
    std::string output;
};

struct KeysOptions {
    std::string plan;
    std::string keytab;
    std::uint32_t kvno = 1;
    std::string format = "text";
    std::string password_file;
    bool show_keys = false;
};

struct VerifyOptions {
    std::string source;
    std::string plan;
    std::string gpo_target;
    GpoSelection selection;
    std::string format = "text";
};

// The trusted-domain object of `realm` as the DC's directory holds it.
std::vector<trust::ObservedObject> read_live(const std::string& address, const std::string& realm, Context& ctx,
                                             const GpoSelection& selection)
{
    const live::LiveUrl url = live::parse_live_url(address);
    live::Connection connection(url.host, connect_options(ctx, selection));
    auto& directory = connection.directory();
    const auto found = directory.search(
        "CN=System," + directory.naming_context(), live::Directory::Scope::one_level,
        "(&(objectClass=trustedDomain)(trustPartner=" + live::filter_escape(realm) + "))",
        {"objectClass", "name", "trustPartner", "flatName", "trustType", "trustDirection", "trustAttributes",
         "msDS-SupportedEncryptionTypes", "securityIdentifier"});
    std::vector<trust::ObservedObject> out;
    for (const auto& e : found) {
        trust::ObservedObject o;
        o.source = util::Position::of_file(url.host + ": " + e.dn);
        for (const auto& [name, values] : e.attributes)
            if (util::to_lower_ascii(name) != "securityidentifier") // binary; only its presence matters here
                o.attributes[util::to_lower_ascii(name)] = values;
        out.push_back(std::move(o));
    }
    return out;
}

int run_verify(const VerifyOptions& o, Context& ctx)
{
    const trust::Plan plan = trust::read_plan(util::read_file(o.plan), o.plan);
    std::vector<render::TrustCheck> checks;
    if (live::is_live_url(o.source)) {
        checks.push_back({"trusted-domain object on " + o.source,
                          trust::check_trusted_domain(plan, read_live(o.source, plan.realm, ctx, o.selection))});
    } else {
        checks.push_back({"trusted-domain object in " + o.source,
                          trust::check_trusted_domain(plan, trust::read_get_adobject(util::read_file(o.source), o.source))});
    }
    if (!o.gpo_target.empty()) {
        const gpo::Target target = open(ctx, o.gpo_target, o.selection);
        if (!target.holds(pol::Side::machine))
            throw util::Error(o.gpo_target + ": holds user settings; the realm policies are machine policies");
        checks.push_back({"realm policies of " + target.label(),
                          trust::check_gpo(plan, kerberos::read_settings(target.registry(pol::Side::machine),
                                                                         ctx.catalogue()))});
    }
    render::trust_verify(plan, checks, render::parse_format(o.format), ctx.out);
    for (const auto& c : checks)
        if (!c.findings.empty())
            return k_exit_findings;
    return k_exit_ok;
}

std::string trust_password(const std::string& password_file, Context& ctx);

struct CreateOptions {
    std::string target;
    std::string plan;
    std::string realm; // delete
    std::string sid;
    std::string trust_password_file;
    bool replace = false;
    bool dry_run = false;
    std::uint32_t type = trust::k_trust_type_mit;
    GpoSelection selection;
};

trust::LsaAuth lsa_auth(Context& ctx, const GpoSelection& selection)
{
    const live::Credentials c = live::credentials_for(connect_options(ctx, selection));
    trust::LsaAuth auth;
    if (!c.kerberos) {
        auth.user = c.user;
        auth.password = c.password;
    }
    return auth;
}

std::string host_of(const std::string& target)
{
    const live::LiveUrl url = live::parse_live_url(target);
    if (url.explicit_gpo)
        throw util::Error(target + ": name the domain controller only (live://HOST), not a GPO");
    return url.host;
}

int run_create(const CreateOptions& o, Context& ctx)
{
    const std::string host = host_of(o.target);
    const trust::Plan plan = trust::read_plan(util::read_file(o.plan), o.plan);
    if (!o.sid.empty() && o.sid.rfind("S-1-5-21-", 0) != 0)
        throw util::Error("--sid " + o.sid + " is not a domain SID (S-1-5-21-...)");
    if (o.dry_run) {
        ctx.out << fmt::format("would create on {}{}: trusted domain {} (trustType {}, trustDirection {}, "
                               "trustAttributes {}, msDS-SupportedEncryptionTypes {}){}\n",
                               host, o.replace ? ", replacing one of the same name" : "", plan.realm, o.type,
                               plan.trust_direction(), plan.trust_attributes(), plan.encryption_types(),
                               o.sid.empty() ? "" : ", SID " + o.sid);
        return k_exit_ok;
    }
    const trust::LsaAuth auth = lsa_auth(ctx, o.selection);
    const std::string password = trust_password(o.trust_password_file, ctx);
    const auto result = trust::create_trust(host, auth, plan, password,
                                            o.sid.empty() ? std::nullopt : std::optional<std::string>(o.sid), o.replace,
                                            o.type);
    if (result == trust::CreateResult::exists) {
        ctx.err << fmt::format("gpokit: error: {}: a trust named {} exists and was left alone; check it with `gpokit "
                               "trust verify {} --plan {}`, or give --replace to make it again\n",
                               host, plan.realm, o.target, o.plan);
        return k_exit_error;
    }
    return k_exit_ok;
}

int run_delete(const CreateOptions& o, Context& ctx)
{
    const std::string host = host_of(o.target);
    trust::validate_realm_name(o.realm);
    if (o.dry_run) {
        ctx.out << fmt::format("would delete the trust {} on {}\n", o.realm, host);
        return k_exit_ok;
    }
    if (!trust::delete_trust(host, lsa_auth(ctx, o.selection), o.realm)) {
        ctx.err << fmt::format("gpokit: error: {}: no trust named {}\n", host, o.realm);
        return k_exit_error;
    }
    return k_exit_ok;
}

int run_plan(PlanOptions o, Context& ctx)
{
    o.plan.direction = trust::parse_direction(o.direction);
    o.plan.rc4 = trust::parse_enctypes(o.enctypes);
    trust::validate(o.plan);
    std::ostringstream text;
    render::trust_plan(o.plan, render::parse_format(o.format), text);
    if (o.output.empty()) {
        ctx.out << text.str();
    } else {
        const std::string s = text.str();
        util::write_file_atomic(o.output, util::as_bytes(s));
    }
    return k_exit_ok;
}

// The trust password: from --trust-password-file (its first line), GPOKIT_TRUST_PASSWORD,
// or asked twice at the terminal. Never from the command line.
std::string trust_password(const std::string& password_file, Context& ctx)
{
    std::string pw;
    if (!password_file.empty()) {
        const auto bytes = util::read_input(password_file, 1 << 16);
        pw.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        pw.resize(std::min(pw.find_first_of("\r\n"), pw.size()));
        if (pw.empty())
            throw util::Error(password_file + ":1: the password file's first line is empty");
        return pw;
    }
    if (const auto env = ctx.env("GPOKIT_TRUST_PASSWORD"))
        return *env;
    if (!ctx.ask_secret)
        throw util::Error("no trust password: set GPOKIT_TRUST_PASSWORD, use --trust-password-file FILE, or run "
                          "from a terminal");
    try {
        pw = ctx.ask_secret("Trust password");
        if (pw != ctx.ask_secret("Trust password again"))
            throw util::Error("the two passwords differ");
    } catch (const util::Error& e) {
        throw util::Error(fmt::format("no trust password ({}): set GPOKIT_TRUST_PASSWORD, use --trust-password-file FILE, "
                                      "or run from a terminal",
                                      e.what()));
    }
    if (pw.empty())
        throw util::Error("the trust password is empty");
    return pw;
}

// Writes the keytab to a new file only (a keytab is never merged into or overwritten
// by accident): built beside it under a temporary name, mode 0600, then linked into
// place, which fails if the name was taken meanwhile.
void new_keytab(const std::string& path, const std::vector<trust::DerivedKey>& keys, std::uint32_t kvno)
{
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec)))
        throw util::Error(path + ": already exists; gpokit writes a new keytab only (remove it or choose another name)");
    const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
    const fs::path temp = folder / fmt::format(".gpokit-keytab-{}", ::getpid());
    fs::remove(temp, ec);
    const mode_t old = ::umask(077);
    try {
        trust::write_keytab(temp.string(), keys, kvno);
    } catch (...) {
        ::umask(old);
        fs::remove(temp, ec);
        throw;
    }
    ::umask(old);
    if (::link(temp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        fs::remove(temp, ec);
        throw util::IoError(util::Position::of_file(path), "cannot create the keytab: " + std::error_code(err, std::generic_category()).message(), std::error_code(err, std::generic_category()));
    }
    fs::remove(temp, ec);
}

int run_keys(const KeysOptions& o, Context& ctx)
{
    const trust::Plan plan = trust::read_plan(util::read_file(o.plan), o.plan);
    if (o.kvno == 0)
        throw util::Error("--kvno must be 1 or more");
    const auto keys = trust::plan_keys(plan, trust_password(o.password_file, ctx));
    if (!o.keytab.empty())
        new_keytab(o.keytab, keys, o.kvno);
    render::trust_keys(keys, o.show_keys, render::parse_format(o.format), ctx.out);
    return k_exit_ok;
}

} // namespace

ManualText manual_trust()
{
    return {{},
            R"(A realm trust between an Active Directory domain and an MIT Kerberos realm: plan
fixes its shape (direction, transitivity, encryption types) in a JSON plan and a runbook;
keys derives the realm side's keys from the trust password; create and delete manage the
trusted-domain object on a domain controller over LSA; verify compares what exists with
the plan. The trust password is never taken from the command line.)",
            {{"GPOKIT_TRUST_PASSWORD", "The trust password, for trust keys and trust create (instead of "
                                       "--trust-password-file or two prompts)."},
             {"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."},
             {"KRB5CCNAME", "The Kerberos ticket cache used to reach a domain controller when --user is not given "
                            "(see kinit(1))."}},
            {},
            {"kadmin(1)", "krb5.conf(5)", "kinit(1)"}};
}

void setup_trust(CLI::App& app, Command& command)
{
    CLI::App* t = app.add_subcommand("trust", "The realm trust itself: plan, create, verify, delete, and the realm's keys");
    t->require_subcommand(1);
    t->footer("Run `gpokit trust COMMAND --help` for a command's options and examples.");

    auto plan = std::make_shared<PlanOptions>();
    CLI::App* p = t->add_subcommand("plan", "Fix what the trust must be; print a runbook (text, markdown) or JSON");
    p->add_option("--domain", plan->plan.domain, "the AD domain's realm, upper case (CORP.EXAMPLE.COM)")->required();
    p->add_option("--realm", plan->plan.realm, "the Kerberos realm to trust, upper case (ZSCALERBETA.NET)")->required();
    p->add_option("--direction", plan->direction,
                  "incoming (domain users reach the realm's services), outgoing (realm users reach the domain), or both")
        ->required()
        ->check(CLI::IsMember({"incoming", "outgoing", "both"}));
    p->add_flag("--transitive", plan->plan.transitive, "A transitive trust (default: non-transitive, trustAttributes 0x1)");
    p->add_option("--enctypes", plan->enctypes, "aes (default: AES256 + AES128, 24) or aes,rc4 (28, trustAttributes 0x80)");
    p->add_option("--kdc", plan->plan.kdcs, "a KDC of the realm for the GPO (repeat); none: clients use DNS SRV")
        ->allow_extra_args(false);
    p->add_option("--map", plan->plan.map, ".suffix or host name mapped to the realm for the GPO (repeat)")
        ->allow_extra_args(false);
    p->add_option("--format", plan->format, "text (default) or markdown: the runbook; json: the plan")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    p->add_option("--output", plan->output, "Write to this file (replaced atomically) instead of standard output");
    p->footer(R"(The JSON plan is what `gpokit trust keys` reads. The runbook walks a Windows administrator
through the New Trust Wizard (or netdom), the encryption types, the checks with their expected
values, the realm administrator's kadmin lines and the GPO. Neither ever holds the password.

Examples (the cloud proxy vendor's trust, and Microsoft's one-way outgoing one):
  gpokit trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
      --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --map .gateway.zscalerbeta.net
  gpokit trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
      --kdc kerberos.zscalerbeta.net --format json --output plan.json
  gpokit trust plan --domain CORP.EXAMPLE.COM --realm EXAMPLE.ORG --direction outgoing --format markdown)");
    on_run(p, command, plan, [](const PlanOptions& o, Context& ctx) { return run_plan(o, ctx); });

    auto keys = std::make_shared<KeysOptions>();
    CLI::App* k = t->add_subcommand("keys", "Derive the realm side's inter-realm keys from the trust password");
    k->add_option("--plan", keys->plan, "the plan (gpokit trust plan --format json)")->required();
    k->add_option("--keytab", keys->keytab, "Also write the keys to this new MIT keytab (mode 0600)");
    k->add_option("--kvno", keys->kvno, "Key version number in the keytab (default 1)");
    k->add_option("--format", keys->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    k->add_option("--trust-password-file", keys->password_file, "Read the trust password from this file's first line");
    k->add_flag("--show-keys", keys->show_keys, "Print the keys themselves, not only their fingerprints");
    k->footer(R"(The password comes from GPOKIT_TRUST_PASSWORD, --trust-password-file, or two prompts; never from
the command line. Keys: AES256 and AES128 (and RC4 when the plan allows it) of each krbtgt
principal the plan's direction needs, with the principal's normal salt (libkrb5's
string-to-key). A fingerprint is the key's keyed checksum of a fixed text: equal
fingerprints, equal keys.

Examples:
  gpokit trust keys --plan plan.json
  gpokit trust keys --plan plan.json --keytab zscalerbeta.keytab --kvno 1)");
    on_run(k, command, keys, run_keys);

    auto verify = std::make_shared<VerifyOptions>();
    CLI::App* v = t->add_subcommand("verify", "Compare the trust (and a GPO's realm policies) with the plan");
    v->add_option("SOURCE", verify->source,
                  "live://DC (read over LDAP), or a file of Get-ADObject output (ConvertTo-Json or the list form)")
        ->required();
    v->add_option("--plan", verify->plan, "the plan (gpokit trust plan --format json)")->required();
    v->add_option("--gpo-target", verify->gpo_target,
                  "Also check this GPO's two Kerberos policies (a backup, SYSVOL folder, snapshot or live://DC)");
    add_selection_options(*v, verify->selection);
    add_connect_options(*v, verify->selection);
    v->add_option("--format", verify->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    v->footer(R"(Each attribute of the trusted-domain object (trustPartner, flatName, trustType,
trustDirection, trustAttributes, msDS-SupportedEncryptionTypes) is compared with the plan; a
difference says what it means for users. Exit status: 0 all as planned, 1 differences, 2 error.

In an air-gapped domain, run on a DC and bring the file out:
  Get-ADObject -Filter {trustPartner -eq "ZSCALERBETA.NET"} -Properties * | ConvertTo-Json > tdo.json

Examples:
  gpokit trust verify live://dc1.corp.example.com --plan plan.json
  gpokit trust verify tdo.json --plan plan.json --gpo-target "GPO Backups" --gpo "Default Domain Policy")");
    on_run(v, command, verify, run_verify);

    auto create = std::make_shared<CreateOptions>();
    CLI::App* c = t->add_subcommand("create", "Create the plan's trust on a domain controller (LSA over SMB)");
    c->add_option("DC", create->target, "live://HOST, the domain controller")->required();
    c->add_option("--plan", create->plan, "the plan (gpokit trust plan --format json)")->required();
    c->add_option("--sid", create->sid, "A domain SID for the realm (Samba needs one; Windows takes none)");
    c->add_flag("--replace", create->replace, "Delete a trust of the same name first (default: leave it, exit 2)");
    c->add_flag("--dry-run", create->dry_run, "Say what would be created; connect to nothing");
    c->add_option("--trust-type", create->type,
                  "3 (MIT, the default). 2 only in a Samba lab, whose KDC ignores MIT trusts, to test the keys")
        ->check(CLI::IsMember({2, 3}));
    c->add_option("--trust-password-file", create->trust_password_file,
                  "Read the trust password from this file's first line");
    add_connect_options(*c, create->selection);
    c->footer(R"(LsarOpenPolicy2, LsarCreateTrustedDomainEx2 (the password encrypted with the SMB session
key, as [MS-LSAD] says) and LsarSetInformationTrustedDomain for the encryption types. The trust
password comes from GPOKIT_TRUST_PASSWORD, --trust-password-file or two prompts; the account's
(--user) from GPOKIT_PASSWORD, --password-file or a prompt; without --user, your Kerberos ticket.

Examples:
  gpokit trust create live://dc1.corp.example.com --plan plan.json
  gpokit trust create live://dc1.corp.example.com --plan plan.json --user Administrator --sid S-1-5-21-1-2-3)");
    on_run(c, command, create, run_create);

    auto del = std::make_shared<CreateOptions>();
    CLI::App* d = t->add_subcommand("delete", "Delete a realm trust from a domain controller");
    d->add_option("DC", del->target, "live://HOST, the domain controller")->required();
    d->add_option("--realm", del->realm, "the trust's name (the realm)")->required();
    d->add_flag("--dry-run", del->dry_run, "Say what would be deleted; connect to nothing");
    add_connect_options(*d, del->selection);
    d->footer(R"(Example:
  gpokit trust delete live://dc1.corp.example.com --realm ZSCALERBETA.NET)");
    on_run(d, command, del, run_delete);
}

} // namespace gpokit::cli
