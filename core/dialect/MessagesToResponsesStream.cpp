// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/MessagesToResponsesStream.h"

namespace Switchyard {

MessagesToResponsesStream::MessagesToResponsesStream(const QJsonObject &request, qint64 createdAt)
    : m_toChat(true, createdAt)
    , m_toResponses(request, createdAt)
{}

QByteArrayList MessagesToResponsesStream::feed(const SseEvent &event)
{
    return relay(m_toChat.feed(event));
}

QByteArrayList MessagesToResponsesStream::finish()
{
    QByteArrayList out = relay(m_toChat.finish());
    out += m_toResponses.finish();
    return out;
}

const QString &MessagesToResponsesStream::error() const
{
    return m_toChat.error().isEmpty() ? m_toResponses.error() : m_toChat.error();
}

QByteArrayList MessagesToResponsesStream::relay(const QByteArrayList &chunks)
{
    QByteArrayList out;
    for (const QByteArray &chunk : chunks) {
        for (const SseEvent &event : m_chunks.feed(chunk))
            out += m_toResponses.feed(event);
    }
    return out;
}

} // namespace Switchyard
