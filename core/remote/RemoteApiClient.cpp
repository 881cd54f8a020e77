// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/RemoteApiClient.h"
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include <QJsonDocument>
#include <memory>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

QJsonObject RemoteApiClient::Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

RemoteApiClient::RemoteApiClient(AdminClient::Target target, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_client(new UpstreamClient(this))
{
    QString path = m_target.base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_target.base.setPath(path);
    m_client->trustCertificates(m_target.trusted);
}

QString RemoteApiClient::address() const
{
    return m_target.base.toString(QUrl::RemoveUserInfo);
}

UpstreamCall *RemoteApiClient::createCall(const QByteArray &method, const QString &path, const QByteArray &body,
                                          const QByteArray &userAgent, const Timeouts &timeouts)
{
    const qsizetype question = path.indexOf(u'?');
    UpstreamRequest request = AdminClient::request(m_target, method, path.left(question),
                                                   question >= 0 ? path.mid(question + 1) : QString(), body, userAgent);
    request.timeouts = timeouts;
    return m_client->createCall(request);
}

void RemoteApiClient::release(UpstreamCall *call)
{
    m_calls.remove(call);
    call->deleteLater();
}

void RemoteApiClient::send(const QByteArray &method, const QString &path, const QByteArray &body, Done done,
                           const QByteArray &userAgent)
{
    UpstreamCall *call = createCall(method, path, body, userAgent, Timeouts{TimeoutMs, TimeoutMs, TimeoutMs, TimeoutMs});
    m_calls.insert(call);
    auto reply = std::make_shared<Reply>();
    auto answer = std::make_shared<Done>(std::move(done));
    connect(call, &UpstreamCall::responseData, call, [reply](const QByteArray &data) { reply->body += data; });
    connect(call, &UpstreamCall::finished, this, [this, call, reply, answer] {
        reply->status = call->status();
        reply->headers = call->responseHeaders();
        release(call);
        (*answer)(*reply);
    });
    connect(call, &UpstreamCall::failed, this, [this, call, answer](ErrorClass errorClass, const QString &message) {
        release(call);
        (*answer)(Error{unreachable(errorClass, message)});
    });
    call->start();
}

UpstreamCall *RemoteApiClient::openStream(const QString &path, int idleMs)
{
    // No end of its own: a day at most, then it is opened again like any dropped stream.
    constexpr int DayMs = 24 * 3600 * 1000;
    return createCall("GET", path, QByteArray(), QByteArrayLiteral("switchyard-window"), Timeouts{TimeoutMs, TimeoutMs, idleMs, DayMs});
}

void RemoteApiClient::abortAll()
{
    const QSet<UpstreamCall *> calls = std::exchange(m_calls, {});
    for (UpstreamCall *call : calls) {
        call->abort();
        call->deleteLater();
    }
}

QString RemoteApiClient::problem(const QString &path, const Reply &reply) const
{
    if (reply.status == 401) {
        return hasToken() ? u"%1 answered 401: the gateway refused the access token given (--token or SWITCHYARD_TOKEN)"_s.arg(address())
                          : u"%1 answered 401: the gateway needs its access token (--token or SWITCHYARD_TOKEN)"_s.arg(address());
    }
    const QString message = reply.json().value("error"_L1).toObject().value("message"_L1).toString();
    if (!message.isEmpty())
        return message;
    return u"%1%2 answered HTTP %3; is a Switchyard gateway listening there?"_s.arg(address(), path.section(u'?', 0, 0)).arg(reply.status);
}

QString RemoteApiClient::unreachable(ErrorClass errorClass, const QString &message) const
{
    switch (errorClass) {
    case ErrorClass::ConnectFailed: {
        // "cannot connect to h:4141: Connection refused" → "connection refused"
        QString reason = message.section(u": "_s, 1);
        if (reason.isEmpty())
            reason = message;
        if (!reason.isEmpty())
            reason[0] = reason.at(0).toLower();
        return u"cannot reach %1: %2"_s.arg(address(), reason);
    }
    case ErrorClass::TimeoutConnect:
        return u"cannot reach %1: no connection within %2 s"_s.arg(address()).arg(TimeoutMs / 1000);
    case ErrorClass::TimeoutFirstByte:
    case ErrorClass::TimeoutIdle:
        return u"%1 did not answer within %2 s"_s.arg(address()).arg(TimeoutMs / 1000);
    default:
        return u"%1 did not answer like a Switchyard gateway: %2"_s.arg(address(), message);
    }
}

} // namespace Switchyard
