#include "cli/docs.hpp"

int main(int argc, char** argv)
{
    return gpokit::cli::run_docs(argc, argv);
}
