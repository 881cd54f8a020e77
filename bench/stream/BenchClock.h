// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <time.h>

namespace Bench {

// CLOCK_MONOTONIC is one clock for every process on the machine, so the streaming
// upstream can stamp a chunk and the streaming client can subtract the stamp on arrival.
inline long long monotonicNs()
{
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

inline void sleepUntilNs(long long ns)
{
    timespec t{};
    t.tv_sec = ns / 1000000000LL;
    t.tv_nsec = ns % 1000000000LL;
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr) != 0) {
    }
}

} // namespace Bench
