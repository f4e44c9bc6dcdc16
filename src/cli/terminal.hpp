// The controlling terminal, for what must not come from the command line or a pipe:
// passwords, asked without echo on /dev/tty. While echo is off, a signal that ends the
// program gives the terminal back first.
#pragma once

#include <string>

namespace gpokit::cli {

// Writes `question` to /dev/tty and reads one line without echo. Throws util::Error
// when there is no terminal, reading fails or the answer is empty.
std::string ask_on_terminal(const std::string& question);

} // namespace gpokit::cli
