// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QObject>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace Switchyard {

// Sends finished calls as OTLP/HTTP JSON traces to telemetry.otlp_endpoint, off the request
// path: it lives on its own thread, takes the engine's batches by queued calls, keeps at most
// MaxQueued calls (later ones are dropped and counted), and posts a batch every IntervalMs or
// as soon as BatchSize calls wait, one POST at a time. A failed POST drops its batch (counted):
// the collector's outage never grows memory or slows the proxy.
class OtlpExporter final : public QObject
{
    Q_OBJECT
public:
    explicit OtlpExporter(QObject *parent = nullptr);

    static constexpr int MaxQueued = 4096;
    static constexpr int BatchSize = 256;
    static constexpr int IntervalMs = 1000;
    static constexpr int TimeoutMs = 10000;

    void setConfig(const Switchyard::TelemetryConfig &config);
    void applyConfig(const Switchyard::Config &config) { setConfig(config.telemetry); }
    void append(const QList<Switchyard::CallRecord> &records);
    // Posts what is queued now (one batch); the rest follows batch by batch.
    void flush();

Q_SIGNALS:
    // A POST ended: `spans` were accepted (ok) or dropped.
    void exported(int spans, bool ok);

private:
    void finished(QNetworkReply *reply, int spans);

    TelemetryConfig m_config;
    QList<CallRecord> m_queue;
    QNetworkAccessManager *m_network = nullptr; // made on first use, on this object's thread
    QTimer m_timer;
    bool m_posting = false;
};

} // namespace Switchyard
