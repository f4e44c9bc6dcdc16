// Holding the signals that end a program (SIGINT, SIGTERM, SIGHUP) while a short,
// bounded step runs that must not stop half way — an edit building and swapping its
// copy, a push writing its files and versions. A signal that arrives meanwhile waits,
// and ends the program as usual once the step is done and cleaned up after.
#pragma once

#include <signal.h>

namespace gpokit::util {

class HoldSignals {
public:
    HoldSignals();
    ~HoldSignals();
    HoldSignals(const HoldSignals&) = delete;
    HoldSignals& operator=(const HoldSignals&) = delete;

private:
    sigset_t m_old{};
};

} // namespace gpokit::util
