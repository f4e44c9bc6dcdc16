// `gpokit gpo ...`: commands on GPMC backups and SYSVOL GPO folders.
#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "cli/target.hpp"
#include "gpo/backup_writer.hpp"
#include "live/fetch_all.hpp"
#include "live/url.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/metadata.hpp"
#include "util/tree.hpp"
#include "render/gpo_render.hpp"

#include <fmt/format.h>

#include <map>

#include <algorithm>

namespace gpokit::cli {

void setup_gpo_edit(CLI::App& gpo, Command& command);
void setup_gpo_lint(CLI::App& gpo, Command& command);

namespace {

struct CleanOptions {
    std::vector<std::string> roots;
    bool dry_run = false;
};

// Removes what killed gpokit processes left: folders an edit was built in, files
// written before they replaced another. Each under the lock edits of its folder take,
// so a running edit's own temporary is never removed.
int run_clean(const CleanOptions& o, Context& ctx)
{
    for (const auto& root : o.roots) {
        std::error_code ec;
        if (!std::filesystem::is_directory(root, ec))
            throw util::Error(root + ": not a folder");
        for (const auto& p : util::leftover_temporaries(root)) {
            if (o.dry_run) {
                ctx.out << "would remove " << util::display_path(p) << '\n';
                continue;
            }
            const util::FolderLock lock(std::filesystem::absolute(p).parent_path());
            std::filesystem::remove_all(p, ec);
            if (ec)
                throw util::io_error(ec, util::display_path(p), "remove");
            ctx.out << "removed " << util::display_path(p) << '\n';
        }
    }
    return k_exit_ok;
}

struct ListOptions {
    std::string root;
    std::string format = "text";
};

struct ShowOptions {
    std::string target;
    GpoSelection selection;
    std::string format = "text";
};

int run_list(const ListOptions& o, Context& ctx)
{
    const auto catalogue = gpo::scan(o.root);
    if (o.format == "json")
        render::gpo_list_json(catalogue, ctx.out);
    else
        render::gpo_list_text(catalogue, ctx.out);
    // Everything readable is listed; a file that is not is an error all the same.
    for (const auto& problem : catalogue.problems)
        ctx.err << "gpokit: error: " << problem.what() << '\n';
    if (catalogue.backups.empty() && catalogue.manifest.empty() && catalogue.problems.empty())
        if (const std::string hint = gpo::manifest_above_hint(o.root); !hint.empty())
            ctx.err << "gpokit: note: " << util::display_path(o.root) << ": no backup here" << hint << '\n';
    return catalogue.problems.empty() ? k_exit_ok : k_exit_error;
}

int run_show(const ShowOptions& o, Context& ctx)
{
    const gpo::Target target = open(ctx, o.target, o.selection);
    if (!target.is_gpo())
        throw util::Error(o.target + ": not a GPO folder (for a registry.pol file, use `gpokit pol show`)");
    if (o.format == "json")
        render::gpo_show_json(target, ctx.out);
    else
        render::gpo_show_text(target, ctx.out);
    return k_exit_ok;
}

struct BackupOptions {
    std::string source;
    std::string output;
    GpoSelection selection;
    gpo::BackupOptions backup;
    bool all = false;
    int jobs = 4;
};

// Every GPO of a domain: fetched in parallel into private snapshots, then each backed
// up into the root. A GPO that cannot be read is named with its reason (exit 2).
int run_backup_all(const BackupOptions& o, const gpo::BackupOptions& options, Context& ctx)
{
    if (!live::is_live_url(o.source))
        throw util::Error("--all backs up every GPO of a domain: give live://HOST (for a folder of backups, back "
                          "each up by name)");
    const live::LiveUrl url = live::parse_live_url(o.source);
    if (url.explicit_gpo || !o.selection.gpo.empty())
        throw util::Error("--all backs up every GPO: give live://HOST alone, without a GPO or --gpo");
    if (!options.backup_id.empty())
        throw util::Error("--id names one backup; with --all each GPO gets its own");
    const auto snapshots = ctx.temps().make("backup-all") / "gpos";
    const auto fetched = live::fetch_all(url.host, connect_options(ctx, o.selection), snapshots, o.jobs, {});
    int status = k_exit_ok;
    for (const auto& f : fetched.failures) {
        ctx.err << fmt::format("gpokit: error: {}{}: {}\n", f.guid.empty() ? "a container" : f.guid,
                               f.name.empty() ? "" : " (" + f.name + ")", f.reason);
        status = k_exit_error;
    }
    std::vector<std::filesystem::path> folders;
    for (const auto& e : std::filesystem::directory_iterator(snapshots))
        if (e.is_directory())
            folders.push_back(e.path());
    std::sort(folders.begin(), folders.end());
    // What a source cannot give is the same for most GPOs of a domain: said once, with how many.
    std::map<std::string, std::vector<std::string>> missing; // what -> GPOs
    for (const auto& folder : folders) {
        const gpo::Target source = gpo::open_target(folder.string(), {}, {});
        const auto result = gpo::write_backup(source, o.output, options);
        for (const auto& m : result.missing)
            missing[m].push_back(source.gpo().guid);
        ctx.out << util::display_path(result.folder) << '\n';
    }
    for (const auto& [what, guids] : missing)
        ctx.err << fmt::format("gpokit: note: not in the backup{}: {}\n",
                               guids.size() == 1 ? " of " + guids.front()
                                                 : fmt::format(" ({} of {} GPOs)", guids.size(), folders.size()),
                               what);
    return status;
}

int run_backup(const BackupOptions& o, Context& ctx)
{
    gpo::BackupOptions options = o.backup;
    if (const auto epoch = ctx.env("SOURCE_DATE_EPOCH")) {
        try {
            options.epoch = std::stoll(*epoch);
        } catch (const std::exception&) {
            throw util::Error("SOURCE_DATE_EPOCH=" + *epoch + " is not a number of seconds");
        }
        options.deterministic = true;
    }
    if (options.deterministic && !options.epoch)
        options.epoch = 0;
    if (!options.backup_id.empty() && !util::is_guid(options.backup_id))
        throw util::Error("--id " + options.backup_id + " is not a {GUID}");
    if (o.all)
        return run_backup_all(o, options, ctx);
    const gpo::Target source = open(ctx, o.source, o.selection);
    const auto result = gpo::write_backup(source, o.output, options);
    for (const auto& m : result.missing)
        ctx.err << "gpokit: note: not in the backup: " << m << '\n';
    ctx.out << util::display_path(result.folder) << '\n';
    return k_exit_ok;
}

} // namespace

ManualText manual_gpo()
{
    return {{},
            R"(An edit of a GPO does what the Group Policy editor does besides writing the
settings: it bumps the side's version in GPT.INI (and in Backup.xml and bkupInfo.xml of a
backup), lists the extension that owns the settings, and keeps Backup.xml's file list
current. Every file an edit touches lands together or not at all.)",
            {{"GPOKIT_PASSWORD", "The password for --user when a live://HOST target is read (instead of --password-file "
                                 "or a prompt)."},
             {"SOURCE_DATE_EPOCH", "gpo backup: the backup's time, in seconds since 1970, as with --deterministic: "
                                   "equal sources give equal bytes."}},
            {{"Backup.xml, bkupInfo.xml", "A GPMC backup's description of the GPO, and the backup's own details."},
             {"manifest.xml", "A backup root's list of the backups under it."},
             {"GPT.INI", "The GPO's version, in SYSVOL and in a backup's copy of it."},
             {"Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf", "The security template (gpo set-security)."},
             {".gpokit-NAME-XXXXXX", "A folder an edit killed half way left behind (gpo clean removes it)."}},
            {}};
}

