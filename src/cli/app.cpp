#include "cli/app.hpp"

#include "cli/command.hpp"
#include "cli/manual.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#ifndef GPOKIT_VERSION
#define GPOKIT_VERSION "0.0.0"
#endif

namespace gpokit::cli {

namespace {

constexpr const char* k_description =
    "gpokit: prepare Group Policy offline. Reads and edits registry.pol files byte for byte,\n"
    "with the conventions Windows clients expect.";

constexpr const char* k_footer = R"(Exit status: 0 success, 1 findings or differences, 2 error.

Examples:
  gpokit pol show Machine/registry.pol --effective
  gpokit pol set Machine/registry.pol 'Software\Policies\Contoso' Enabled --type dword --data 1
  gpokit pol check Machine/registry.pol
  gpokit diff live://dc1.corp.example.com staged-ddp)";

} // namespace

ManualText manual_gpokit()
{
    return {"prepare Group Policy offline",
            R"(gpokit is for Active Directory administrators who stage Group Policy changes for
air-gapped domains and for the reviewers who approve them. Everything rests on reading
and writing Registry.pol exactly: loading and saving an untouched file gives back the same
bytes, and an edit changes only the records it is about.

Commands come in groups, each with a manual page of its own listing every command's
options and examples; every command prints the same with --help.

A GPO target is a GPMC backup folder ({BACKUP-ID}/ with Backup.xml), a backup root
holding backups (one chosen with --gpo or --backup-id), a SYSVOL GPO folder (GPT.INI,
Machine/, User/), a snapshot written by gpokit live fetch, or a live GPO, live://HOST.
Errors go to standard error as "gpokit: error: ...", naming the file and the position.)",
            {{"TMPDIR", "Where a run keeps its private temporary folders (default /tmp)."}},
            {},
            {}};
}

void setup_app(CLI::App& app, Command& command)
{
    app.name("gpokit");
    app.description(k_description);
    app.set_version_flag("--version", std::string("gpokit ") + GPOKIT_VERSION);
    app.require_subcommand(1);
    app.footer(k_footer);
    setup_pol(app, command);
    setup_gpo(app, command);
    setup_kerberos(app, command);
    setup_policy(app, command);
    setup_diff(app, command);
    setup_live(app, command);
    setup_trust(app, command);
    setup_stage(app, command);
}

const char* version()
{
    return GPOKIT_VERSION;
}

int run(const std::vector<std::string>& args, Context& context)
{
    CLI::App app;
    Command command{context, {}};
    setup_app(app, command);

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        // Help for the most specific subcommand the user named.
        const CLI::App* target = &app;
        std::string prefix;
        for (auto chosen = app.get_subcommands(); !chosen.empty(); chosen = target->get_subcommands()) {
            prefix += (prefix.empty() ? "" : " ") + target->get_name();
            target = chosen.front();
        }
        context.out << target->help(prefix);
        return k_exit_ok;
    } catch (const CLI::CallForAllHelp&) {
        context.out << app.help("", CLI::AppFormatMode::All);
        return k_exit_ok;
    } catch (const CLI::CallForVersion&) {
        context.out << "gpokit " << GPOKIT_VERSION << '\n';
        return k_exit_ok;
    } catch (const CLI::ParseError& e) {
        context.err << "gpokit: error: " << e.what() << "\nRun with --help for usage.\n";
        return k_exit_error;
    } catch (const util::Error& e) {
        context.err << "gpokit: error: " << e.what() << '\n';
        return k_exit_error;
    }

    if (!command.action) {
        context.err << "gpokit: error: no command given\nRun with --help for usage.\n";
        return k_exit_error;
    }
    std::string message;
    try {
        return command.action();
    } catch (const util::Error& e) {
        message = e.what();
    } catch (const std::filesystem::filesystem_error& e) {
        // A library let one through: name the path the system named.
        message = util::io_error(e, e.path1().generic_string()).what();
    } catch (const std::ios_base::failure&) {
        // The output stream throws when a write fails (for_process() asks it to).
        const int err = errno;
        message = "cannot write standard output" + (err != 0 ? std::string(": ") + std::strerror(err) : std::string());
    } catch (const std::bad_alloc&) {
        message = "out of memory";
    } catch (const std::exception& e) {
        message = e.what();
    }
    // The error stream is tied to the output: writing it flushes the output, which must
    // not throw again.
    context.out.exceptions(std::ios::goodbit);
    context.err << "gpokit: error: " << message << '\n';
    return k_exit_error;
}

int run(int argc, char** argv)
{
    // gpokit does not mix C stdio with iostreams: unsynchronised streams are buffered,
    // which matters when a 200,000-record file is rendered.
    std::ios_base::sync_with_stdio(false);
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    const auto context = Context::for_process();
    context->out.exceptions(std::ios::badbit); // a failed write ends the command with its reason
    int status = k_exit_ok;
    int write_error = 0;
    try {
        status = run(args, *context);
    } catch (const std::ios_base::failure&) {
        write_error = errno; // help or version text that did not arrive: reported below
    }
    // Output that did not reach its destination (a full disk, /dev/full) is an error,
    // whatever the command itself said. (A reader that stops early, as head does, ends
    // gpokit with SIGPIPE as it ends every Unix tool.)
    try {
        errno = 0;
        context->out.flush();
    } catch (const std::ios_base::failure&) {
        write_error = errno;
    }
    context->out.exceptions(std::ios::goodbit); // the stream's own flush at exit must not throw
    if (!context->out && status != k_exit_error) {
        const int err = write_error;
        context->err << "gpokit: error: cannot write standard output"
                     << (err != 0 ? std::string(": ") + std::strerror(err) : std::string()) << '\n';
        return k_exit_error;
    }
    return status;
}

} // namespace gpokit::cli
