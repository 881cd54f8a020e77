// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/AdminClient.h"
#include "core/config/Config.h"
#include "core/http/HttpHeaders.h"
#include "core/routing/ErrorClass.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <functional>

namespace Switchyard {

class UpstreamCall;
class UpstreamClient;

// The admin API of another Switchyard instance, asynchronously: each call answers through a
// callback on this object's thread, never by waiting in a nested event loop. HTTPS trusts the
// target's certificates besides the system's; every call gives up after TimeoutMs.
class RemoteApiClient final : public QObject
{
    Q_OBJECT
public:
    static constexpr int TimeoutMs = 10000;

    struct Reply
    {
        int status = 0;
        HttpHeaders headers;
        QByteArray body;
        QJsonObject json() const; // empty when the body is not a JSON object
    };
    using Done = std::function<void(const Result<Reply> &)>;

    explicit RemoteApiClient(AdminClient::Target target, QObject *parent = nullptr);

    // The gateway's address as a person reads it ("https://h:4141").
    QString address() const;
    const QUrl &base() const { return m_target.base; }
    bool hasToken() const { return !m_target.token.isEmpty(); }

    // METHOD base+path (the path may carry "?query"); `done` runs once, later, unless
    // abortAll() comes first. Error: nothing reached, no answer in time, or not HTTP.
    void send(const QByteArray &method, const QString &path, const QByteArray &body, Done done,
              const QByteArray &userAgent = QByteArrayLiteral("switchyard-window"));
    // A long-lived GET (the event stream), idle for at most idleMs between reads; the caller
    // connects to its signals, start()s it and deletes it (abortAll() leaves it alone).
    UpstreamCall *openStream(const QString &path, int idleMs);
    // Every call of send() in flight ends without answering.
    void abortAll();

    // What went wrong with a call that got an answer: the server's own message when it sent
    // one ("error.message"), else the status; a 401 says how to give the token.
    QString problem(const QString &path, const Reply &reply) const;
    // A call that got no answer, phrased for a person ("cannot reach URL: connection refused").
    QString unreachable(ErrorClass errorClass, const QString &message) const;

private:
    UpstreamCall *createCall(const QByteArray &method, const QString &path, const QByteArray &body,
                             const QByteArray &userAgent, const Timeouts &timeouts);
    void release(UpstreamCall *call);

    AdminClient::Target m_target;
    UpstreamClient *m_client;
    QSet<UpstreamCall *> m_calls;
};

} // namespace Switchyard
