// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/HttpHandler.h"
#include "core/proxy/CallRecord.h"
#include "core/routing/TargetHealth.h"
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <memory>

namespace Switchyard {

class HttpServer;
class UpstreamClient;
struct ProxyContext;

// The gateway: the inbound server, routing and the upstream client. Lives on its own
// thread; other threads talk to it only through queued signals and slots carrying values.
class ProxyEngine final : public QObject, private HttpHandler
{
    Q_OBJECT
public:
    explicit ProxyEngine(QObject *parent = nullptr);
    ~ProxyEngine() override;

    static constexpr int BatchIntervalMs = 100;

public Q_SLOTS:
    void start(const Switchyard::Config &config);
    // New requests use the new config; requests in flight finish on the one they started with.
    void applyConfig(const Switchyard::Config &config);
    void stop();

Q_SIGNALS:
    void started(const QString &url);
    void startFailed(const QString &message);
    void configApplied();
    // Finished calls, at most one batch per BatchIntervalMs.
    void callsFinished(const QList<Switchyard::CallRecord> &records);

private:
    void handle(HttpExchange *exchange) override;
    void handleProxied(HttpExchange *exchange, const QString &upstreamPath);
    void handleModels(HttpExchange *exchange);
    void handleRoute(HttpExchange *exchange);
    CallRecord newRecord(const HttpExchange *exchange) const;
    void rejectCall(HttpExchange *exchange, CallRecord record, int status, ErrorClass errorClass, const QString &message);
    void recordFinished(const Switchyard::CallRecord &record);
    void flushRecords();
    ProxyContext context() const;

    HttpServer *m_server = nullptr;
    UpstreamClient *m_client = nullptr;
    std::shared_ptr<const Config> m_config;
    QHash<QString, QByteArray> m_apiKeys;
    TargetHealth m_health;
    QRandomGenerator m_random;
    QList<CallRecord> m_pending;
    QTimer *m_batchTimer; // a child, so it moves to the engine thread with the engine
};

} // namespace Switchyard

