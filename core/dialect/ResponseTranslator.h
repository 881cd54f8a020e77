// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// Whole (non-streaming) response bodies and error bodies, each way between the OpenAI Chat
// Completions and the Anthropic Messages dialects. Ids and the model name pass unchanged.
class ResponseTranslator final
{
public:
    // Anthropic message → OpenAI chat.completion: text blocks joined → message.content (null
    // when there are only tool calls), tool_use → tool_calls with JSON-string arguments,
    // stop_reason → finish_reason, usage as DialectMapping::usageFromAnthropic describes.
    // Thinking blocks are not passed on. `created` is the Unix time to report (Anthropic
    // sends none).
    static Result<QJsonObject> toChatCompletion(const QJsonObject &message, qint64 created);
    // OpenAI chat.completion (its first choice) → Anthropic message: content (or refusal) →
    // a text block, tool_calls → tool_use blocks (arguments must be a JSON object),
    // finish_reason → stop_reason, usage as DialectMapping::anthropicUsage describes.
    static Result<QJsonObject> toAnthropicMessage(const QJsonObject &completion);

    // Error bodies take the upstream's bytes, which need not be JSON (a gateway's HTML page).
    // Anthropic {"type":"error","error":{type,message}} → OpenAI {"error":{message,type,code}}:
    // type from the HTTP status as JsonErrors::openAiType gives it (or from the Anthropic
    // type when `status` is 0), code = the Anthropic error type (e.g. "overloaded_error").
    static QJsonObject toOpenAiError(const QByteArray &anthropicBody, int status);
    // OpenAI {"error":{message,type,code}} → Anthropic {"type":"error","error":{type,message}}:
    // type from the HTTP status as JsonErrors::anthropicType gives it (or from the OpenAI
    // type and code when `status` is 0); the OpenAI code, when set, ends the message.
    static QJsonObject toAnthropicError(const QByteArray &openAiBody, int status);
};

} // namespace Switchyard
