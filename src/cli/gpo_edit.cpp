// `gpokit gpo set|delete|disable|clear-key TARGET --side machine|user KEY ...`: the
// `pol` edits inside a GPO, with the version, extension-list and FSObjectFile
// bookkeeping of gpo/gpo_edit.hpp. Quiet on success except for what needs attention
// (a stale gpreport.xml, an extension list that lives in AD); --verbose lists all the
// bookkeeping, --dry-run prints it with the record changes and writes nothing,
// --output writes an edited copy of the whole GPO. `gpo set-security` edits the
// security template (GptTmpl.inf) with the same bookkeeping.
#include "cli/command.hpp"
#include "cli/edit_args.hpp"
#include "cli/target.hpp"
#include "settings/security_template.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace gpokit::cli {

namespace {

struct GpoEditOptions {
    std::string target;
    GpoSelection selection;
    std::string side;
    std::shared_ptr<EditArgs> edit = std::make_shared<EditArgs>();
    bool dry_run = false;
    bool verbose = false;
    std::string output;
};

int run_gpo_edit(const GpoEditOptions& o, Context& ctx)
{
    gpo::OpenOptions options;
    options.for_edit = true;
    const gpo::Target target = open(ctx, o.target, o.selection, options);
    if (!target.is_gpo())
        throw util::Error(o.target + ": not a GPO folder (for a registry.pol file, use `gpokit pol`)");
    edit(ctx, target, parse_side(o.side), [&](pol::PolFile& f) { return apply_edit(*o.edit, f); },
         {o.dry_run, o.verbose, o.output});
    return k_exit_ok;
}

void add_gpo_edit(CLI::App& gpo, Command& command, EditKind kind, const char* example)
{
    auto o = std::make_shared<GpoEditOptions>();
    o->edit->kind = kind;
    CLI::App* sub = gpo.add_subcommand(edit_name(kind), std::string(edit_help(kind)) + ", with the GPO's bookkeeping");
    sub->add_option("TARGET", o->target, "backup folder, backup root or SYSVOL GPO folder")->required();
    sub->add_option("--side", o->side, "machine or user")->required()->check(CLI::IsMember({"machine", "user"}));
    add_edit_arguments(*sub, o->edit);
    add_selection_options(*sub, o->selection);
    sub->add_flag("--dry-run", o->dry_run, "Print the record changes and the bookkeeping; write nothing");
    sub->add_flag("--verbose", o->verbose, "Print the bookkeeping done (versions, extension list, Backup.xml)");
    sub->add_option("--output", o->output, "Write an edited copy of the whole GPO to this new folder");
    sub->footer(example);
    on_run(sub, command, o, run_gpo_edit);
}

struct SecurityEditOptions {
    std::string target;
    GpoSelection selection;
    std::string section;
    std::string key;
    std::optional<std::string> value;
    bool remove = false;
    bool dry_run = false;
    bool verbose = false;
    std::string output;
};

// The value as the template holds it; refused when it cannot be what the key takes.
std::string template_value(const SecurityEditOptions& o)
{
    const std::string& v = *o.value;
    if (v.find_first_of("\r\n") != std::string::npos)
        throw util::Error("--value: one line only");
    const settings::KnownKey* k = settings::known_key(o.section, o.key);
    if (!k)
        return v;
    const std::string_view unit = k->unit;
    if (unit == "text")
        return v.size() >= 2 && v.front() == '"' && v.back() == '"' ? v : "\"" + v + "\"";
    long long n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size())
        throw util::Error(fmt::format("--value {}: {} ({}) takes a whole number{}", v, k->name, k->key,
                                      unit == "bool" ? " (1 enabled, 0 disabled)" : ""));
    if ((unit == "bool" && n != 0 && n != 1) || (unit == "audit" && (n < 0 || n > 3)) || n < -1)
        throw util::Error(fmt::format("--value {}: out of range for {} ({}){}", v, k->name, k->key,
                                      unit == "bool"    ? ": 1 enabled, 0 disabled"
                                      : unit == "audit" ? ": 0 none, 1 success, 2 failure, 3 both"
                                                        : ""));
    return v;
}

