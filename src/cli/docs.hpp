// gpokit_docs: writes gpokit's manual pages and bash completion script at build time.
#pragma once

namespace gpokit::cli {

// gpokit_docs man DIR [--date DATE] PAGE...: writes DIR/PAGE.1 for each page, which must
// be exactly the pages gpokit has (so the build installs every one).
// gpokit_docs bash-completion FILE: writes the completion script.
// Returns the exit status; errors go to standard error.
int run_docs(int argc, char** argv);

} // namespace gpokit::cli
