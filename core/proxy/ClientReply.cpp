// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ClientReply.h"
#include "core/http/HttpExchange.h"

namespace Switchyard {

ClientReply::ClientReply(HttpExchange *exchange, qint64 maxLoggedBytes)
    : m_exchange(exchange)
    , m_maxLoggedBytes(maxLoggedBytes)
{
}

HttpExchange *ClientReply::exchange() const
{
    return m_exchange;
}

void ClientReply::respond(int status, const HttpHeaders &headers, const QByteArray &body, const Routing &routing)
{
    log(body);
    if (!m_exchange)
        return;
    addRoutingHeaders(routing);
    m_exchange->respond(status, headers, body);
}

void ClientReply::startStream(int status, const HttpHeaders &headers, const Routing &routing)
{
    m_streamStarted = true;
    if (!m_exchange)
        return;
    m_exchange->addResponseHeader("Cache-Control", "no-cache");
    addRoutingHeaders(routing);
    m_exchange->startStream(status, headers);
}

void ClientReply::writeEvent(const QByteArray &event)
{
    log(event);
    if (m_exchange)
        m_exchange->writeChunk(event);
}

void ClientReply::endStream()
{
    if (m_exchange)
        m_exchange->endStream();
}

void ClientReply::addRoutingHeaders(const Routing &routing)
{
    m_exchange->addResponseHeader("x-switchyard-provider", routing.provider.toUtf8());
    m_exchange->addResponseHeader("x-switchyard-model", routing.model.toUtf8());
    m_exchange->addResponseHeader("x-switchyard-attempts", QByteArray::number(routing.attempts));
    if (!routing.translation.isEmpty())
        m_exchange->addResponseHeader("x-switchyard-translation", routing.translation);
}

void ClientReply::log(const QByteArray &data)
{
    const qint64 room = m_maxLoggedBytes - m_logged.size();
    if (data.size() > room)
        m_truncated = true;
    if (room > 0)
        m_logged += data.left(room);
}

} // namespace Switchyard
