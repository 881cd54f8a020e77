// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/telemetry/TelemetryStats.h"

namespace Switchyard {

TelemetryStats &TelemetryStats::instance()
{
    static TelemetryStats stats;
    return stats;
}

QByteArray TelemetryStats::prometheusText() const
{
    if (!enabled)
        return QByteArray();
    QByteArray out;
    auto counter = [&out](const char *name, const char *help, quint64 value, const char *type) {
        out += "# HELP ";
        out += name;
        out += ' ';
        out += help;
        out += "\n# TYPE ";
        out += name;
        out += ' ';
        out += type;
        out += '\n';
        out += name;
        out += ' ';
        out += QByteArray::number(value);
        out += '\n';
    };
    counter("switchyard_otlp_spans_exported_total", "Spans the OTLP collector accepted.", exportedSpans, "counter");
    counter("switchyard_otlp_spans_dropped_total", "Spans not exported: the queue was full or the export failed.",
            droppedSpans, "counter");
    counter("switchyard_otlp_exports_failed_total", "OTLP exports the collector did not accept.", failedExports, "counter");
    counter("switchyard_otlp_spans_queued", "Spans waiting to be exported.", quint64(queued.load()), "gauge");
    return out;
}

} // namespace Switchyard
