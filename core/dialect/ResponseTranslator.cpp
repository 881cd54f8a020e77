// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponseTranslator.h"
#include "core/dialect/DialectMapping.h"
#include "core/http/JsonErrors.h"
#include "core/record/OpenAiBody.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype QuotedBodyChars = 200;

// The HTTP status an Anthropic error type stands for, when the caller has none.
int statusForAnthropicType(const QString &type)
{
    static const QHash<QString, int> statuses{{u"authentication_error"_s, 401}, {u"permission_error"_s, 403},
                                              {u"not_found_error"_s, 404},      {u"request_too_large"_s, 413},
                                              {u"rate_limit_error"_s, 429},     {u"api_error"_s, 500},
                                              {u"overloaded_error"_s, 529}};
    return statuses.value(type, 400);
}

// The HTTP status an OpenAI error type or code stands for, when the caller has none.
int statusForOpenAiType(const QString &type, const QString &code)
{
    if (type == "authentication_error"_L1 || code == "invalid_api_key"_L1)
        return 401;
    if (type == "permission_error"_L1)
        return 403;
    if (type == "not_found_error"_L1 || code == "model_not_found"_L1)
        return 404;
    if (type == "rate_limit_error"_L1 || type == "insufficient_quota"_L1 || type == "requests"_L1 || type == "tokens"_L1
        || code == "rate_limit_exceeded"_L1)
        return 429;
    return type == "server_error"_L1 ? 500 : 400;
}

// The `error` object of an error body, or one made from the raw bytes when it has none.
QJsonObject errorObject(const QByteArray &body, int status)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value("error"_L1).toObject();
    if (error.value("message"_L1).isString())
        return error;
    const QString quoted = QString::fromUtf8(body.trimmed()).left(QuotedBodyChars);
    const QString message = quoted.isEmpty() ? u"the upstream answered HTTP %1 with an empty body"_s.arg(status)
                                             : u"the upstream answered HTTP %1: %2"_s.arg(status).arg(quoted);
    return QJsonObject{{u"message"_s, message}};
}

} // namespace

Result<QJsonObject> ResponseTranslator::toChatCompletion(const QJsonObject &message, qint64 created)
{
    if (message.value("type"_L1) != "message"_L1)
        return Error{u"the upstream's answer is not an Anthropic message"_s};
    QString text;
    QJsonArray calls;
    for (const QJsonValue &value : message.value("content"_L1).toArray()) {
        const QJsonObject block = value.toObject();
        if (block.value("type"_L1) == "text"_L1)
            text += block.value("text"_L1).toString();
        else if (block.value("type"_L1) == "tool_use"_L1)
            calls.append(DialectMapping::openAiToolCall(block));
    }
    QJsonObject reply{{u"role"_s, u"assistant"_s},
                      {u"content"_s, text.isEmpty() && !calls.isEmpty() ? QJsonValue() : QJsonValue(text)}};
    if (!calls.isEmpty())
        reply.insert("tool_calls"_L1, calls);
    const QJsonValue stopReason = message.value("stop_reason"_L1);
    const QJsonObject choice{
        {u"index"_s, 0},
        {u"message"_s, reply},
        {u"logprobs"_s, QJsonValue()},
        {u"finish_reason"_s,
         stopReason.isString() ? QJsonValue(DialectMapping::finishReasonFor(stopReason.toString())) : QJsonValue()}};
    return QJsonObject{{u"id"_s, message.value("id"_L1)},
                       {u"object"_s, u"chat.completion"_s},
                       {u"created"_s, created},
                       {u"model"_s, message.value("model"_L1)},
                       {u"choices"_s, QJsonArray{choice}},
                       {u"usage"_s, DialectMapping::openAiUsage(
                                        DialectMapping::usageFromAnthropic(message.value("usage"_L1).toObject()))}};
}

Result<QJsonObject> ResponseTranslator::toAnthropicMessage(const QJsonObject &completion)
{
    const QJsonArray choices = completion.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return Error{u"the upstream's answer has no choices"_s};
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject reply = choice.value("message"_L1).toObject();
    QJsonArray content;
    QString text = reply.value("content"_L1).toString();
    for (const QJsonValue &part : reply.value("content"_L1).toArray()) // some compatible servers send parts
        text += part.toObject().value("text"_L1).toString();
    if (text.isEmpty())
        text = reply.value("refusal"_L1).toString();
    if (!text.isEmpty())
        content.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}});
    const QJsonArray calls = reply.value("tool_calls"_L1).toArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const auto block =
            DialectMapping::anthropicToolUse(calls.at(i).toObject(), u"choices[0].message.tool_calls[%1]"_s.arg(i));
        if (!block)
            return block.error();
        content.append(block.value());
    }
    const Usage usage = OpenAiBody::usageFrom(completion.value("usage"_L1).toObject());
    return QJsonObject{{u"id"_s, completion.value("id"_L1)},
                       {u"type"_s, u"message"_s},
                       {u"role"_s, u"assistant"_s},
                       {u"model"_s, completion.value("model"_L1)},
                       {u"content"_s, content},
                       {u"stop_reason"_s, DialectMapping::stopReasonFor(choice.value("finish_reason"_L1).toString())},
                       {u"stop_sequence"_s, QJsonValue()},
                       {u"usage"_s, DialectMapping::anthropicUsage(usage)}};
}

QJsonObject ResponseTranslator::toOpenAiError(const QByteArray &anthropicBody, int status)
{
    const QJsonObject error = errorObject(anthropicBody, status);
    const QString type = error.value("type"_L1).toString();
    const int effectiveStatus = status != 0 ? status : statusForAnthropicType(type);
    const QJsonObject openAi{{u"message"_s, error.value("message"_L1)},
                             {u"type"_s, JsonErrors::openAiType(effectiveStatus)},
                             {u"code"_s, type.isEmpty() ? QJsonValue() : QJsonValue(type)}};
    return QJsonObject{{u"error"_s, openAi}};
}

QJsonObject ResponseTranslator::toAnthropicError(const QByteArray &openAiBody, int status)
{
    const QJsonObject error = errorObject(openAiBody, status);
    const QString code = error.value("code"_L1).isString() ? error.value("code"_L1).toString()
                                                           : error.value("code"_L1).toVariant().toString();
    const int effectiveStatus = status != 0 ? status : statusForOpenAiType(error.value("type"_L1).toString(), code);
    QString message = error.value("message"_L1).toString();
    if (!code.isEmpty())
        message += u" (%1)"_s.arg(code);
    const QJsonObject anthropic{{u"type"_s, JsonErrors::anthropicType(effectiveStatus)}, {u"message"_s, message}};
    return QJsonObject{{u"type"_s, u"error"_s}, {u"error"_s, anthropic}};
}

} // namespace Switchyard