void setup_gpo(CLI::App& app, Command& command)
{
    CLI::App* gpo = app.add_subcommand("gpo", "List, show, edit and lint GPMC backups and SYSVOL GPO folders");
    gpo->require_subcommand(1);
    gpo->footer(R"(TARGET is a backup folder ({BACKUP-ID}/ with Backup.xml), a backup root holding backups
(select with --gpo or --backup-id; the newest backup of a GPO by default), or a SYSVOL
GPO folder (GPT.INI + Machine/ + User/).)");

    auto lo = std::make_shared<ListOptions>();
    CLI::App* list = gpo->add_subcommand("list", "List every GPO backup under a folder");
    list->add_option("ROOT", lo->root, "folder holding backups (searched recursively)")->required();
    list->add_option("--format", lo->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    list->footer(R"(Example:
  gpokit gpo list "GPO Backups" --format json)");
    on_run(list, command, lo, run_list);

    auto so = std::make_shared<ShowOptions>();
    CLI::App* show = gpo->add_subcommand("show", "Show a GPO: identity, versions, extensions, registry settings, files");
    show->add_option("TARGET", so->target, "backup folder, backup root or SYSVOL GPO folder")->required();
    add_selection_options(*show, so->selection);
    add_connect_options(*show, so->selection);
    show->add_option("--format", so->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    show->footer(R"(Examples:
  gpokit gpo show "GPO Backups/{0A1B2C3D-...}"
  gpokit gpo show "GPO Backups" --gpo "Default Domain Policy" --format json)");
    on_run(show, command, so, run_show);

    setup_gpo_edit(*gpo, command);
    setup_gpo_lint(*gpo, command);

    auto bo = std::make_shared<BackupOptions>();
    CLI::App* backup = gpo->add_subcommand("backup", "Write a GPMC backup of a GPO (for Import-GPO or GPMC's Import Settings)");
    backup->add_option("SOURCE", bo->source, "a backup, backup root (with --gpo), SYSVOL GPO folder, snapshot or live://")
        ->required();
    backup->add_option("--output", bo->output, "the backup root: the backup lands in ROOT/{BACKUP-ID}, listed in "
                                               "ROOT/manifest.xml")
        ->required();
    backup->add_option("--id", bo->backup.backup_id, "The new backup's ID, a {GUID} (default: a new random one)");
    backup->add_option("--comment", bo->backup.comment, "The backup's comment (bkupInfo.xml)");
    backup->add_flag("--deterministic", bo->backup.deterministic,
                     "Derive the ID and time from the source (and SOURCE_DATE_EPOCH): equal sources, equal bytes");
    backup->add_flag("--all", bo->all, "Every GPO of the domain SOURCE (live://HOST) names, each a backup in ROOT");
    backup->add_option("--jobs,-j", bo->jobs, "With --all: GPOs read at once (default 4)")->check(CLI::Range(1, 32));
    add_selection_options(*backup, bo->selection);
    add_connect_options(*backup, bo->selection);
    backup->footer(R"(Backup.xml is written as GPMC writes it: the GPO's identity, security descriptor, options,
versions and extension lists, the source's security groups and file paths, and one
FSObjectFile / FSObjectDir per file and folder, under the extension that owns it. What the
source cannot give (a SYSVOL folder read without AD has no directory versions, extension
lists or descriptor) is said in a note on standard error. Prints the new backup's folder.

Examples:
  gpokit gpo backup staged-snapshot --output "GPO Backups"
  gpokit gpo backup live://dc1.corp.example.com --output "GPO Backups" --comment "before the realm trust"
  gpokit gpo backup live://dc1.corp.example.com --all --output "GPO Backups/2026-11-22"
  SOURCE_DATE_EPOCH=1700000000 gpokit gpo backup "GPO Backups" --gpo "Default Domain Policy" --output out)");
    on_run(backup, command, bo, run_backup);

    auto co = std::make_shared<CleanOptions>();
    CLI::App* clean = gpo->add_subcommand("clean", "Remove temporary files and folders a killed gpokit edit left");
    clean->add_option("FOLDER", co->roots, "folders to search (below them, not following links)")->required();
    clean->add_flag("--dry-run", co->dry_run, "List what would be removed; remove nothing");
    clean->footer(R"(An edit builds the new GPO in a folder named .gpokit-NAME-XXXXXX beside it and a
file in .NAME.gpokit-XXXX-XXXX-XXXX before it replaces it; a process killed with
SIGKILL (or a machine that lost power) leaves one behind. Readers skip them and
`gpokit gpo lint` reports them (leftover); the GPO itself is whole, old or new.

Example:
  gpokit gpo clean "GPO Backups" --dry-run)");
    on_run(clean, command, co, run_clean);
}

} // namespace gpokit::cli
