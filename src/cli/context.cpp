#include "cli/context.hpp"

#include "cli/terminal.hpp"
#include "util/error.hpp"

#include <cstdlib>
#include <iostream>
#include <unistd.h>

extern char** environ;

namespace gpokit::cli {

namespace {

std::string tmpdir(const Environment& env)
{
    const auto it = env.find("TMPDIR");
    return it != env.end() && !it->second.empty() ? it->second : "/tmp";
}

Environment process_environment()
{
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos)
            env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

} // namespace

Context::Context(std::ostream& out_, std::ostream& err_)
    : in(m_no_input), out(out_), err(err_), m_temps(tmpdir(process_environment()))
{
    ask_secret = [](const std::string& question) -> std::string {
        throw util::Error(question + " (no terminal to ask on)");
    };
}

Context::Context(std::istream& in_, std::ostream& out_, std::ostream& err_, Environment env)
    : in(in_), out(out_), err(err_), m_env(std::move(env)), m_temps(tmpdir(m_env))
{
    ask_secret = ask_on_terminal;
}

std::unique_ptr<Context> Context::for_process()
{
    auto ctx = std::make_unique<Context>(std::cin, std::cout, std::cerr, process_environment());
    ctx->in_terminal = ::isatty(STDIN_FILENO) == 1;
    ctx->out_terminal = ::isatty(STDOUT_FILENO) == 1;
    ctx->err_terminal = ::isatty(STDERR_FILENO) == 1;
    return ctx;
}

std::optional<std::string> Context::env(const std::string& name) const
{
    const auto it = m_env.find(name);
    if (it == m_env.end() || it->second.empty())
        return std::nullopt;
    return it->second;
}

const policy::Catalogue& Context::catalogue(const AdmxOptions& admx)
{
    if (!m_catalogue || m_catalogue_dirs != admx.dirs) {
        auto c = std::make_unique<policy::Catalogue>(policy::Catalogue::builtin());
        for (const auto& dir : admx.dirs)
            c->load_dir(dir);
        for (const auto& problem : c->problems()) {
            if (admx.strict)
                throw util::Error(std::string(problem.what()) + " (--strict: every ADMX file must load)");
            err << "gpokit: warning: " << problem.what() << " (skipped)\n";
        }
        m_catalogue = std::move(c);
        m_catalogue_dirs = admx.dirs;
    }
    return *m_catalogue;
}

bool confirmed(Context& ctx, const std::string& question)
{
    ctx.out << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(ctx.in, answer))
        answer.clear();
    if (!ctx.in_terminal)
        ctx.out << answer << '\n';
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

} // namespace gpokit::cli
