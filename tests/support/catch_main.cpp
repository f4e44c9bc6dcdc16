// Catch2's main for every test executable. The corpus tests exit with 77 (ctest's
// "skipped") when ../shared/corpus is not there, so a missing corpus never counts
// as a pass.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/pol_bytes.hpp"

#include <cstdlib>
#include <iostream>

int main(int argc, char* argv[])
{
    Catch::Session session;
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0)
        return rc;
    if (gpokit::test::needs_corpus && !gpokit::test::corpus_present()) {
        std::cerr << "SKIPPED: the corpus of real GPO backups is not at " << gpokit::test::corpus_dir()
                  << " (set GPOKIT_CORPUS)\n";
        return 77;
    }
    return session.run();
}
