// Options every `gpo` command that takes a TARGET shares.
#pragma once

#include "gpo/load.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace gpokit::cli {

struct GpoSelection {
    std::string gpo;
    std::string backup_id;
    gpo::Selector selector() const { return {gpo, backup_id}; }
};

// Adds --gpo and --backup-id.
void add_selection_options(CLI::App& sub, GpoSelection& selection);

} // namespace gpokit::cli
