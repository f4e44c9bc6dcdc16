// `gpokit gpo lint TARGET...`: see gpo/lint.hpp for what it finds. Exit 1 on findings.
#include "cli/command.hpp"
#include "cli/gpo_common.hpp"
#include "live/live_gpo.hpp"
#include "gpo/lint.hpp"
#include "kerberos/realm.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

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
    const auto catalogue = policy::Catalogue::builtin();
    for (const auto& t : o.targets) {
        const std::string local = o.selection.local(t);
        const std::size_t first = findings.size();
        auto found = gpo::lint_path(local, o.selection.selector());
        findings.insert(findings.end(), found.begin(), found.end());
        // The Kerberos realm policies: what a reviewer should see before they reach clients.
        try {
            for (const auto& g : gpo::gpos_at(local, o.selection.selector()))
                for (auto& k : kerberos::lint(g, catalogue))
                    findings.push_back({std::move(k.where), "kerberos", std::move(k.message)});
        } catch (const util::Error&) {
            // unreadable GPOs are reported by gpo::lint_path already
        }
        // A live target was read from a temporary snapshot: name the DC's files instead.
        if (local != t)
            for (std::size_t i = first; i < findings.size(); ++i) {
                findings[i].where = live::readable(findings[i].where);
                findings[i].message = live::readable(findings[i].message);
            }
    }
    if (o.format == "json") {
        util::JsonWriter json(ctx.out);
        json.begin_object();
        json.key("findings");
        json.begin_array();
        for (const auto& f : findings) {
            json.begin_object();
            json.member("where", f.where);
            json.member("code", f.code);
            json.member("message", f.message);
            json.end_object();
        }
        json.end_array();
        json.end_object();
    } else {
        for (const auto& f : findings)
            ctx.out << (f.where.empty() ? std::string() : f.where + ": ") << f.message << " [" << f.code << "]\n";
    }
    return findings.empty() ? k_exit_ok : k_exit_findings;
}

} // namespace

void setup_gpo_lint(CLI::App& gpo, Command& command)
{
    auto o = std::make_shared<LintOptions>();
    CLI::App* sub = gpo.add_subcommand("lint", "Find what makes a GPO or backup set silently not apply (exit 1 on findings)");
    sub->add_option("TARGET", o->targets, "backup folders, backup roots or SYSVOL GPO folders")->required();
    add_selection_options(*sub, o->selection);
    add_connect_options(*sub, o->selection);
    sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    sub->footer(R"(Checks: registry.pol problems; registry settings without the Registry extension in the
side's list, or the reverse; unsorted or malformed extension lists; settings at version 0;
Backup.xml, bkupInfo.xml and manifest.xml disagreeing; stale manifest entries; bkp:Location
outside the backup or naming a missing file; a stale gpreport.xml; in the Kerberos realm
policies, a suffix mapped to two realms, a realm in one list only, the realm equal to the
GPO's own domain, unknown tags, a realm with neither KDCs nor flags.

Example:
  gpokit gpo lint "GPO Backups")");
    on_run(sub, command, o, run_lint);
}

} // namespace gpokit::cli
