// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/stream/SseParser.h"
#include <QHash>
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI chat.completion.chunk stream into OpenAI Responses streaming events as it
// arrives: fed one upstream event at a time, it returns the client events to write now.
// Every event carries its type and a sequence_number counting from 0.
//
//   first chunk               → response.created, response.in_progress (status in_progress)
//   content (or refusal)      → response.output_item.added (a message item) and
//                               response.content_part.added (output_text) when no message
//                               item is open, then response.output_text.delta
//   tool_calls[k] with an id  → the open item is finished, response.output_item.added
//                               (a function_call item: call_id = the id, name, arguments "")
//   tool_calls[k] arguments   → response.function_call_arguments.delta on that item
//   finish_reason             → the open item is finished: response.output_text.done,
//                               response.content_part.done and response.output_item.done for
//                               a message; response.function_call_arguments.done and
//                               response.output_item.done for a function call
//   usage (any chunk)         → kept
//   [DONE]                    → response.completed (or response.incomplete, when the answer
//                               was cut at the token limit or filtered) with the whole response
//   {"error": {...}}          → an `error` event {code, message, param}, then response.failed
//                               with that error; the stream ends there
// Items are numbered from 0 (output_index) in the order they start. The completion event
// waits for [DONE] because the usage chunk comes after the finish_reason.
class ChatToResponsesStream final
{
public:
    // `request`: the client's Responses request, whose settings the response echoes;
    // `createdAt`: the Unix time to report.
    ChatToResponsesStream(const QJsonObject &request, qint64 createdAt);

    // Each element is one event, rendered as "event: <type>\ndata: {...}\n\n".
    QByteArrayList feed(const SseEvent &event);
    // The upstream closed: if its finish_reason came but [DONE] did not, the events that end
    // the response; otherwise nothing.
    QByteArrayList finish();
    // The stream broke off and Switchyard ends it: an `error` event, then response.failed.
    QByteArrayList abort(const QString &code, const QString &message) { return fail(code, message); }

    // The final event or an error has been written; later events are ignored.
    bool finished() const { return m_finished; }
    // What went wrong, when the upstream sent an error or an event that is not JSON.
    const QString &error() const { return m_error; }
    // Usage in OpenAI chat terms, as far as the stream has told it.
    const Usage &usage() const { return m_usage; }

private:
    void start(const QJsonObject &chunk, QByteArrayList &out);
    void addText(const QString &text, QByteArrayList &out);
    void addToolCall(const QJsonObject &call, QByteArrayList &out);
    void closeItem(QByteArrayList &out);
    QByteArrayList end();
    QByteArrayList fail(const QString &code, const QString &message);
    QByteArray event(const QString &type, QJsonObject data);
    QJsonObject response(const QString &status) const;

    QJsonObject m_request;
    qint64 m_createdAt;
    bool m_started = false;
    QString m_id;
    QString m_model;
    int m_sequence = 0;
    QList<QJsonObject> m_items;    // output items by output_index, as far as they have come
    int m_openItem = -1;           // the item added and not yet done
    QString m_text;                // the open message item's text so far
    QHash<int, int> m_toolItem;    // chat tool call index → output_index
    QString m_finishReason;
    Usage m_usage;
    qint64 m_reasoningTokens = 0;
    bool m_finished = false;
    QString m_error;
};

} // namespace Switchyard
