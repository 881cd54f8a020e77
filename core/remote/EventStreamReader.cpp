// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/EventStreamReader.h"
#include "core/remote/RemoteApiClient.h"
#include "core/upstream/UpstreamCall.h"
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype MaxRefusalBytes = 64 * 1024;
const QString EventsPath = u"/api/events"_s;

} // namespace

EventStreamReader::EventStreamReader(RemoteApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventStreamReader::connectNow);
}

EventStreamReader::~EventStreamReader()
{
    discardCall();
}

void EventStreamReader::open()
{
    if (m_open)
        return;
    m_open = true;
    m_retryMs = FirstRetryMs;
    connectNow();
}

void EventStreamReader::close()
{
    m_open = false;
    m_connected = false;
    m_retry.stop();
    discardCall();
}

void EventStreamReader::connectNow()
{
    discardCall();
    if (!m_open)
        return;
    m_parser = SseParser();
    m_status = 0;
    m_refusal.clear();
    UpstreamCall *call = m_api->openStream(EventsPath, IdleMs);
    m_call = call;
    connect(call, &UpstreamCall::responseHead, this, &EventStreamReader::onHead);
    connect(call, &UpstreamCall::responseData, this, &EventStreamReader::onData);
    connect(call, &UpstreamCall::finished, this, &EventStreamReader::onEnded);
    connect(call, &UpstreamCall::failed, this, &EventStreamReader::onFailed);
    call->start();
}

void EventStreamReader::discardCall()
{
    if (!m_call)
        return;
    m_call->disconnect(this);
    m_call->abort();
    m_call->deleteLater();
    m_call = nullptr;
}

void EventStreamReader::onHead(int status, const HttpHeaders &)
{
    m_status = status;
    if (status != 200)
        return; // the refusal's body follows; onEnded() reports it
    m_connected = true;
    m_retryMs = FirstRetryMs;
    Q_EMIT connectionChanged(true, u"following the events of %1"_s.arg(m_api->address()));
    if (std::exchange(m_everConnected, true))
        Q_EMIT reconnected();
}

void EventStreamReader::onData(const QByteArray &data)
{
    if (m_status != 200) {
        if (m_refusal.size() < MaxRefusalBytes)
            m_refusal += data;
        return;
    }
    const QList<SseEvent> events = m_parser.feed(data);
    for (const SseEvent &event : events) {
        if (!m_open)
            return;
        if (event.event == "request") {
            const QJsonObject item = QJsonDocument::fromJson(event.data).object();
            if (!item.isEmpty())
                Q_EMIT requestFinished(item);
        } else if (event.event == "config") {
            Q_EMIT configChanged();
        }
    }
}

void EventStreamReader::onEnded()
{
    if (m_status == 200) {
        dropped(u"%1 closed the event stream"_s.arg(m_api->address()));
        return;
    }
    RemoteApiClient::Reply reply;
    reply.status = m_status;
    reply.body = m_refusal;
    dropped(m_api->problem(EventsPath, reply));
}

void EventStreamReader::onFailed(ErrorClass errorClass, const QString &message)
{
    if (errorClass == ErrorClass::TimeoutIdle && m_connected)
        dropped(u"%1 sent nothing for %2 s"_s.arg(m_api->address()).arg(IdleMs / 1000));
    else if (m_connected)
        dropped(u"lost the connection to %1: %2"_s.arg(m_api->address(), message));
    else
        dropped(m_api->unreachable(errorClass, message));
}

void EventStreamReader::dropped(const QString &why)
{
    discardCall();
    m_connected = false;
    if (!m_open)
        return;
    const int delayMs = m_retryMs;
    m_retryMs = qMin(m_retryMs * 2, MaxRetryMs);
    m_retry.start(delayMs);
    Q_EMIT connectionChanged(false, u"%1; trying again in %2 s"_s.arg(why).arg(delayMs / 1000));
}

} // namespace Switchyard
