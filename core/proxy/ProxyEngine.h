// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/admin/AdminApi.h"
#include "core/attribution/ProcessLookup.h"
#include "core/config/Config.h"
#include "core/http/HttpHandler.h"
#include "core/metrics/Metrics.h"
#include "core/pricing/PriceTable.h"
#include "core/proxy/CallRecord.h"
#include "core/proxy/Dialect.h"
#include "core/routing/TargetHealth.h"
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <functional>
#include <memory>

namespace Switchyard {

class HttpServer;
class LogReader;
class ProviderKeys;
class UpstreamClient;
struct ProxyContext;

// The gateway: the inbound server, routing, the upstream client, the admin API and
// metrics. Lives on its own thread; other threads talk to it only through queued signals
// and slots carrying values.
class ProxyEngine final : public QObject, private HttpHandler, private AdminBackend
{
    Q_OBJECT
public:
    explicit ProxyEngine(QObject *parent = nullptr);
    ~ProxyEngine() override;

    static constexpr int BatchIntervalMs = 100;

    // Before start(): where the admin API reads the log (may stay null) and where PUT
    // /api/config saves (empty: applied, not saved).
    void setLogReader(LogReader *reader) { m_reader = reader; }
    void setConfigPath(const QString &path) { m_configPath = path; }

public Q_SLOTS:
    void start(const Switchyard::Config &config);
    // New requests use the new config; requests in flight finish on the one they started with.
    void applyConfig(const Switchyard::Config &config);
    void stop();
    // Commands from the window; each answer carries the ticket it was asked with.
    void replayRequest(const QString &id, const QByteArray &body, quint64 ticket);
    void testRoute(const QString &alias, quint64 ticket);
    void explainRoute(const QString &model, quint64 ticket);
    void saveConfig(const Switchyard::Config &config, quint64 ticket);
    // Reads the keychain keys again (the window stored a new one).
    void reloadKeys();

Q_SIGNALS:
    void started(const QString &url);
    void startFailed(const QString &message);
    void configApplied(const Switchyard::Config &config);
    // Calls sent on their way upstream (id, start, endpoint, model asked for, alias, client;
    // no bodies), in the same batches as callsFinished and always before it.
    void callsStarted(const QList<Switchyard::CallRecord> &records);
    // Finished calls, at most one batch per BatchIntervalMs.
    void callsFinished(const QList<Switchyard::CallRecord> &records);
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);
    void routeExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void configSaved(quint64 ticket, const QStringList &errors);

private:
    using Done = std::function<void(const CallRecord &)>;
    void handle(HttpExchange *exchange) override;
    void dispatch(HttpExchange *exchange, Dialect dialect, const QString &upstreamPath, CallRecord record, Done done);
    void handleModels(HttpExchange *exchange);
    void handleRoute(HttpExchange *exchange);
    CallRecord newRecord(const HttpExchange *exchange) const;
    void rejectCall(HttpExchange *exchange, Dialect dialect, CallRecord record, int status, ErrorClass errorClass,
                    const QString &message, const Done &done);
    // Completes a record (client process, cost), counts it and queues it for the log.
    CallRecord recordFinished(const Switchyard::CallRecord &record);
    void flushRecords();
    void noteStarted(const Switchyard::CallRecord &record);
    void lookUpClient(const HttpExchange *exchange);
    ProxyContext context() const;

    const Config &currentConfig() const override { return *m_config; }
    Result<Config, QStringList> replaceConfig(const QByteArray &json) override;
    void replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body) override;
    // Runs a request that has no client socket (replay, route test); its answer is in the record.
    void runDetached(const QString &endpoint, const QByteArray &body, const HttpHeaders &headers, CallRecord seed,
                     const Done &done);

    HttpServer *m_server = nullptr;
    UpstreamClient *m_client = nullptr;
    AdminApi *m_admin = nullptr;
    LogReader *m_reader = nullptr;
    ProcessLookupQueue *m_lookups;
    QString m_configPath;
    std::shared_ptr<const Config> m_config;
    ProviderKeys *m_keys = nullptr;
    QHash<QString, QByteArray> m_apiKeys; // m_keys->keys(), copied into each call's context
    PriceTable m_builtInPrices;
    PriceTable m_prices;
    Metrics m_metrics;
    TargetHealth m_health;
    QRandomGenerator m_random;
    QHash<quint64, ClientProcess> m_processes; // by inbound connection
    int m_inFlight = 0;
    QList<CallRecord> m_pending;
    QList<CallRecord> m_started;
    QTimer *m_batchTimer; // a child, so it moves to the engine thread with the engine
};

} // namespace Switchyard
