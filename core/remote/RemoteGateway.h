// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/AdminClient.h"
#include "core/proxy/WindowGateway.h"
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Switchyard {

class EventStreamReader;
class RemoteApiClient;
class RemoteConfigClient;

// The window's engine when it is attached to another Switchyard instance (`switchyard --attach
// URL`): the WindowGateway that ProxyEngine is too, answered by the remote gateway's admin API. Lives on its own thread; every call is
// asynchronous. Finished calls come from GET /api/events, at most one batch per BatchIntervalMs;
// callsStarted is never emitted (the API tells of calls only when they finish).
class RemoteGateway final : public WindowGateway
{
    Q_OBJECT
public:
    static constexpr int BatchIntervalMs = 100;
    static constexpr int EvaluationPollMs = 500;

    explicit RemoteGateway(AdminClient::Target target, QObject *parent = nullptr);
    ~RemoteGateway() override;

public Q_SLOTS:
    // GET /health and /api/config, then follows /api/events. The config is ignored: the
    // remote gateway's own is the one in force.
    void start(const Switchyard::Config &ignored) override;
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
    // Nothing to do: the keys live on the remote gateway.
    void reloadKeys() override {}

Q_SIGNALS:
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
