// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QtGlobal>

namespace Switchyard {

// A gateway holds two descriptors per call in flight (the client's and the upstream's), so the
// common soft limit of 1024 open files would stop it near 500 concurrent streams, long before
// limits.max_connections; the app lifts it at start, as nginx's worker_rlimit_nofile does.
// Tests that hold hundreds of sockets do the same.
class FileLimits final
{
public:
    // Lifts the soft limit on open files (RLIMIT_NOFILE) to the hard limit; returns the soft
    // limit now in force (the largest qint64 when unlimited), or -1 if it cannot be read.
    static qint64 raiseOpenFiles();
};

} // namespace Switchyard
