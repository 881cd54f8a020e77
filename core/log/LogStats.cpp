// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogStats.h"
#include "core/json/JsonWriter.h"

namespace Switchyard {

LogStats &LogStats::instance()
{
    static LogStats stats;
    return stats;
}

QByteArray LogStats::prometheusText() const
{
    QByteArray out;
    auto family = [&out](const char *name, const char *help, const char *type, qint64 value) {
        for (const char *part : {"# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n", name, " "})
            out += part;
        out += QByteArray::number(value);
        out += '\n';
    };
    family("switchyard_log_rows_written_total", "Request log rows committed.", "counter", qint64(rowsWritten.load()));
    family("switchyard_log_bodies_shed_total",
           "Request log rows kept without their bodies because the log writer was behind.", "counter",
           qint64(bodiesShed.load()));
    family("switchyard_log_rows_dropped_total",
           "Calls never written to the request log: its queue was full, or they were not committed by the exit deadline.",
           "counter", qint64(rowsDropped.load()));
    family("switchyard_log_queue_rows", "Calls waiting for the log writer.", "gauge", queuedRows.load());
    family("switchyard_log_queue_body_bytes", "Body bytes waiting for the log writer.", "gauge", queuedBodyBytes.load());
    family("switchyard_log_store_up", "1 while the log writer reaches its database, 0 while calls wait for it.", "gauge",
           storeReachable.load() ? 1 : 0);
    return out;
}

QByteArray LogStats::healthJson() const
{
    JsonWriter json;
    json.beginObject();
    json.field("store", sharedStore.load() ? "postgresql" : "sqlite");
    json.field("state", storeReachable.load() ? "ok" : "unreachable");
    json.field("queued_rows", queuedRows.load());
    json.field("rows_dropped", qint64(rowsDropped.load()));
    json.endObject();
    return json.take();
}

} // namespace Switchyard
