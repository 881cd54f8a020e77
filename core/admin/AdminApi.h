// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/admin/BaselinesApi.h"
#include "core/admin/ConfigApi.h"
#include "core/admin/EvaluationsApi.h"
#include "core/admin/EventStream.h"
#include "core/admin/SessionsApi.h"
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QObject>

namespace Switchyard {

class ConfigHistory;
class Evaluations;
class HttpExchange;
class LogReader;

// What the admin API needs from the engine it runs in.
class AdminBackend
{
public:
    virtual ~AdminBackend() = default;
    virtual const Config &currentConfig() const = 0;
    // Validates, writes the config file atomically and applies it; errors as the CLI gives them.
    // `source` and `client` go into the config history.
    virtual Result<Config, QStringList> replaceConfig(const QByteArray &json, const QString &source,
                                                      const QString &client) = 0;
    // Every config that took effect; a version of it made the config in force again.
    virtual ConfigHistory &configHistory() = 0;
    virtual Result<Config, QStringList> restoreConfig(int version, const QString &client) = 0;
    // Sends `body` through the current routing as a new request marked as a replay of `original`,
    // and answers `exchange` with the new request's record.
    virtual void replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body) = 0;
    // Evaluations of proposed aliases on baselines.
    virtual Evaluations &evaluations() = 0;
};

// /api/requests, /api/requests/{id}, /api/requests/{id}/replay, /api/stats; /api/config and
// its history through ConfigApi, /api/events through EventStream, /api/sessions through SessionsApi,
// /api/baselines through BaselinesApi, /api/evaluations through EvaluationsApi.
// Queries run on the log reader's thread; answers come back on the engine thread.
class AdminApi final : public QObject
{
    Q_OBJECT
public:
    AdminApi(AdminBackend *backend, LogReader *reader, QObject *parent = nullptr);

    // False when the path is not one of ours.
    bool handle(HttpExchange *exchange);
    // A time given as ISO-8601 (UTC when no zone is given) or as milliseconds since the epoch.
    static std::optional<qint64> parseTime(const QString &text);
    // A JSON answer, compact, as every admin endpoint gives them.
    static void reply(HttpExchange *exchange, int status, const QJsonObject &body);
    // An error answer in the OpenAI error shape, as every admin endpoint gives them.
    static void fail(HttpExchange *exchange, int status, const QString &message, const QString &code = QString());
    // The engine publishes finished calls and applied configs here.
    EventStream *events() { return &m_events; }

private:
    void listRequests(HttpExchange *exchange);
    void showRequest(HttpExchange *exchange, const QString &id);
    void replayRequest(HttpExchange *exchange, const QString &id);
    void showStats(HttpExchange *exchange);

    AdminBackend *m_backend;
    LogReader *m_reader;
    ConfigApi m_config;
    SessionsApi m_sessions;
    BaselinesApi m_baselines;
    EvaluationsApi m_evaluations;
    EventStream m_events;
};

} // namespace Switchyard
