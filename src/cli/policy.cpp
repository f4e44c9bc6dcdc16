// `gpokit policy list|show|set`: ADMX policies on registry.pol — gpokit's catalogue
// and any PolicyDefinitions folder given with --admx.
#include "cli/command.hpp"
#include "cli/pol_common.hpp"
#include "cli/target.hpp"
#include "policy/engine.hpp"
#include "pol/reg_type.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <set>

namespace gpokit::cli {

namespace {

struct PolicyOptions {
    std::string target;
    GpoSelection selection;
    std::vector<std::string> admx;
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

policy::Catalogue catalogue_for(const PolicyOptions& o)
{
    auto c = policy::Catalogue::builtin();
    for (const auto& dir : o.admx)
        c.load_dir(dir);
    return c;
}

const char* class_name(policy::PolicyClass c)
{
    return c == policy::PolicyClass::machine ? "machine" : c == policy::PolicyClass::user ? "user" : "both";
}

std::string element_text(const policy::ElementValue& v)
{
    if (const auto* b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    if (const auto* n = std::get_if<std::uint64_t>(&v))
        return std::to_string(*n);
    if (const auto* s = std::get_if<std::string>(&v))
        return "\"" + *s + "\"";
    std::string out = "[";
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
        for (std::size_t i = 0; i < list->size(); ++i)
            out += (i ? ", \"" : "\"") + (*list)[i] + "\"";
    } else {
        const auto& entries = std::get<policy::ListEntries>(v);
        for (std::size_t i = 0; i < entries.size(); ++i)
            out += fmt::format("{}{} = \"{}\"", i ? ", " : "", entries[i].first, entries[i].second);
    }
    return out + "]";
}

int run_list(const PolicyOptions& o, Context& ctx)
{
    const auto c = catalogue_for(o);
    if (o.format == "json") {
        util::JsonWriter json(ctx.out);
        json.begin_object();
        json.key("policies");
        json.begin_array();
        for (const auto& p : c.policies()) {
            json.begin_object();
            json.member("name", p.full_name());
            json.member("namespace", p.ns);
            json.member("display_name", p.display_name);
            json.member("class", class_name(p.cls));
            json.member("category", p.category);
            json.member("key", p.key);
            json.member("source", p.source);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        return k_exit_ok;
    }
    for (const auto& p : c.policies())
        ctx.out << fmt::format("{}  [{}]  {}\n", p.full_name(), class_name(p.cls), p.display_name);
    ctx.out << fmt::format("{} policies from {} file{}\n", c.policies().size(), c.file_count(),
                           c.file_count() == 1 ? "" : "s");
    return k_exit_ok;
}

struct SideReport {
    pol::Side side;
    std::vector<std::pair<const policy::Policy*, policy::Reading>> configured;
    std::vector<std::tuple<std::string, std::string, std::uint32_t, util::ByteView>> unmapped;
    pol::PolFile file; // keeps the unmapped data alive
};

SideReport report_side(const policy::Catalogue& c, const Target& target, pol::Side side)
{
    SideReport r{side, {}, {}, target.read(side)};
    const policy::RegistryView view(r.file);
    std::set<std::u16string> claimed_values;
    std::set<std::u16string> claimed_keys;
    for (const auto& p : c.policies()) {
        if (side == pol::Side::machine ? !p.applies_to_machine() : !p.applies_to_user())
            continue;
        policy::Reading reading = policy::read(p, view);
        if (reading.state == policy::State::not_configured)
            continue;
        const auto fp = policy::footprint(p);
        for (const auto& [key, name] : fp.values)
            claimed_values.insert(util::fold(util::utf8_to_u16(key)) + u'\0' + util::fold(util::utf8_to_u16(name)));
        for (const auto& key : fp.list_keys)
            claimed_keys.insert(util::fold(util::utf8_to_u16(key)));
        r.configured.emplace_back(&p, std::move(reading));
    }
    for (const auto& k : view.state().keys) {
        const std::u16string fk = util::fold(k.name);
        if (claimed_keys.count(fk) != 0)
            continue;
        for (const auto& v : k.values)
            if (claimed_values.count(fk + u'\0' + util::fold(v.name)) == 0)
                r.unmapped.emplace_back(util::u16_to_utf8_lossy(k.name), util::u16_to_utf8_lossy(v.name), v.type,
                                        v.data);
    }
    return r;
}

int run_show(const PolicyOptions& o, Context& ctx)
{
    const auto c = catalogue_for(o);
    const Target target(o.target, o.selection, Target::Use::read);
    std::vector<pol::Side> sides;
    if (o.side.empty() || o.side == "both") {
        sides = {pol::Side::machine};
        if (target.is_gpo())
            sides.push_back(pol::Side::user);
    } else {
        sides = {parse_side(o.side)};
    }
    std::vector<SideReport> reports;
    for (const auto side : sides)
        reports.push_back(report_side(c, target, side));

    if (o.format == "json") {
        util::JsonWriter json(ctx.out);
        json.begin_object();
        for (const auto& r : reports) {
            json.key(r.side == pol::Side::machine ? "machine" : "user");
            json.begin_object();
            json.key("policies");
            json.begin_array();
            for (const auto& [p, reading] : r.configured) {
                json.begin_object();
                json.member("name", p->full_name());
                json.member("display_name", p->display_name);
                json.member("category", p->category);
                json.member("state", policy::state_name(reading.state));
                json.key("elements");
                json.begin_object();
                for (const auto& [id, v] : reading.elements)
                    json.member(id, element_text(v));
                json.end_object();
                json.end_object();
            }
            json.end_array();
            json.key("registry");
            json.begin_array();
            for (const auto& [key, name, type, data] : r.unmapped) {
                json.begin_object();
                json.member("key", key);
                json.member("value", name);
                json.member("type", pol::type_name(type));
                render::json_data(json, type, data);
                json.end_object();
            }
            json.end_array();
            json.end_object();
        }
        json.end_object();
        return k_exit_ok;
    }
    for (const auto& r : reports) {
        ctx.out << (r.side == pol::Side::machine ? "Computer Configuration" : "User Configuration") << '\n';
        for (const auto& [p, reading] : r.configured) {
            ctx.out << fmt::format("  {}: {}   ({})\n", p->display_name, policy::state_name(reading.state),
                                   p->full_name());
            for (const auto& [id, v] : reading.elements)
                ctx.out << fmt::format("      {} = {}\n", id, element_text(v));
        }
        if (!r.unmapped.empty()) {
            ctx.out << "  registry values no known policy writes:\n";
            for (const auto& [key, name, type, data] : r.unmapped)
                ctx.out << fmt::format("    {} ! {} = {} {}\n", key, name.empty() ? "(default)" : name,
                                       pol::type_name(type), render::data_for_humans(type, data));
        }
        if (r.configured.empty() && r.unmapped.empty())
            ctx.out << "  (nothing configured)\n";
    }
    return k_exit_ok;
}

int run_set(const PolicyOptions& o, Context& ctx)
{
    const auto c = catalogue_for(o);
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
    const Target target(o.target, o.selection, Target::Use::edit);
    std::vector<std::string> extensions;
    if (!p.client_extension.empty() && state != policy::State::not_configured)
        extensions.push_back(p.client_extension);
    target.edit(side, [&](pol::PolFile& f) { return policy::write(f, p, state, values); },
                {o.dry_run, o.verbose, o.output}, ctx, extensions);
    return k_exit_ok;
}

void add_admx(CLI::App& sub, const std::shared_ptr<PolicyOptions>& o)
{
    sub.add_option("--admx", o->admx, "a PolicyDefinitions folder (*.admx with en-US/*.adml); repeat for more")
        ->allow_extra_args(false);
}

} // namespace

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
    CLI::App* show = pol->add_subcommand("show", "Show which policies a GPO or registry.pol sets, and the rest as raw values");
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