int run_set_security(const SecurityEditOptions& o, Context& ctx)
{
    if (o.remove == o.value.has_value())
        throw util::Error("give --value VALUE, or --remove");
    for (const auto* part : {&o.section, &o.key})
        if (part->empty() || part->find_first_of("[]=\r\n") != std::string::npos)
            throw util::Error(fmt::format("\"{}\": not a section or key name (empty, or holding [ ] = or a line end)",
                                          *part));
    gpo::OpenOptions options;
    options.for_edit = true;
    const gpo::Target target = open(ctx, o.target, o.selection, options);
    const std::string value = o.remove ? std::string() : template_value(o);
    const auto plan = gpo::plan_template_edit(target, [&](settings::InfFile& f) {
        return o.remove ? f.remove(o.section, o.key) : f.set(o.section, o.key, value);
    });
    carry_out(ctx, target, plan, {o.dry_run, o.verbose, o.output});
    return k_exit_ok;
}

void add_set_security(CLI::App& gpo, Command& command)
{
    auto o = std::make_shared<SecurityEditOptions>();
    CLI::App* sub = gpo.add_subcommand(
        "set-security", "Set or remove a setting of the GPO's security template (GptTmpl.inf), with the bookkeeping");
    sub->add_option("TARGET", o->target, "backup folder, backup root, SYSVOL GPO folder or snapshot")->required();
    sub->add_option("--section", o->section, "the template's section: \"Kerberos Policy\", \"System Access\", ...")
        ->required();
    sub->add_option("--key", o->key, "the setting's key: MaxTicketAge, MinimumPasswordLength, ...")->required();
    sub->add_option("--value", o->value,
                    "the value as the template writes it (numbers as the editor's units: hours, days, minutes; 1/0 "
                    "for enabled/disabled)");
    sub->add_flag("--remove", o->remove, "Remove the setting (Not defined)");
    add_selection_options(*sub, o->selection);
    sub->add_flag("--dry-run", o->dry_run, "Print the setting changes and the bookkeeping; write nothing");
    sub->add_flag("--verbose", o->verbose, "Print the bookkeeping done (versions, extension list, Backup.xml)");
    sub->add_option("--output", o->output, "Write an edited copy of the whole GPO to this new folder");
    sub->footer(R"(The line is rewritten in place (or added to its section, the section before [Version]);
every other byte of the template stays as it was. The machine version is bumped and the
Security extension pair [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]
listed, as the Group Policy editor does.

Examples:
  gpokit gpo set-security "GPO Backups" --gpo "Default Domain Policy" \
      --section "Kerberos Policy" --key MaxTicketAge --value 8 --dry-run
  gpokit gpo set-security ddp-snapshot --section "System Access" --key MinimumPasswordLength --value 14
  gpokit gpo set-security ddp-snapshot --section "Kerberos Policy" --key MaxClockSkew --remove)");
    on_run(sub, command, o, run_set_security);
}

} // namespace

void setup_gpo_edit(CLI::App& gpo, Command& command)
{
    add_set_security(gpo, command);
    add_gpo_edit(gpo, command, EditKind::set, R"(Examples:
  gpokit gpo set "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso' Enabled --type dword --data 1
  gpokit gpo set "GPO Backups" --gpo "Default Domain Policy" --side machine \
      'Software\Policies\Contoso' Enabled --type dword --data 1 --dry-run)");
    add_gpo_edit(gpo, command, EditKind::delete_, R"(Example:
  gpokit gpo delete "GPO Backups/{0A1B...}" --side user 'Software\Policies\Contoso' Enabled)");
    add_gpo_edit(gpo, command, EditKind::disable, R"(Example:
  gpokit gpo disable "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso' Enabled)");
    add_gpo_edit(gpo, command, EditKind::clear_key, R"(Example:
  gpokit gpo clear-key "GPO Backups/{0A1B...}" --side machine 'Software\Policies\Contoso\List')");
}

} // namespace gpokit::cli
