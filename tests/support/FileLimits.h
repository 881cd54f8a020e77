// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QtGlobal>

namespace Switchyard::Test {

// Tests that hold hundreds of sockets (client, proxy and upstream ends all count here) would
// stop at the common soft limit of 1024 open files long before the hard limit.
class FileLimits final
{
public:
    // Lifts the soft limit on open files (RLIMIT_NOFILE) to the hard limit; returns the soft
    // limit now in force (the largest qint64 when unlimited), or -1 if it cannot be read.
    static qint64 raiseOpenFiles();
};

} // namespace Switchyard::Test
