// TARGETs on the command line: the options that select one (--gpo, --backup-id, and
// the domain controller's connection options for live:// addresses), opening it with
// gpo::open_target() and this run's openers, and an edit with what --dry-run,
// --verbose and --output ask for.
#pragma once

#include "cli/context.hpp"
#include "gpo/edit.hpp"
#include "gpo/target.hpp"
#include "live/connect.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace gpokit::cli {

struct GpoSelection {
    std::string gpo;
    std::string backup_id;
    live::ConnectOptions connect; // for live:// targets
    gpo::Selector selector() const { return {gpo, backup_id}; }
};

// Adds --gpo and --backup-id.
void add_selection_options(CLI::App& sub, GpoSelection& selection);
// Adds --user, --password-file, --ca-file, --insecure-tls and --timeout, for commands
// that read live:// targets.
void add_connect_options(CLI::App& sub, GpoSelection& selection);

// Adds --admx DIR (repeatable) and --strict.
void add_admx_options(CLI::App& sub, AdmxOptions& admx);

// The connection options with this run's password sources (GPOKIT_PASSWORD, the terminal).
live::ConnectOptions connect_options(Context& ctx, const GpoSelection& selection);

// This run's openers: live:// with the selection's connection options.
gpo::Openers openers(Context& ctx, const GpoSelection& selection);

// Opens one target (the selector is the selection's). Throws util::Error.
gpo::Target open(Context& ctx, const std::string& spec, const GpoSelection& selection, gpo::OpenOptions options = {});
// Opens what a path names for commands that take many GPOs.
gpo::TargetSet open_many(Context& ctx, const std::string& spec, const GpoSelection& selection);

struct EditOptions {
    bool dry_run = false;
    bool verbose = false;
    std::string output;
};

// Plans the edit of one side and commits it, or with --dry-run shows the registry
// changes, the record changes and the bookkeeping and writes nothing. Quiet on success
// but for notes that need attention (all of them with --verbose). Returns whether
// anything changed. Throws util::Error.
bool edit(Context& ctx, const gpo::Target& target, pol::Side side, const gpo::PolEdit& edit,
          const EditOptions& options, const std::vector<std::string>& extensions = {});
// The same for a plan already made (a security template's, gpo::plan_template_edit).
bool carry_out(Context& ctx, const gpo::Target& target, const gpo::EditPlan& plan, const EditOptions& options);

// "machine" / "user" -> Side; anything else throws util::Error.
pol::Side parse_side(const std::string& name);

} // namespace gpokit::cli
