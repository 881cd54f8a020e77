// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/EventStream.h"
#include "core/admin/RequestJson.h"
#include "core/http/HttpExchange.h"
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

namespace {

QByteArray sseEvent(const QByteArray &name, const QByteArray &id, const QJsonObject &data)
{
    QByteArray out = "event: " + name + '\n';
    if (!id.isEmpty())
        out += "id: " + id + '\n';
    return out + "data: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

} // namespace

EventStream::EventStream(QObject *parent)
    : QObject(parent)
{
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] { broadcast(QByteArrayLiteral(": keep-alive\n\n")); });
}

void EventStream::subscribe(HttpExchange *exchange)
{
    HttpHeaders headers;
    headers.add(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/event-stream"));
    headers.add(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    headers.add(QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")); // nginx in front: do not buffer
    exchange->startStream(200, headers);
    if (exchange->request().method == "HEAD") {
        exchange->endStream();
        return;
    }
    // The first bytes at once, so the client knows the stream is open before anything happens.
    exchange->writeChunk(QByteArrayLiteral("retry: 2000\n: connected\n\n"));
    m_subscribers.append(exchange);
    connect(exchange, &HttpExchange::clientGone, this, [this, exchange] { unsubscribe(exchange); });
    connect(exchange, &QObject::destroyed, this, [this] { m_subscribers.removeAll(nullptr); });
    if (!m_heartbeat.isActive())
        m_heartbeat.start();
}

void EventStream::unsubscribe(HttpExchange *exchange)
{
    m_subscribers.removeAll(exchange);
    exchange->endStream(); // the exchange is done with; a forwarded one is released by that
    if (m_subscribers.isEmpty())
        m_heartbeat.stop();
}

void EventStream::publishFinished(const QList<CallRecord> &records)
{
    if (m_subscribers.isEmpty())
        return;
    QByteArray events;
    for (const CallRecord &record : records)
        events += sseEvent("request", record.id.toUtf8(), RequestJson::summary(record));
    broadcast(events);
}

void EventStream::publishConfig(const Config &config)
{
    if (m_subscribers.isEmpty())
        return;
    const QJsonObject data{{QStringLiteral("applied_at"), RequestJson::timestamp(QDateTime::currentDateTimeUtc())},
                           {QStringLiteral("aliases"), int(config.aliases.size())},
                           {QStringLiteral("providers"), int(config.providers.size())}};
    broadcast(sseEvent("config", {}, data));
}

void EventStream::broadcast(const QByteArray &events)
{
    if (events.isEmpty())
        return;
    m_subscribers.removeAll(nullptr);
    if (m_subscribers.isEmpty())
        m_heartbeat.stop();
    const QList<QPointer<HttpExchange>> subscribers = m_subscribers; // a write may end one
    for (const QPointer<HttpExchange> &exchange : subscribers) {
        if (exchange && exchange->isClientConnected())
            exchange->writeChunk(events);
    }
}

} // namespace Switchyard
