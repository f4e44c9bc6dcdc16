// `gpokit policy list|show|set`: ADMX policies on registry.pol — gpokit's catalogue
// and any PolicyDefinitions folder given with --admx.
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "gpo/gpo_settings.hpp"
#include "kerberos/realm.hpp"
#include "policy/engine.hpp"
#include "policy/report.hpp"
#include "render/policy_render.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gpokit::cli {

namespace {

struct PolicyOptions {
    std::string target;
    GpoSelection selection;
    AdmxOptions admx;
    std::string format = "text";
    std::string side;
    std::string name;
    bool enabled = false;
    bool disabled = false;
    bool not_configured = false;
    std::vector<std::string> elements;
    std::vector<std::string> list;
    bool dry_run = false;
    bool verbose = false;
    std::string output;
};

const char* class_name(policy::PolicyClass c)
{
    return c == policy::PolicyClass::machine ? "machine" : c == policy::PolicyClass::user ? "user" : "both";
}

int run_list(const PolicyOptions& o, Context& ctx)
{
    const auto& c = ctx.catalogue(o.admx);
    render::policy_list(c, render::parse_format(o.format), ctx.out);
    // A listing with files left out is incomplete: say so in the status too.
    return c.problems().empty() ? k_exit_ok : k_exit_findings;
}

int run_show(const PolicyOptions& o, Context& ctx)
{
    const auto& c = ctx.catalogue(o.admx);
    const gpo::Target target = open(ctx, o.target, o.selection);
    std::vector<pol::Side> sides;
    if (o.side.empty() || o.side == "both") {
        for (const auto side : {pol::Side::machine, pol::Side::user})
            if (target.holds(side))
                sides.push_back(side);
    } else {
        sides = {parse_side(o.side)};
        if (!target.holds(sides.front()))
            throw util::Error(fmt::format("{}: holds the {} side only (from its folder)", o.target,
                                          gpo::side_name(*target.only())));
    }
    const policy::OwnerIndex owners(c);
    std::vector<policy::SideReport> reports;
    for (const auto side : sides) {
        reports.push_back(policy::report_side(c, owners, target.registry(side), side));
        reports.back().settings = gpo::gpo_settings(target, side == pol::Side::machine, side == pol::Side::user);
    }
    render::policy_show(reports, render::parse_format(o.format), ctx.out);
    return k_exit_ok;
}

// The names of a list element's entries.
std::vector<std::string> entry_names(const policy::ElementValue& v)
{
    std::vector<std::string> out;
    if (const auto* list = std::get_if<policy::ListEntries>(&v))
        for (const auto& [name, data] : *list)
            out.push_back(name.empty() ? data : name);
    else if (const auto* items = std::get_if<std::vector<std::string>>(&v))
        out = *items;
    return out;
}

// A list given with --list replaces what the policy's list held: name what it loses.
void warn_lost_entries(Context& ctx, const policy::Policy& p, const pol::PolFile& now, policy::State state,
                       const std::map<std::string, policy::ElementValue>& values)
{
    pol::PolFile after = now;
    policy::write(after, p, state, values);
    const auto before_reading = policy::read(p, policy::RegistryView(now));
    const auto after_reading = policy::read(p, policy::RegistryView(after));
    for (const auto& e : p.elements) {
        if (e.kind != policy::Element::Kind::list)
            continue;
        const auto was = before_reading.elements.find(e.id);
        if (was == before_reading.elements.end())
            continue;
        const auto is = after_reading.elements.find(e.id);
        const auto kept = is == after_reading.elements.end() ? std::vector<std::string>{} : entry_names(is->second);
        std::string lost;
        for (const auto& name : entry_names(was->second))
            if (std::find(kept.begin(), kept.end(), name) == kept.end())
                lost += (lost.empty() ? "" : ", ") + name;
        if (!lost.empty())
            ctx.err << fmt::format("gpokit: warning: {}: the list loses entries it holds now: {}\n", p.full_name(),
                                   lost);
    }
}

int run_set(const PolicyOptions& o, Context& ctx)
{
    const auto& c = ctx.catalogue(o.admx);
    const policy::Policy& p = c.find(o.name);
    const int states = int{o.enabled} + int{o.disabled} + int{o.not_configured};
    if (states != 1)
        throw util::Error("say exactly one of --enabled, --disabled, --not-configured");
    const policy::State state = o.enabled ? policy::State::enabled
                                : o.disabled ? policy::State::disabled
                                             : policy::State::not_configured;
    pol::Side side = pol::Side::machine;
    if (!o.side.empty())
        side = parse_side(o.side);
    else if (p.cls == policy::PolicyClass::user)
        side = pol::Side::user;
    else if (p.cls == policy::PolicyClass::both)
        throw util::Error(p.full_name() + " applies to computers and users: choose with --side");
    if ((side == pol::Side::machine && !p.applies_to_machine()) || (side == pol::Side::user && !p.applies_to_user()))
        throw util::Error(fmt::format("{} is a {} policy", p.full_name(), class_name(p.cls)));

    std::map<std::string, policy::ElementValue> values;
    for (const auto& assignment : o.elements) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos)
            throw util::Error("--element takes ID=VALUE, not \"" + assignment + "\"");
        const std::string id = assignment.substr(0, eq);
        const policy::Element* e = p.element(id);
        if (e == nullptr)
            throw util::Error(fmt::format("{} has no element \"{}\"", p.full_name(), id));
        policy::ElementValue v = policy::parse_element_value(*e, assignment.substr(eq + 1));
        if (e->kind == policy::Element::Kind::multi_text && values.count(id) != 0)
            std::get<std::vector<std::string>>(values[id]).push_back(std::get<std::vector<std::string>>(v).front());
        else
            values[id] = std::move(v);
    }
    if (!o.list.empty()) {
        const policy::Element* list = nullptr;
        for (const auto& e : p.elements)
            if (e.kind == policy::Element::Kind::list) {
                if (list != nullptr)
                    throw util::Error(p.full_name() + " has several lists; --list cannot tell which");
                list = &e;
            }
        if (list == nullptr)
            throw util::Error(p.full_name() + " has no list element");
        if (list->explicit_value) {
            policy::ListEntries entries;
            for (const auto& item : o.list) {
                const auto eq = item.find('=');
                if (eq == std::string::npos)
                    throw util::Error("--list takes NAME=VALUE for " + p.full_name());
                entries.emplace_back(item.substr(0, eq), item.substr(eq + 1));
            }
            values[list->id] = entries;
        } else {
            values[list->id] = o.list;
        }
    }
    if (state != policy::State::enabled && !values.empty())
        throw util::Error("--element and --list go with --enabled");
    // The realm policies' rules apply whoever writes them (errors refuse, warnings warn).
    for (const auto& w : kerberos::check_policy_write(p, values))
        ctx.err << "gpokit: warning: " << w << '\n';
    gpo::OpenOptions options;
    options.for_edit = true;
    if (!o.side.empty())
        options.side = side; // a bare registry.pol is the side --side names (else its folder says)
    const gpo::Target target = open(ctx, o.target, o.selection, options);
    std::vector<std::string> extensions;
    if (!p.client_extension.empty() && state != policy::State::not_configured)
        extensions.push_back(p.client_extension);
    warn_lost_entries(ctx, p, target.registry(side), state, values);
    edit(ctx, target, side, [&](pol::PolFile& f) { return policy::write(f, p, state, values); },
         {o.dry_run, o.verbose, o.output}, extensions);
    return k_exit_ok;
}

