#include "util/signals.hpp"

#include <pthread.h>

namespace gpokit::util {

HoldSignals::HoldSignals()
{
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &held, &m_old);
}

HoldSignals::~HoldSignals()
{
    ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
}

} // namespace gpokit::util
