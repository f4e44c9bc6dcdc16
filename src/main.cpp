#include "cli/app.hpp"

int main(int argc, char** argv)
{
    return gpokit::cli::run(argc, argv);
}
