// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponseTranslator.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonArray>

namespace Switchyard::FuzzChecks {
namespace {

using namespace Qt::Literals::StringLiterals;

void checkChatCompletion(const QJsonObject &c)
{
    FUZZ_REQUIRE(c["object"_L1] == "chat.completion"_L1);
    FUZZ_REQUIRE(c["choices"_L1].toArray().size() == 1);
    const QJsonValue message = c["choices"_L1][0]["message"_L1];
    FUZZ_REQUIRE(message["role"_L1] == "assistant"_L1);
    FUZZ_REQUIRE(message["content"_L1].isString() || message["tool_calls"_L1].isArray());
    for (const QJsonValue &call : message["tool_calls"_L1].toArray())
        FUZZ_REQUIRE(call["function"_L1]["arguments"_L1].isString());
    FUZZ_REQUIRE(c["usage"_L1].isObject());
}

void checkAnthropicMessage(const QJsonObject &m)
{
    FUZZ_REQUIRE(m["type"_L1] == "message"_L1);
    FUZZ_REQUIRE(m["stop_reason"_L1].isString());
    for (const QJsonValue &block : m["content"_L1].toArray()) {
        if (block["type"_L1] == "text"_L1)
            FUZZ_REQUIRE(!block["text"_L1].toString().isEmpty());
        else
            FUZZ_REQUIRE(block["type"_L1] == "tool_use"_L1 && block["input"_L1].isObject());
    }
    FUZZ_REQUIRE(m["usage"_L1].isObject());
}

void checkError(const QJsonObject &e, bool anthropic)
{
    const QJsonValue error = e["error"_L1];
    FUZZ_REQUIRE(error.isObject());
    FUZZ_REQUIRE(error["type"_L1].isString() && !error["type"_L1].toString().isEmpty());
    FUZZ_REQUIRE(error["message"_L1].isString());
    if (anthropic)
        FUZZ_REQUIRE(e["type"_L1] == "error"_L1);
}

} // namespace

void dialectResponse(QByteArrayView input)
{
    const QByteArray bytes = input.toByteArray();
    const int status = QList<int>{0, 400, 401, 404, 429, 500, 529}.at(planFor(input) % 7);
    checkError(ResponseTranslator::toOpenAiError(bytes, status), false);
    checkError(ResponseTranslator::toAnthropicError(bytes, status), true);

    const auto body = jsonObject(input);
    if (!body)
        return;
    const auto completion = ResponseTranslator::toChatCompletion(*body, 1700000000);
    if (completion) {
        checkChatCompletion(completion.value());
        // Every tool_use input that is an object comes back: the round trip must succeed.
        bool objectInputs = true;
        for (const QJsonValue &block : (*body)["content"_L1].toArray())
            objectInputs &= block["type"_L1] != "tool_use"_L1 || block["input"_L1].isObject();
        const auto back = ResponseTranslator::toAnthropicMessage(completion.value());
        if (objectInputs)
            FUZZ_REQUIRE(back.ok());
    }
    const auto message = ResponseTranslator::toAnthropicMessage(*body);
    if (message)
        checkAnthropicMessage(message.value());
    else
        FUZZ_REQUIRE(!message.error().message.isEmpty());
}

} // namespace Switchyard::FuzzChecks
