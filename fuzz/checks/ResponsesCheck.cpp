// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToResponsesStream.h"
#include "core/dialect/MessagesToResponsesStream.h"
#include "core/dialect/ResponsesToChat.h"
#include "core/dialect/ResponsesToMessages.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonArray>

namespace Switchyard::FuzzChecks {
namespace {

using namespace Qt::Literals::StringLiterals;

// A Responses request either becomes a chat request and an Anthropic request that keep the
// rules of their dialects, or is refused with a message.
void checkRequest(const QJsonObject &request)
{
    const auto chat = ResponsesToChat::translate(request, u"gpt"_s);
    if (!chat) {
        FUZZ_REQUIRE(!chat.error().message.isEmpty());
    } else {
        const QJsonObject c = chat.value().chat;
        FUZZ_REQUIRE(c["model"_L1] == "gpt"_L1);
        FUZZ_REQUIRE(c["messages"_L1].isArray());
        for (const QJsonValue &m : c["messages"_L1].toArray()) {
            const QString role = m["role"_L1].toString();
            FUZZ_REQUIRE(role == "system"_L1 || role == "developer"_L1 || role == "user"_L1 || role == "assistant"_L1
                         || role == "tool"_L1);
            for (const QJsonValue &call : m["tool_calls"_L1].toArray())
                FUZZ_REQUIRE(call["function"_L1]["arguments"_L1].isString());
        }
    }
    TranslationPolicy lenient(u"Responses → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const auto thinking = ResponsesToMessages::translate(request, u"claude-sonnet-4-5"_s, lenient);
    FUZZ_REQUIRE(thinking || !thinking.error().message.isEmpty());
    const auto anthropic = ResponsesToMessages::translate(request, u"claude"_s);
    FUZZ_REQUIRE(!anthropic || thinking); // lenient takes whatever strict takes
    if (!anthropic) {
        FUZZ_REQUIRE(!anthropic.error().message.isEmpty());
        return;
    }
    const QJsonObject a = anthropic.value();
    FUZZ_REQUIRE(a["model"_L1] == "claude"_L1);
    FUZZ_REQUIRE(a["max_tokens"_L1].isDouble());
    QString previous;
    for (const QJsonValue &m : a["messages"_L1].toArray()) {
        const QString role = m["role"_L1].toString();
        FUZZ_REQUIRE(role == "user"_L1 || role == "assistant"_L1);
        FUZZ_REQUIRE(role != previous); // Anthropic turns alternate
        previous = role;
    }
}

// Responses events as a client reads them: each one SSE event whose name is its data's type,
// numbered from 0 without gaps; nothing after the terminal event.
class ResponsesOrder final
{
public:
    void add(const QByteArray &written)
    {
        FUZZ_REQUIRE(!m_ended);
        SseParser parser;
        const QList<SseEvent> events = parser.feed(written);
        FUZZ_REQUIRE(events.size() == 1 && parser.pending().isEmpty());
        const auto data = jsonObject(events.first().data);
        FUZZ_REQUIRE(data.has_value());
        const QString type = (*data)["type"_L1].toString();
        FUZZ_REQUIRE(events.first().event == type.toUtf8());
        FUZZ_REQUIRE((*data)["sequence_number"_L1].toInteger(-1) == m_next);
        ++m_next;
        m_ended = type == "response.completed"_L1 || type == "response.incomplete"_L1 || type == "response.failed"_L1;
    }

private:
    qint64 m_next = 0;
    bool m_ended = false;
};

void checkStreams(const QByteArray &input)
{
    const QJsonObject request{{u"model"_s, u"general"_s}, {u"stream"_s, true}};
    SseParser sse;
    const QList<SseEvent> events = sse.feed(input);
    MessagesToResponsesStream fromAnthropic(request, 1700000000);
    ChatToResponsesStream fromChat(request, 1700000000);
    ResponsesOrder anthropicOrder, chatOrder;
    for (const SseEvent &event : events) {
        const bool anthropicWasFinished = fromAnthropic.finished();
        const QByteArrayList a = fromAnthropic.feed(event);
        FUZZ_REQUIRE(!anthropicWasFinished || a.isEmpty());
        for (const QByteArray &written : a)
            anthropicOrder.add(written);
        const bool chatWasFinished = fromChat.finished();
        const QByteArrayList c = fromChat.feed(event);
        FUZZ_REQUIRE(!chatWasFinished || c.isEmpty());
        for (const QByteArray &written : c)
            chatOrder.add(written);
    }
    for (const QByteArray &written : fromAnthropic.finish())
        anthropicOrder.add(written);
    for (const QByteArray &written : fromChat.finish())
        chatOrder.add(written);
}

} // namespace

void responsesDialect(QByteArrayView input)
{
    if (const auto request = jsonObject(input))
        checkRequest(*request);
    else
        checkStreams(input.toByteArray());
}

} // namespace Switchyard::FuzzChecks
