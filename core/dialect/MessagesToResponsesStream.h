// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/ChatToResponsesStream.h"
#include "core/dialect/MessagesToChatStream.h"

namespace Switchyard {

// Turns an Anthropic Messages event stream into OpenAI Responses streaming events as it
// arrives, through the chat chunk form: each upstream event goes through
// MessagesToChatStream (with usage asked for) and each chunk that gives at once through
// ChatToResponsesStream, so nothing waits for more than the event that caused it.
class MessagesToResponsesStream final
{
public:
    // `request`: the client's Responses request; `createdAt`: the Unix time to report.
    MessagesToResponsesStream(const QJsonObject &request, qint64 createdAt);

    // Each element is one Responses event, "event: <type>\ndata: {...}\n\n".
    QByteArrayList feed(const SseEvent &event);
    // The upstream closed: the events that still end the response, if its end was known.
    QByteArrayList finish();
    // The stream broke off and Switchyard ends it: an `error` event, then response.failed.
    QByteArrayList abort(const QString &code, const QString &message) { return m_toResponses.abort(code, message); }

    bool finished() const { return m_toResponses.finished(); }
    // What went wrong, when the upstream sent an error or an event that is not JSON.
    const QString &error() const;
    // Usage in OpenAI terms, as the Anthropic stream told it (cache reads included).
    const Usage &usage() const { return m_toChat.usage(); }

private:
    QByteArrayList relay(const QByteArrayList &chunks);

    MessagesToChatStream m_toChat;
    SseParser m_chunks; // reads the chat chunks back as events
    ChatToResponsesStream m_toResponses;
};

} // namespace Switchyard
