// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/MessagesToChat.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonArray>

namespace Switchyard::FuzzChecks {
namespace {

using namespace Qt::Literals::StringLiterals;

void checkBlocks(const QJsonValue &content)
{
    FUZZ_REQUIRE(content.isString() || content.isArray());
    FUZZ_REQUIRE(!content.toString().isEmpty() || !content.toArray().isEmpty());
    for (const QJsonValue &block : content.toArray()) {
        FUZZ_REQUIRE(block.isObject());
        if (block["type"_L1] == "text"_L1)
            FUZZ_REQUIRE(!block["text"_L1].toString().isEmpty()); // Anthropic rejects empty text blocks
    }
}

// What ChatToMessages promises: the model asked for, max_tokens, user and assistant turns
// that alternate, none empty.
void checkAnthropicRequest(const QJsonObject &r, const QString &model = u"claude"_s)
{
    FUZZ_REQUIRE(r["model"_L1] == model);
    FUZZ_REQUIRE(r["max_tokens"_L1].isDouble());
    FUZZ_REQUIRE(r["messages"_L1].isArray());
    QString previous;
    for (const QJsonValue &m : r["messages"_L1].toArray()) {
        const QString role = m["role"_L1].toString();
        FUZZ_REQUIRE(role == "user"_L1 || role == "assistant"_L1);
        FUZZ_REQUIRE(role != previous);
        checkBlocks(m["content"_L1]);
        previous = role;
    }
    if (r.contains("system"_L1))
        checkBlocks(r["system"_L1]);
}

void checkOpenAiRequest(const QJsonObject &r, const QString &model = u"gpt"_s)
{
    FUZZ_REQUIRE(r["model"_L1] == model);
    FUZZ_REQUIRE(r["messages"_L1].isArray());
    for (const QJsonValue &m : r["messages"_L1].toArray()) {
        const QString role = m["role"_L1].toString();
        FUZZ_REQUIRE(role == "system"_L1 || role == "user"_L1 || role == "assistant"_L1 || role == "tool"_L1);
        const QJsonValue content = m["content"_L1];
        FUZZ_REQUIRE(content.isString() || content.isArray() || (content.isNull() && m["tool_calls"_L1].isArray()));
        for (const QJsonValue &call : m["tool_calls"_L1].toArray())
            FUZZ_REQUIRE(call["function"_L1]["arguments"_L1].isString());
    }
}

} // namespace

void dialectRequest(QByteArrayView input)
{
    const auto request = jsonObject(input);
    if (!request)
        return;
    const auto anthropic = ChatToMessages::translate(*request, u"claude"_s);
    if (anthropic)
        checkAnthropicRequest(anthropic.value());
    else
        FUZZ_REQUIRE(!anthropic.error().message.isEmpty());
    const auto openAi = MessagesToChat::translate(*request, u"gpt"_s);
    if (openAi)
        checkOpenAiRequest(openAi.value());
    else
        FUZZ_REQUIRE(!openAi.error().message.isEmpty());
    // The lenient policy the proxy uses, with targets that reason: it drops, never refuses,
    // a field no table knows, and what it sends keeps the same rules.
    TranslationPolicy toClaude(u"Chat Completions → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const auto thinking = ChatToMessages::translate(*request, u"claude-sonnet-4-5"_s, toClaude);
    if (thinking)
        checkAnthropicRequest(thinking.value(), u"claude-sonnet-4-5"_s);
    FUZZ_REQUIRE(!anthropic || thinking); // lenient takes whatever strict takes
    TranslationPolicy toGpt(u"Messages → Chat Completions"_s, TranslationPolicy::Mode::Lenient, u"gpt-5"_s);
    const auto reasoning = MessagesToChat::translate(*request, u"gpt-5"_s, toGpt);
    if (reasoning)
        checkOpenAiRequest(reasoning.value(), u"gpt-5"_s);
    FUZZ_REQUIRE(!openAi || reasoning);
    FUZZ_REQUIRE(!toClaude.summary().contains('\n') && !toGpt.summary().contains('\n'));
}

} // namespace Switchyard::FuzzChecks
