// Catch2's main for every test executable. The corpus tests need ../shared/corpus:
// when it is absent, each of them still registers with ctest (listing works), and each
// one run exits with 77, ctest's "skipped", naming the folder — so a missing corpus
// shows as skipped tests in the summary, never as passes or as tests that vanished.
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
    const auto& config = session.configData();
    const bool listing = config.listTests || config.listTestNamesOnly || config.listTags || config.listReporters;
    if (!listing && gpokit::test::needs_corpus && !gpokit::test::corpus_present()) {
        std::cerr << "SKIPPED: the corpus of real GPO backups is not at " << gpokit::test::corpus_dir()
                  << " (set GPOKIT_CORPUS)\n";
        return 77;
    }
    return session.run();
}
