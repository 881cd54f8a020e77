// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <atomic>

namespace Switchyard {

// What the request log kept and shed, counted for /metrics (rendered on the proxy thread) and
// the window while the writer works on its own thread: process-wide atomics, so no one waits.
struct LogStats
{
    std::atomic<quint64> rowsWritten{0};
    std::atomic<quint64> bodiesShed{0};  // rows kept without their bodies: the writer was behind
    std::atomic<quint64> rowsDropped{0}; // rows never written: the queue was full, or not committed at exit
    std::atomic<qint64> queuedRows{0};
    std::atomic<qint64> queuedBodyBytes{0};
    std::atomic<bool> sharedStore{false};   // the log is a PostgreSQL database (team mode)
    std::atomic<bool> storeReachable{true}; // false while the writer cannot reach its database

    // {"store":"sqlite"|"postgresql","state":"ok"|"unreachable","queued_rows":N,"rows_dropped":N}
    QByteArray healthJson() const;

    static LogStats &instance();
    // The counters in the Prometheus text format.
    QByteArray prometheusText() const;
};

} // namespace Switchyard
