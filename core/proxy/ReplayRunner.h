// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/record/CallRecord.h"
#include <QObject>
#include <functional>

namespace Switchyard {

class CallFinisher;
class EndpointDispatcher;
class HttpExchange;
class LogReader;

// Calls that have no client socket: replays of logged requests (from the admin API or the
// window) and route tests. Each runs through routing like any call and is logged.
class ReplayRunner final : public QObject
{
    Q_OBJECT
public:
    ReplayRunner(EndpointDispatcher *dispatcher, CallFinisher *finisher, QObject *parent = nullptr);
    void setLogReader(LogReader *reader) { m_reader = reader; }

    // The admin API's replay: `exchange` is answered with the new request's record.
    void replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body);
    // The window's replay of a logged request (`body` empty: the logged body).
    void replayLogged(const QString &id, const QByteArray &body, quint64 ticket);
    void testRoute(const QString &alias, quint64 ticket);

    using Done = std::function<void(const CallRecord &)>;
    // Sends `body` to `endpoint` through `dispatcher`'s routing as a call without a client
    // socket (credential headers of `headers` left out), marked as `seed` says (replay_of,
    // evaluation, client); `done` gets the logged record. The returned exchange, owned by
    // `parent` until the call ends, can be told the client is gone to abandon the call.
    static HttpExchange *send(EndpointDispatcher *dispatcher, CallFinisher *finisher, QObject *parent,
                              const QString &endpoint, const QByteArray &body, const HttpHeaders &headers,
                              const CallRecord &seed, const Done &done);

Q_SIGNALS:
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);

private:
    void run(const QString &endpoint, const QByteArray &body, const HttpHeaders &headers, const CallRecord &seed,
             const Done &done);

    EndpointDispatcher *m_dispatcher;
    CallFinisher *m_finisher;
    LogReader *m_reader = nullptr;
};

} // namespace Switchyard
