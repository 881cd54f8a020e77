// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/stream/SseParser.h"
#include <QHash>
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI chat.completion.chunk stream into Anthropic Messages events as it arrives:
// fed one upstream event at a time, it returns the client events to write now.
//
//   first chunk             → message_start (usage 0 so far: OpenAI reports it at the end)
//   content                 → content_block_start text (when no text block is open), text_delta
//   tool_calls[k] with id   → content_block_stop of the open block, content_block_start tool_use {id, name}
//   tool_calls[k] arguments → input_json_delta on that tool's block
//   finish_reason           → content_block_stop of the open block; the stop reason is kept
//   usage (any chunk)       → kept
//   [DONE]                  → message_delta {stop_reason, usage}, then message_stop
//   {"error": {...}}        → an Anthropic error event; the stream ends there
// Blocks are numbered from 0 in the order they start. The message_delta waits for [DONE]
// because the usage chunk (stream_options.include_usage) comes after the finish_reason.
class ChatToMessagesStream final
{
public:
    // Each element is one event, rendered as "event: <type>\ndata: {...}\n\n".
    QByteArrayList feed(const SseEvent &event);
    // The upstream closed: if its finish_reason came but [DONE] did not, the events that end
    // the message; otherwise nothing.
    QByteArrayList finish();

    // message_stop or an error has been written; later events are ignored.
    bool finished() const { return m_finished; }
    // What went wrong, when the upstream sent an error or an event that is not JSON.
    const QString &error() const { return m_error; }
    // Usage in OpenAI terms, as far as the stream has told it.
    const Usage &usage() const { return m_usage; }

private:
    void start(const QJsonObject &chunk, QByteArrayList &out);
    void addText(const QString &text, QByteArrayList &out);
    void addToolCall(const QJsonObject &call, QByteArrayList &out);
    void closeBlock(QByteArrayList &out);
    QByteArrayList end();
    QByteArrayList fail(const QJsonObject &anthropicError);

    bool m_started = false;
    int m_nextBlock = 0;
    int m_openBlock = -1; // the content block started and not yet stopped
    bool m_openIsText = false;
    QHash<int, int> m_toolBlock; // OpenAI tool call index → Anthropic content block index
    QString m_stopReason;
    Usage m_usage;
    bool m_finished = false;
    QString m_error;
};

} // namespace Switchyard
