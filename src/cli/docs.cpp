// The build's side of cli/manual.hpp: builds the same command tree as gpokit (without
// running anything) and writes the manual pages and the completion script to files.
#include "cli/docs.hpp"

#include "cli/manual.hpp"
#include "util/error.hpp"

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace gpokit::cli {

namespace {

void write_file(const std::string& path, const std::string& text)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file)
        throw util::Error(path + ": cannot write");
}

int run_docs(const std::vector<std::string>& args)
{
    std::ostringstream no_output;
    Context context(no_output, no_output);
    Command command{context, {}};
    CLI::App app;
    setup_app(app, command);

    if (args.size() == 2 && args[0] == "bash-completion") {
        std::ostringstream out;
        write_bash_completion(app, out);
        write_file(args[1], out.str());
        return k_exit_ok;
    }
    if (args.size() >= 2 && args[0] == "man") {
        const std::string dir = args[1];
        std::string date;
        std::set<std::string> wanted;
        for (std::size_t i = 2; i < args.size(); ++i) {
            if (args[i] == "--date" && i + 1 < args.size())
                date = args[++i];
            else
                wanted.insert(args[i]);
        }
        const auto pages = manual_pages(app);
        std::set<std::string> names;
        for (const auto& p : pages)
            names.insert(p.name);
        for (const auto& n : names)
            if (wanted.count(n) == 0)
                throw util::Error("the build does not list the manual page " + n + " (GPOKIT_MAN_PAGES)");
        for (const auto& w : wanted)
            if (names.count(w) == 0)
                throw util::Error("the build lists a manual page gpokit does not have: " + w);
        for (const auto& p : pages) {
            std::ostringstream out;
            write_manual_page(app, p, pages, version(), date, out);
            write_file(dir + "/" + p.name + ".1", out.str());
        }
        return k_exit_ok;
    }
    std::cerr << "usage: gpokit_docs man DIR [--date DATE] PAGE...\n"
                 "       gpokit_docs bash-completion FILE\n";
    return k_exit_error;
}

} // namespace

int run_docs(int argc, char** argv)
{
    try {
        return run_docs(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::cerr << "gpokit_docs: error: " << e.what() << '\n';
        return k_exit_error;
    }
}

} // namespace gpokit::cli
