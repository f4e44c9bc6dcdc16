// `gpokit kerberos add-realm|remove-realm|show TARGET`: the two Kerberos realm
// policies of a realm trust, on the machine side of a GPO or a bare registry.pol.
// The friendly face of the policy engine: the records are those `policy set` would
// write for kerberos:MitRealms and kerberos:HostToRealm.
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "kerberos/realm.hpp"
#include "pol/reg_value.hpp"
#include "render/kerberos_render.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

struct KerberosOptions {
    std::string target;
    GpoSelection selection;
    std::string realm;
    std::vector<std::string> kdcs;
    std::vector<std::string> map;
    std::string flags;
    std::string flags_hex;
    bool dry_run = false;
    bool verbose = false;
    std::string output;
    std::string format = "text";
    std::string default_realm;
};

void print_warnings(const std::vector<std::string>& warnings, Context& ctx)
{
    for (const auto& w : warnings)
        ctx.err << "gpokit: warning: " << w << '\n';
}

gpo::Target open_for_edit(Context& ctx, const KerberosOptions& o)
{
    gpo::OpenOptions options;
    options.for_edit = true;
    return open(ctx, o.target, o.selection, options);
}

int run_add(const KerberosOptions& o, Context& ctx)
{
    kerberos::AddRealm request{o.realm, o.kdcs, o.map, std::nullopt};
    if (!o.flags.empty() && !o.flags_hex.empty())
        throw util::Error("give --flags or --flags-hex, not both");
    if (!o.flags.empty())
        request.flags = kerberos::parse_flag_names(o.flags);
    if (!o.flags_hex.empty())
        request.flags = static_cast<std::uint32_t>(pol::parse_unsigned(o.flags_hex, 32));
    if (request.flags)
        kerberos::validate_flags(*request.flags);
    const auto& catalogue = ctx.catalogue();
    // Validate before touching anything (add_realm validates again, inside the edit).
    kerberos::validate_realm(request.realm);
    for (const auto& k : request.kdcs)
        kerberos::validate_kdc(k);
    for (const auto& m : request.map)
        kerberos::validate_map_entry(m);
    const gpo::Target target = open_for_edit(ctx, o);
    pol::PolFile preview = target.registry(pol::Side::machine);
    kerberos::add_realm(preview, catalogue, request);
    print_warnings(kerberos::warnings(kerberos::read_settings(preview, catalogue), target.domain()), ctx);
    edit(ctx, target, pol::Side::machine, [&](pol::PolFile& f) { return kerberos::add_realm(f, catalogue, request); },
         {o.dry_run, o.verbose, o.output});
    return k_exit_ok;
}

int run_remove(const KerberosOptions& o, Context& ctx)
{
    const auto& catalogue = ctx.catalogue();
    kerberos::validate_realm(o.realm);
    const gpo::Target target = open_for_edit(ctx, o);
    const bool changed =
        edit(ctx, target, pol::Side::machine,
             [&](pol::PolFile& f) { return kerberos::remove_realm(f, catalogue, o.realm); }, {o.dry_run, o.verbose, o.output});
    if (!changed && !o.dry_run)
        ctx.err << fmt::format("gpokit: note: no change: {} is in neither realm policy of {}\n", o.realm, o.target);
    return k_exit_ok;
}

int run_show(const KerberosOptions& o, Context& ctx)
{
    const auto& catalogue = ctx.catalogue();
    const gpo::Target target = open(ctx, o.target, o.selection);
    if (!target.holds(pol::Side::machine))
        throw util::Error(o.target + ": holds user settings (its folder is User/); the realm policies are machine "
                                     "policies");
    const auto settings = kerberos::read_settings(target.registry(pol::Side::machine), catalogue);
    render::kerberos_show(settings, kerberos::warnings(settings, target.domain()), catalogue,
                          render::parse_format(o.format), ctx.out);
    return k_exit_ok;
}

int run_krb5conf(const KerberosOptions& o, Context& ctx)
{
    const gpo::Target target = open(ctx, o.target, o.selection);
    if (!target.holds(pol::Side::machine))
        throw util::Error(o.target + ": holds user settings (its folder is User/); the realm policies are machine "
                                     "policies");
    const auto settings = kerberos::read_settings(target.registry(pol::Side::machine), ctx.catalogue());
    render::krb5_conf(settings, o.default_realm, target.label(), ctx.out);
    return k_exit_ok;
}

CLI::App* add_common(CLI::App& parent, const char* name, const char* help, const std::shared_ptr<KerberosOptions>& o)
{
    CLI::App* sub = parent.add_subcommand(name, help);
    sub->add_option("TARGET", o->target, "GPO backup, backup root, SYSVOL GPO folder, or a registry.pol file")
        ->required();
    add_selection_options(*sub, o->selection);
    return sub;
}