void add_admx(CLI::App& sub, const std::shared_ptr<PolicyOptions>& o)
{
    add_admx_options(sub, o->admx);
}

} // namespace

ManualText manual_policy()
{
    return {{},
            R"(Policies come from gpokit's own catalogue (the two Kerberos realm policies) and from
the PolicyDefinitions folders given with --admx, such as a domain's central store. A policy
is named PREFIX:NAME (the ADMX file's namespace prefix), NAMESPACE:NAME, or by its NAME
alone when that is unique.)",
            {{"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."}},
            {{"PolicyDefinitions/*.admx", "Policy definitions (--admx)."},
             {"PolicyDefinitions/en-US/*.adml", "Their English texts: display names and element labels."}},
            {}};
}

void setup_policy(CLI::App& app, Command& command)
{
    CLI::App* pol = app.add_subcommand("policy", "ADMX policies: list them, show them in a GPO, set them");
    pol->require_subcommand(1);
    pol->footer("Run `gpokit policy COMMAND --help` for a command's options and examples.");

    auto lo = std::make_shared<PolicyOptions>();
    CLI::App* list = pol->add_subcommand("list", "List the policies gpokit knows (its catalogue and --admx folders)");
    add_admx(*list, lo);
    list->add_option("--format", lo->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    list->footer("Example:\n  gpokit policy list --admx /mnt/sysvol/corp.example.com/Policies/PolicyDefinitions");
    on_run(list, command, lo, run_list);

    auto so = std::make_shared<PolicyOptions>();
    CLI::App* show = pol->add_subcommand("show", "Show which policies a GPO or registry.pol sets, the rest as raw values, and a GPO's security, audit and preference settings");
    show->add_option("TARGET", so->target, "GPO backup, backup root, SYSVOL GPO folder, or a registry.pol file")
        ->required();
    add_selection_options(*show, so->selection);
    add_connect_options(*show, so->selection);
    add_admx(*show, so);
    show->add_option("--side", so->side, "machine, user or both (default)")
        ->check(CLI::IsMember({"machine", "user", "both"}));
    show->add_option("--format", so->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    show->footer("Example:\n  gpokit policy show \"GPO Backups\" --gpo \"Default Domain Policy\" --admx PolicyDefinitions");
    on_run(show, command, so, run_show);

    auto st = std::make_shared<PolicyOptions>();
    CLI::App* set = pol->add_subcommand("set", "Set a policy to Enabled (with its elements), Disabled or Not configured");
    set->add_option("TARGET", st->target, "GPO backup, backup root, SYSVOL GPO folder, or a registry.pol file")
        ->required();
    add_selection_options(*set, st->selection);
    add_admx(*set, st);
    set->add_option("--policy", st->name, "PREFIX:NAME, NAMESPACE:NAME, or a unique NAME")->required();
    set->add_flag("--enabled", st->enabled, "Enable the policy");
    set->add_flag("--disabled", st->disabled, "Disable the policy");
    set->add_flag("--not-configured", st->not_configured, "Remove every record the policy writes");
    set->add_option("--element", st->elements, "ID=VALUE for an element (repeat; multiText: one line each)")
        ->allow_extra_args(false);
    set->add_option("--list", st->list, "NAME=VALUE (or VALUE) entry of the policy's list (repeat)")
        ->allow_extra_args(false);
    set->add_option("--side", st->side, "machine or user, for a policy of both classes")
        ->check(CLI::IsMember({"machine", "user"}));
    set->add_flag("--dry-run", st->dry_run, "Print the record changes and the bookkeeping; write nothing");
    set->add_flag("--verbose", st->verbose, "Print the bookkeeping done");
    set->add_option("--output", st->output, "Write an edited copy instead");
    set->footer(R"(Examples:
  gpokit policy set "GPO Backups" --gpo "Default Domain Policy" --policy kerberos:MitRealms --enabled \
      --list ZSCALERBETA.NET='<k>kerberos.zscalerbeta.net</k>'
  gpokit policy set Machine/registry.pol --admx PolicyDefinitions --policy MSS:Pol_MSS_AutoReboot --disabled)");
    on_run(set, command, st, run_set);
}

} // namespace gpokit::cli
