// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <atomic>

namespace Switchyard {

// What the OTLP exporter did, counted for /metrics, which the proxy thread renders while the
// exporter works on its own: process-wide atomics, so neither waits on the other.
struct TelemetryStats
{
    std::atomic<bool> enabled{false};
    std::atomic<quint64> exportedSpans{0};
    std::atomic<quint64> droppedSpans{0};  // queue full, or an export that failed
    std::atomic<quint64> failedExports{0}; // POSTs the collector did not accept
    std::atomic<int> queued{0};

    static TelemetryStats &instance();
    // The counters in the Prometheus text format; empty while telemetry was never enabled.
    QByteArray prometheusText() const;
};

} // namespace Switchyard
