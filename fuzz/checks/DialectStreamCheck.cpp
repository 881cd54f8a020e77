// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessagesStream.h"
#include "core/dialect/MessagesToChatStream.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard::FuzzChecks {
namespace {

using namespace Qt::Literals::StringLiterals;

// One written event: exactly one SSE event, nothing left over; its data JSON (or [DONE]).
QJsonObject parseWritten(const QByteArray &written, bool *done)
{
    SseParser parser;
    const QList<SseEvent> events = parser.feed(written);
    FUZZ_REQUIRE(events.size() == 1);
    FUZZ_REQUIRE(parser.pending().isEmpty());
    *done = events.first().data == "[DONE]";
    if (*done)
        return {};
    const auto data = jsonObject(events.first().data);
    FUZZ_REQUIRE(data.has_value());
    return *data;
}

// The order of Anthropic events a client's SDK accepts: message_start first; blocks numbered
// from 0 as they start, at most one open, deltas of the block's own kind for a block that
// started; message_delta with no block open; message_stop or an error last.
class AnthropicOrder final
{
public:
    void add(const QByteArray &written)
    {
        bool done = false;
        const QJsonObject e = parseWritten(written, &done);
        FUZZ_REQUIRE(!done);
        FUZZ_REQUIRE(!m_ended);
        const QString type = e["type"_L1].toString();
        FUZZ_REQUIRE(m_started || type == "message_start"_L1 || type == "error"_L1);
        const int index = e["index"_L1].toInt(-1);
        if (type == "message_start"_L1) {
            FUZZ_REQUIRE(!m_started);
            m_started = true;
        } else if (type == "content_block_start"_L1) {
            FUZZ_REQUIRE(m_open < 0 && !m_sawDelta);
            FUZZ_REQUIRE(index == m_kinds.size());
            m_kinds.append(e["content_block"_L1]["type"_L1].toString());
            m_open = index;
        } else if (type == "content_block_delta"_L1) {
            FUZZ_REQUIRE(index >= 0 && index < m_kinds.size() && !m_sawDelta);
            const QString delta = e["delta"_L1]["type"_L1].toString();
            FUZZ_REQUIRE(delta == (m_kinds.at(index) == "text"_L1 ? "text_delta"_L1 : "input_json_delta"_L1));
        } else if (type == "content_block_stop"_L1) {
            FUZZ_REQUIRE(index == m_open && index >= 0);
            m_open = -1;
        } else if (type == "message_delta"_L1) {
            FUZZ_REQUIRE(m_open < 0 && !m_sawDelta);
            FUZZ_REQUIRE(e["delta"_L1]["stop_reason"_L1].isString());
            m_sawDelta = true;
        } else if (type == "message_stop"_L1) {
            FUZZ_REQUIRE(m_sawDelta);
            m_ended = true;
        } else {
            FUZZ_REQUIRE(type == "error"_L1);
            FUZZ_REQUIRE(e["error"_L1]["message"_L1].isString());
            m_ended = true;
        }
    }

private:
    bool m_started = false;
    bool m_sawDelta = false;
    bool m_ended = false;
    int m_open = -1;
    QStringList m_kinds;
};

// OpenAI chunks: chat.completion.chunk objects or one error, then nothing after [DONE].
class OpenAiOrder final
{
public:
    void add(const QByteArray &written)
    {
        FUZZ_REQUIRE(!m_ended);
        bool done = false;
        const QJsonObject chunk = parseWritten(written, &done);
        if (done || chunk.contains("error"_L1)) {
            m_ended = true;
            return;
        }
        FUZZ_REQUIRE(chunk["object"_L1] == "chat.completion.chunk"_L1);
        for (const QJsonValue &call : chunk["choices"_L1][0]["delta"_L1]["tool_calls"_L1].toArray()) {
            const int index = call["index"_L1].toInt(-1);
            FUZZ_REQUIRE(index >= 0 && index <= m_tools);
            m_tools = qMax(m_tools, index + 1);
        }
    }

private:
    bool m_ended = false;
    int m_tools = 0;
};

} // namespace

void dialectStream(QByteArrayView input)
{
    SseParser sse;
    const QList<SseEvent> events = sse.feed(input.toByteArray());
    MessagesToChatStream toChat(planFor(input) % 2 == 0, 1700000000);
    ChatToMessagesStream toMessages;
    OpenAiOrder openAi;
    AnthropicOrder anthropic;
    for (const SseEvent &event : events) {
        const bool chatWasFinished = toChat.finished();
        const QByteArrayList chat = toChat.feed(event);
        FUZZ_REQUIRE(!chatWasFinished || chat.isEmpty());
        for (const QByteArray &written : chat)
            openAi.add(written);
        const bool messagesWasFinished = toMessages.finished();
        const QByteArrayList messages = toMessages.feed(event);
        FUZZ_REQUIRE(!messagesWasFinished || messages.isEmpty());
        for (const QByteArray &written : messages)
            anthropic.add(written);
    }
    for (const QByteArray &written : toChat.finish())
        openAi.add(written);
    for (const QByteArray &written : toMessages.finish())
        anthropic.add(written);
}

} // namespace Switchyard::FuzzChecks
