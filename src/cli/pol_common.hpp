// Helpers the `pol` commands share: loading a file that may not exist yet, saving
// atomically, choosing the side for LGPO text, and printing record-level changes.
#pragma once

#include "pol/pol_file.hpp"
#include "pol/text_forms.hpp"

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace gpokit::cli {

// Loads FILE, or an empty policy file named FILE if it does not exist.
pol::PolFile load_or_empty(const std::filesystem::path& path, bool lenient);

// "machine" / "user" -> Side; anything else throws util::Error.
pol::Side parse_side(const std::string& name);

// The side a registry.pol belongs to from its folder (Machine/ or User/, any case);
// machine when the folder says nothing.
pol::Side side_of_path(const std::filesystem::path& path);

// Prints the records an edit removed ("-", numbered as in `before`) and added ("+",
// numbered as in `after`); `after` must be an edited copy of `before`. Returns the
// number of lines printed.
std::size_t print_record_changes(const pol::PolFile& before, const pol::PolFile& after, std::ostream& out);

} // namespace gpokit::cli
