// `gpokit gpo lint TARGET...`: see gpo/lint.hpp for what it finds, plus the Kerberos
// realm policies' warnings. Exit 1 on findings.
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "gpo/lint.hpp"
#include "kerberos/realm.hpp"
#include "render/lint_render.hpp"

namespace gpokit::cli {

namespace {

struct LintOptions {
    std::vector<std::string> targets;
    GpoSelection selection;
    std::string format = "text";
};

int run_lint(const LintOptions& o, Context& ctx)
{
    std::vector<gpo::LintFinding> findings;
    // The Kerberos realm policies: what a reviewer should see before they reach clients.
    const std::vector<gpo::SideCheck> checks{kerberos::lint_check(ctx.catalogue())};
    for (const auto& t : o.targets) {
        auto found = gpo::lint(open_many(ctx, t, o.selection), checks);
        findings.insert(findings.end(), found.begin(), found.end());
    }
    render::lint_findings(findings, render::parse_format(o.format), ctx.out);
    return findings.empty() ? k_exit_ok : k_exit_findings;
}

} // namespace

void setup_gpo_lint(CLI::App& gpo, Command& command)
{
    auto o = std::make_shared<LintOptions>();
    CLI::App* sub = gpo.add_subcommand("lint", "Find what makes a GPO or backup set silently not apply (exit 1 on findings)");
    sub->add_option("TARGET", o->targets, "backup folders, backup roots, SYSVOL GPO folders, snapshots or live:// GPOs")
        ->required();
    add_selection_options(*sub, o->selection);
    add_connect_options(*sub, o->selection);
    sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    sub->footer(R"(Checks: registry.pol problems; registry settings without the Registry extension in the
side's list, or the reverse; unsorted or malformed extension lists; settings at version 0;
Backup.xml, bkupInfo.xml and manifest.xml disagreeing; stale manifest entries; bkp:Location
outside the backup or naming a missing file; an unreadable or stale gpreport.xml; a second
Version line in GPT.INI; in the Kerberos realm policies, a suffix mapped to two realms, a
realm in one list only, the realm equal to the GPO's own domain, unknown tags, a realm with
neither KDCs nor flags.

Example:
  gpokit gpo lint "GPO Backups")");
    on_run(sub, command, o, run_lint);
}

} // namespace gpokit::cli
