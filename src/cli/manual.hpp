// gpokit's manual pages and its bash completion, written from the same CLI11 definitions
// that --help prints, so the three cannot drift apart. What only a manual page says (a
// group's longer description, its environment variables and files) is a ManualText kept
// in the group's own file, next to its setup function.
#pragma once

#include "cli/command.hpp"

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::cli {

// A term and its explanation: an environment variable, a file.
struct ManualEntry {
    std::string_view term;
    std::string_view text;
};

// What a group's manual page says beyond --help. Texts are plain prose: paragraphs
// separated by a blank line, lines indented by two spaces shown as they are.
struct ManualText {
    std::string_view summary;     // the NAME line; empty: the group's own description
    std::string_view description; // after the group's description and footer
    std::vector<ManualEntry> environment;
    std::vector<ManualEntry> files;
    std::vector<std::string_view> see_also; // other manual pages, "krb5.conf(5)"
};

// The texts, each in its group's file (app.cpp holds gpokit(1)'s).
ManualText manual_gpokit();
ManualText manual_pol();
ManualText manual_gpo();
ManualText manual_kerberos();
ManualText manual_policy();
ManualText manual_diff();
ManualText manual_live();
ManualText manual_trust();
ManualText manual_stage();

// One manual page: gpokit(1) (no commands) or gpokit-NAME(1) for the top-level
// commands it documents.
struct ManualPage {
    std::string name; // "gpokit", "gpokit-diff"
    std::vector<std::string> commands;
    ManualText text;
};

// Every page, gpokit(1) first. Throws util::Error when a top-level command of `app`
// has no page, or a page names a command `app` does not have.
std::vector<ManualPage> manual_pages(const CLI::App& app);

// Writes `page` as man(7) roff. `version` goes in the header, with `date` (may be empty:
// the pages never read the clock).
void write_manual_page(const CLI::App& app, const ManualPage& page, const std::vector<ManualPage>& all,
                       std::string_view version, std::string_view date, std::ostream& out);

// Writes a bash completion script for every command, option and fixed set of values.
void write_bash_completion(const CLI::App& app, std::ostream& out);

} // namespace gpokit::cli
