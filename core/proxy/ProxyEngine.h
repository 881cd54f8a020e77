// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/admin/AdminApi.h"
#include "core/config/Config.h"
#include "core/config/ConfigHistory.h"
#include "core/record/CallRecord.h"
#include "core/proxy/ConfigApplier.h"
#include "core/proxy/EngineState.h"
#include "core/proxy/WindowGateway.h"
#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

namespace Switchyard {

class CallFinisher;
class ConnectionAcceptor;
class EndpointDispatcher;
class EvaluationRunner;
class LogReader;
class ProviderKeys;
class ProxyWorker;
class ReplayRunner;
class RequestForwarder;
class UpstreamClient;

// The gateway: the inbound server, routing, the upstream client, the admin API and
// metrics. Lives on its own thread, the coordinator; other threads talk to it only through
// queued signals and slots carrying values. Calls are served by N ProxyWorker threads
// (listen.workers, default one per core), to which a ConnectionAcceptor here hands each
// connection. The coordinator keeps what must be one per gateway: the config in force
// (published to the workers as an EngineSnapshot), CallFinisher (records, batches, metrics),
// the admin API and what else workers forward, ReplayRunner (calls without a client) and
// ConfigApplier (a new config made the one in force).
class ProxyEngine final : public WindowGateway, private AdminBackend
{
    Q_OBJECT
public:
    explicit ProxyEngine(QObject *parent = nullptr);
    ~ProxyEngine() override;

    static constexpr int BatchIntervalMs = 100;

    // Before start(): where the admin API reads the log (may stay null) and where PUT
    // /api/config saves (empty: applied, not saved).
    void setLogReader(LogReader *reader);
    void setConfigPath(const QString &path) { m_applier.setConfigPath(path); }
    // Before start(): the file that keeps every config that took effect (empty: memory only).
    void setHistoryPath(const QString &path) { m_history = ConfigHistory(path); }
    // Before start(): how many proxy worker threads serve calls (0: one per core), and how they
    // are started (the app picks their event dispatcher).
    void setWorkers(int count) { m_workerCount = count; }
    void setThreadStarter(std::function<void(QThread *)> starter) { m_threadStarter = std::move(starter); }

public Q_SLOTS:
    void start(const Switchyard::Config &config) override;
    // New requests use the new config; requests in flight finish on the one they started with.
    void applyConfig(const Switchyard::Config &config);
    void stop() override;
    void replayRequest(const QString &id, const QByteArray &body, quint64 ticket) override;
    void testRoute(const QString &alias, quint64 ticket) override;
    void explainRoute(const QString &model, quint64 ticket) override;
    void saveConfig(const Switchyard::Config &config, quint64 ticket) override;
    void listConfigHistory(quint64 ticket) override;
    void restoreConfigVersion(int number, quint64 ticket) override;
    void estimateEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket) override;
    void startEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket) override;
    void cancelEvaluation(const QString &id) override;
    void reloadKeys() override;

private:
    const Config &currentConfig() const override { return *m_config; }
    Result<Config, QStringList> replaceConfig(const QByteArray &json, const QString &source,
                                              const QString &client) override;
    ConfigHistory &configHistory() override { return m_history; }
    Result<Config, QStringList> restoreConfig(int version, const QString &client) override;
    void replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body) override;
    Evaluations &evaluations() override;
    void publish();
    Result<bool> startWorkers(const Config &config);
    void reloadTls(const ListenConfig &listen);
    void stopWorkers();
    // Runs `apply` with the config history told where a config it applies comes from; after
    // it (applied or refused), a config applied by a queued call is the file's again.
    template <typename Apply>
    auto fromSource(const QString &source, const QString &client, Apply apply)
    {
        m_nextSource = source;
        m_nextClient = client;
        auto outcome = apply();
        m_nextSource = QStringLiteral("file");
        m_nextClient.clear();
        return outcome;
    }

    EngineState m_state;
    std::shared_ptr<const Config> m_config = std::make_shared<const Config>(); // this thread's view
    PriceTable m_builtInPrices = PriceTable::builtIn();
    PriceTable m_prices;
    ConfigApplier m_applier;
    ConfigHistory m_history;
    // Where the next config to take effect comes from; a config applied by a queued call
    // (AppWiring's reload of the edited file) is the file's.
    QString m_nextSource = QStringLiteral("file");
    QString m_nextClient;
    CallFinisher *m_finisher;
    EndpointDispatcher *m_dispatcher;
    ReplayRunner *m_replays;
    EvaluationRunner *m_evaluations;
    ProviderKeys *m_keys;
    RequestForwarder *m_forwarder;
    std::vector<std::unique_ptr<ProxyWorker>> m_workers;
    ConnectionAcceptor *m_acceptor = nullptr;
    int m_workerCount = 0;
    std::function<void(QThread *)> m_threadStarter = [](QThread *thread) { thread->start(); };
    UpstreamClient *m_client = nullptr;
    AdminApi *m_admin = nullptr;
    LogReader *m_reader = nullptr;
};

} // namespace Switchyard
