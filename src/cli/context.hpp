// What every command runs with, and the only place that knows the process: the input,
// output and error streams, whether they are terminals, the environment, the private
// temporary folders of the run, and the policy catalogue (built once). Commands never
// touch std::cin/std::cout, getenv or isatty, so tests run them in process with
// streams and an environment of their own.
#pragma once

#include "policy/admx.hpp"
#include "util/temp_folders.hpp"

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gpokit::cli {

// Exit statuses, the same for every command.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1; // findings, differences
inline constexpr int k_exit_error = 2;

using Environment = std::map<std::string, std::string>;

// --admx folders, and whether an ADMX file that cannot be read is an error (--strict)
// rather than a warning with the file skipped.
struct AdmxOptions {
    std::vector<std::string> dirs;
    bool strict = false;
};

class Context {
public:
    // For tests: no input, no environment, no terminal; temporary folders under $TMPDIR
    // of the process (or /tmp).
    Context(std::ostream& out, std::ostream& err);
    Context(std::istream& in, std::ostream& out, std::ostream& err, Environment env);
    // The process's own: std::cin/cout/cerr, environ, isatty.
    static std::unique_ptr<Context> for_process();

    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    bool in_terminal = false;
    bool out_terminal = false;
    bool err_terminal = false; // progress lines go to the error stream only when it is a terminal
    // Asks for a secret on the controlling terminal without echo (the live module's
    // passwords, the trust password). Throws util::Error when there is no terminal.
    std::function<std::string(const std::string& question)> ask_secret;

    // An environment variable, if set and not empty.
    std::optional<std::string> env(const std::string& name) const;
    util::TempFolders& temps() { return m_temps; }
    // gpokit's own policy catalogue plus the PolicyDefinitions folders of `admx`, loaded
    // once per run. A file that cannot be read is a warning on the error stream (it is
    // skipped), or with --strict an error. Throws util::Error.
    const policy::Catalogue& catalogue(const AdmxOptions& admx = {});

private:
    std::istringstream m_no_input;
    Environment m_env;
    util::TempFolders m_temps;
    std::vector<std::string> m_catalogue_dirs;
    std::unique_ptr<policy::Catalogue> m_catalogue;
};

// Asks `question` and reads one line from the input: the administrator's answer; true
// for y or yes. The answer is echoed when the input is not a terminal.
bool confirmed(Context& ctx, const std::string& question);

} // namespace gpokit::cli
