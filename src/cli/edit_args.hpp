// The arguments of a registry edit (KEY, VALUE, --type, --data), shared by
// `pol set|delete|disable|clear-key` and `gpo set|delete|disable|clear-key`.
#pragma once

#include "pol/pol_file.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace gpokit::cli {

enum class EditKind { set, delete_, disable, clear_key };

struct EditArgs {
    EditKind kind = EditKind::set;
    std::string key;
    std::string value;
    bool value_given = false;
    std::string type;
    std::vector<std::string> data;
};

// Adds KEY [VALUE] (and --type/--data for set) to `sub`.
void add_edit_arguments(CLI::App& sub, const std::shared_ptr<EditArgs>& args);

// Applies the edit to `file`; returns whether it changed. Throws util::Error.
bool apply_edit(const EditArgs& args, pol::PolFile& file);

// Name and help of each edit subcommand, the same for `pol` and `gpo`.
const char* edit_name(EditKind kind);
const char* edit_help(EditKind kind);

} // namespace gpokit::cli