void add_edit_flags(CLI::App& sub, const std::shared_ptr<KerberosOptions>& o)
{
    sub.add_flag("--dry-run", o->dry_run, "Print the record changes and the bookkeeping; write nothing");
    sub.add_flag("--verbose", o->verbose, "Print the bookkeeping done");
    sub.add_option("--output", o->output, "Write an edited copy instead (a new folder for a GPO, a file for a .pol)");
}

} // namespace

ManualText manual_kerberos()
{
    return {{},
            R"(A one-way realm trust with an MIT Kerberos realm needs two machine policies on the
domain's clients: "Define interoperable Kerberos V5 realm settings" (MitRealms: the realm,
its KDCs and flags) and "Define host name-to-Kerberos realm mappings" (domain_realm: the
DNS suffixes and hosts served by the realm). These commands edit and read both, checked
the way clients read them; krb5conf gives MIT clients the same view.)",
            {{"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."}},
            {},
            {"krb5.conf(5)"}};
}

void setup_kerberos(CLI::App& app, Command& command)
{
    CLI::App* k = app.add_subcommand("kerberos", "The Kerberos realm policies of a realm trust (MitRealms, domain_realm)");
    k->require_subcommand(1);
    k->footer("Run `gpokit kerberos COMMAND --help` for a command's options and examples.");

    auto add = std::make_shared<KerberosOptions>();
    CLI::App* a = add_common(*k, "add-realm", "Add or replace a realm in both policies (machine side)", add);
    a->add_option("--realm", add->realm, "the realm, in upper case (ZSCALERBETA.NET)")->required();
    a->add_option("--kdc", add->kdcs, "a KDC host name or address, no port (repeat for several)")->allow_extra_args(false);
    a->add_option("--map", add->map, ".suffix for every host under it, or one host name (repeat)")
        ->allow_extra_args(false);
    a->add_option("--flags", add->flags, "realm flags: sendaddress,tcpsupported,delegate,ncsupported,rc4");
    a->add_option("--flags-hex", add->flags_hex, "realm flags as a number, e.g. 0x6");
    add_edit_flags(*a, add);
    a->footer(R"(Writes, under Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos:
  MitRealms_Enabled = 1, MitRealms\REALM = [<f>0xFLAGS</f>][<k>kdc; ...</k>],
  domain_realm_Enabled = 1, domain_realm\REALM = .suffix; host; ...
with the GPO's version and extension-list bookkeeping. Running it again changes nothing.

Example (the cloud proxy vendor's realm):
  gpokit kerberos add-realm "GPO Backups" --gpo "Default Domain Policy" --realm ZSCALERBETA.NET \
      --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --map .gateway.zscalerbeta.net)");
    on_run(a, command, add, run_add);

    auto rm = std::make_shared<KerberosOptions>();
    CLI::App* r = add_common(*k, "remove-realm", "Remove a realm from both policies", rm);
    r->add_option("--realm", rm->realm, "the realm")->required();
    add_edit_flags(*r, rm);
    r->footer(R"(A policy left without realms goes back to Not configured.

Example:
  gpokit kerberos remove-realm "GPO Backups" --gpo "Default Domain Policy" --realm ZSCALERBETA.NET)");
    on_run(r, command, rm, run_remove);

    auto show = std::make_shared<KerberosOptions>();
    CLI::App* s = add_common(*k, "show", "Show what clients receive from both policies, with warnings", show);
    s->add_option("--format", show->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    add_connect_options(*s, show->selection);
    s->footer(R"(Examples:
  gpokit kerberos show "GPO Backups" --gpo "Default Domain Policy"
  gpokit kerberos show live://dc1.corp.example.com)");
    on_run(s, command, show, run_show);

    auto conf = std::make_shared<KerberosOptions>();
    CLI::App* c = add_common(*k, "krb5conf", "Print the krb5.conf sections an MIT client needs for the GPO's realms", conf);
    c->add_option("--default-realm", conf->default_realm, "Also write [libdefaults] default_realm (the AD domain's realm)");
    add_connect_options(*c, conf->selection);
    c->footer(R"(Each realm of "Define interoperable Kerberos V5 realm settings" becomes a [realms] entry
with its KDCs (none: a comment, clients use DNS SRV); each entry of "Define host name-to-
Kerberos realm mappings" becomes a [domain_realm] line (.suffix = REALM, host = REALM).
Policies that are not Enabled contribute nothing.

Examples:
  gpokit kerberos krb5conf "GPO Backups" --gpo "Default Domain Policy" --default-realm CORP.EXAMPLE.COM
  gpokit kerberos krb5conf live://dc1.corp.example.com > realms.conf   # to merge into /etc/krb5.conf)");
    on_run(c, command, conf, run_krb5conf);
}

} // namespace gpokit::cli
