// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/AdminClient.h"
#include "core/config/Config.h"
#include "core/config/ConfigHistory.h"
#include "core/record/CallRecord.h"
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Switchyard {

class EventStreamReader;
class RemoteApiClient;
class RemoteConfigClient;

// The window's engine when it is attached to another Switchyard instance (`switchyard --attach
// URL`): the window-facing slots and signals of ProxyEngine, answered by the remote gateway's
// admin API, so AppWiring connects either the same way. Lives on its own thread; every call is
// asynchronous. Finished calls come from GET /api/events, at most one batch per BatchIntervalMs;
// callsStarted is never emitted (the API tells of calls only when they finish).
class RemoteGateway final : public QObject
{
    Q_OBJECT
public:
    static constexpr int BatchIntervalMs = 100;
    static constexpr int EvaluationPollMs = 500;

    explicit RemoteGateway(AdminClient::Target target, QObject *parent = nullptr);
    ~RemoteGateway() override;

public Q_SLOTS:
    // GET /health and /api/config, then follows /api/events. The config is ignored: the
    // remote gateway's own is the one in force (same signature as ProxyEngine::start).
    void start(const Switchyard::Config &ignored);
    void stop();
    void replayRequest(const QString &id, const QByteArray &body, quint64 ticket);
    void testRoute(const QString &alias, quint64 ticket);
    void explainRoute(const QString &model, quint64 ticket);
    void saveConfig(const Switchyard::Config &config, quint64 ticket);
    void listConfigHistory(quint64 ticket);
    void restoreConfigVersion(int number, quint64 ticket);
    void estimateEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket);
    void startEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket);
    void cancelEvaluation(const QString &id);
    // Nothing to do: the keys live on the remote gateway.
    void reloadKeys() {}

Q_SIGNALS:
    void started(const QString &url);
    void startFailed(const QString &message);
    void configApplied(const Switchyard::Config &config);
    void callsStarted(const QList<Switchyard::CallRecord> &records);
    void callsFinished(const QList<Switchyard::CallRecord> &records);
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);
    void routeExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void configSaved(quint64 ticket, const QStringList &errors);
    void configHistoryListed(quint64 ticket, const QList<Switchyard::ConfigVersion> &versions);
    void evaluationEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors);
    void evaluationStarted(quint64 ticket, const QString &id, const QStringList &errors);
    void evaluationChanged(const QJsonObject &report);
    // The live event stream: open, or lost and being opened again (the message says why and when).
    void connectionChanged(bool connected, const QString &message);

private:
    void createClients();
    RemoteApiClient *api();
    RemoteConfigClient *configs();
    void startAnswered(const QStringList &errors);
    void onRequestFinished(const QJsonObject &item);
    void flushCalls();
    void fetchLogged(const Switchyard::CallRecord &answered, quint64 ticket, int attempt);
    void pollEvaluations();

    AdminClient::Target m_target;
    RemoteApiClient *m_api = nullptr;
    RemoteConfigClient *m_configs = nullptr;
    EventStreamReader *m_events = nullptr;
    QTimer *m_batch = nullptr;
    QTimer *m_evaluationPoll = nullptr;
    QList<CallRecord> m_pending;
    QSet<QString> m_evaluations;     // started here and still running
    QSet<QString> m_polling;         // of those, the ones with a GET in flight
    bool m_running = false;
};

} // namespace Switchyard
