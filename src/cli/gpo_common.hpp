// Options every `gpo` command that takes a TARGET shares.
#pragma once

#include "gpo/load.hpp"
#include "live/connect.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace gpokit::cli {

struct GpoSelection {
    std::string gpo;
    std::string backup_id;
    live::ConnectOptions connect; // for live:// targets
    gpo::Selector selector() const { return {gpo, backup_id}; }
    // A folder to read for TARGET: TARGET itself, or for a live:// address a snapshot
    // fetched into a private temporary folder (cli/live.cpp). Throws util::Error.
    std::string local(const std::string& target) const;
};

// Adds --gpo and --backup-id.
void add_selection_options(CLI::App& sub, GpoSelection& selection);
// Adds --user, --password-file, --ca-file, --insecure-tls and --timeout, for commands
// that read live:// targets.
void add_connect_options(CLI::App& sub, GpoSelection& selection);

} // namespace gpokit::cli
