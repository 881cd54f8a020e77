// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/stream/SseParser.h"
#include <QHash>
#include <QJsonObject>

namespace Switchyard {

// Turns an Anthropic Messages event stream into OpenAI chat.completion.chunk events as it
// arrives: fed one upstream event at a time, it returns the client events to write now.
//
//   message_start              → a chunk with delta {role: "assistant", content: ""}
//   content_block_start text   → nothing (or its text, if it came with any)
//   content_block_start tool_use → a tool_calls delta {index, id, type, function {name, arguments: ""}}
//   text_delta                 → a content delta
//   input_json_delta           → a tool_calls delta {index, function {arguments: fragment}}
//   message_delta              → a chunk with finish_reason (and empty delta)
//   message_stop               → the usage chunk (choices [], when the client asked for it), then [DONE]
//   error                      → data: {"error": {...}} in OpenAI's shape; the stream ends there
//   ping, content_block_stop, thinking and signature deltas, unknown events → nothing
// Tool call indexes count tool_use blocks from 0. The id and model are the upstream's.
class MessagesToChatStream final
{
public:
    // includeUsage: the client asked for usage (stream_options.include_usage); then every
    // chunk carries "usage": null and a usage chunk comes before [DONE], as OpenAI does.
    // created: the Unix time the chunks report (Anthropic sends none).
    MessagesToChatStream(bool includeUsage, qint64 created);

    // Each element is one event, rendered as "data: {...}\n\n".
    QByteArrayList feed(const SseEvent &event);
    // The upstream closed: if its message_delta came but message_stop did not, the events
    // that end the stream; otherwise nothing.
    QByteArrayList finish();

    // [DONE] or an error has been written; later events are ignored.
    bool finished() const { return m_finished; }
    // What went wrong, when the upstream sent an error event or an event that is not JSON.
    const QString &error() const { return m_error; }
    // Usage in OpenAI terms, as far as the stream has told it.
    const Usage &usage() const { return m_usage; }

private:
    QByteArray chunk(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue()) const;
    QByteArrayList end();
    QByteArrayList fail(const QJsonObject &openAiError);
    void mergeUsage(const QJsonObject &anthropicUsage);

    bool m_includeUsage;
    qint64 m_created;
    QString m_id;
    QString m_model;
    QHash<int, int> m_toolIndex; // Anthropic content block index → OpenAI tool call index
    QJsonObject m_anthropicUsage;
    Usage m_usage;
    bool m_sawMessageDelta = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace Switchyard
