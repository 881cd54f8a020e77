// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/telemetry/OtlpExporter.h"
#include "core/telemetry/OtlpTraceEncoder.h"
#include "core/telemetry/TelemetryStats.h"
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Switchyard {

namespace {

int spanCount(const QList<CallRecord> &records)
{
    int n = 0;
    for (const CallRecord &r : records)
        n += 1 + int(r.attempts.size());
    return n;
}

} // namespace

OtlpExporter::OtlpExporter(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &OtlpExporter::flush);
}

void OtlpExporter::setConfig(const TelemetryConfig &config)
{
    m_config = config;
    const bool on = !config.otlpEndpoint.isEmpty();
    if (on)
        TelemetryStats::instance().enabled = true;
    if (on && !m_timer.isActive())
        m_timer.start();
    if (!on) {
        m_timer.stop();
        m_queue.clear();
        TelemetryStats::instance().queued = 0;
    }
}

void OtlpExporter::append(const QList<CallRecord> &records)
{
    if (m_config.otlpEndpoint.isEmpty())
        return;
    TelemetryStats &stats = TelemetryStats::instance();
    for (const CallRecord &r : records) {
        if (m_queue.size() >= MaxQueued) {
            stats.droppedSpans += 1 + quint64(r.attempts.size());
            continue;
        }
        m_queue.append(r);
        if (!m_config.exportBodies) { // what is not exported is not kept either
            CallRecord &kept = m_queue.last();
            kept.requestBody.clear();
            kept.responseBody.clear();
            for (Attempt &a : kept.attempts)
                a.requestBody.clear();
        }
    }
    stats.queued = int(m_queue.size());
    if (m_queue.size() >= BatchSize)
        flush();
}

void OtlpExporter::flush()
{
    if (m_posting || m_queue.isEmpty() || m_config.otlpEndpoint.isEmpty())
        return;
    const QList<CallRecord> batch = m_queue.mid(0, BatchSize);
    m_queue.remove(0, batch.size());
    TelemetryStats::instance().queued = int(m_queue.size());
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    QNetworkRequest request{QUrl(m_config.otlpEndpoint)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(TimeoutMs);
    for (const auto &[name, value] : std::as_const(m_config.headers))
        request.setRawHeader(name.toUtf8(), value.toUtf8());
    m_posting = true;
    QNetworkReply *reply = m_network->post(request, OtlpTraceEncoder::encode(batch, m_config));
    const int spans = spanCount(batch);
    connect(reply, &QNetworkReply::finished, this, [this, reply, spans] { finished(reply, spans); });
}

void OtlpExporter::finished(QNetworkReply *reply, int spans)
{
    reply->deleteLater();
    m_posting = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
    TelemetryStats &stats = TelemetryStats::instance();
    if (ok) {
        stats.exportedSpans += quint64(spans);
    } else {
        stats.droppedSpans += quint64(spans);
        ++stats.failedExports;
    }
    Q_EMIT exported(spans, ok);
    if (m_queue.size() >= BatchSize)
        flush();
}

} // namespace Switchyard
