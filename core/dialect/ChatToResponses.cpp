// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToResponses.h"
#include "core/dialect/ResponsesToChat.h"
#include "core/record/OpenAiBody.h"
#include <QJsonArray>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// The request's value for `key`, or `fallback` when it has none.
QJsonValue echoed(const QJsonObject &request, QLatin1StringView key, const QJsonValue &fallback)
{
    const QJsonValue v = request.value(key);
    return v.isUndefined() || v.isNull() ? fallback : v;
}

QString idBase(const QString &upstreamId)
{
    for (const auto prefix : {"chatcmpl-"_L1, "msg_"_L1, "resp_"_L1}) {
        if (upstreamId.startsWith(prefix))
            return upstreamId.mid(prefix.size());
    }
    return upstreamId;
}

} // namespace

QJsonObject ChatToResponses::envelope(const QJsonObject &request, const QString &upstreamId, const QString &model,
                                      qint64 createdAt, const QString &status)
{
    return QJsonObject{
        {u"id"_s, responseId(upstreamId)},
        {u"object"_s, u"response"_s},
        {u"created_at"_s, createdAt},
        {u"status"_s, status},
        {u"background"_s, false},
        {u"error"_s, QJsonValue()},
        {u"incomplete_details"_s, QJsonValue()},
        {u"instructions"_s, echoed(request, "instructions"_L1, QJsonValue())},
        {u"max_output_tokens"_s, echoed(request, "max_output_tokens"_L1, QJsonValue())},
        {u"model"_s, model},
        {u"output"_s, QJsonArray()},
        {u"parallel_tool_calls"_s, echoed(request, "parallel_tool_calls"_L1, true)},
        {u"previous_response_id"_s, QJsonValue()},
        {u"reasoning"_s, QJsonObject{{u"effort"_s, QJsonValue()}, {u"summary"_s, QJsonValue()}}},
        {u"store"_s, false},
        {u"temperature"_s, echoed(request, "temperature"_L1, 1.0)},
        {u"text"_s, echoed(request, "text"_L1, QJsonObject{{u"format"_s, QJsonObject{{u"type"_s, u"text"_s}}}})},
        {u"tool_choice"_s, echoed(request, "tool_choice"_L1, u"auto"_s)},
        {u"tools"_s, echoed(request, "tools"_L1, QJsonArray())},
        {u"top_p"_s, echoed(request, "top_p"_L1, 1.0)},
        {u"truncation"_s, echoed(request, "truncation"_L1, u"disabled"_s)},
        {u"usage"_s, QJsonValue()},
        {u"user"_s, echoed(request, "user"_L1, QJsonValue())},
        {u"metadata"_s, echoed(request, "metadata"_L1, QJsonObject())}};
}

QString ChatToResponses::statusFor(const QString &finishReason)
{
    return finishReason == "length"_L1 || finishReason == "content_filter"_L1 ? u"incomplete"_s : u"completed"_s;
}

QJsonValue ChatToResponses::incompleteDetails(const QString &finishReason)
{
    if (finishReason == "length"_L1)
        return QJsonObject{{u"reason"_s, u"max_output_tokens"_s}};
    if (finishReason == "content_filter"_L1)
        return QJsonObject{{u"reason"_s, u"content_filter"_s}};
    return QJsonValue();
}

QJsonObject ChatToResponses::usage(const Usage &usage, qint64 reasoningTokens)
{
    const qint64 input = usage.promptTokens.value_or(0);
    const qint64 output = usage.completionTokens.value_or(0);
    const qint64 cached = usage.cachedPromptTokens.value_or(0);
    return QJsonObject{{u"input_tokens"_s, input},
                       {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, cached}}},
                       {u"output_tokens"_s, output},
                       {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, reasoningTokens}}},
                       {u"total_tokens"_s, input + output}};
}

QString ChatToResponses::responseId(const QString &upstreamId)
{
    return "resp_"_L1 + idBase(upstreamId);
}

QString ChatToResponses::messageItemId(const QString &upstreamId)
{
    return "msg_"_L1 + idBase(upstreamId);
}

QString ChatToResponses::functionCallItemId(const QString &upstreamId, int outputIndex)
{
    return u"fc_%1_%2"_s.arg(idBase(upstreamId)).arg(outputIndex);
}

QJsonObject ChatToResponses::textPart(const QString &text)
{
    return QJsonObject{{u"type"_s, u"output_text"_s},
                       {u"text"_s, text},
                       {u"annotations"_s, QJsonArray()},
                       {u"logprobs"_s, QJsonArray()}};
}

QJsonObject ChatToResponses::messageItem(const QString &id, const QJsonArray &content, const QString &status)
{
    return QJsonObject{{u"id"_s, id},
                       {u"type"_s, u"message"_s},
                       {u"status"_s, status},
                       {u"role"_s, u"assistant"_s},
                       {u"content"_s, content}};
}

QJsonObject ChatToResponses::functionCallItem(const QString &id, const QString &callId, const QString &name,
                                              const QString &arguments, const QString &status,
                                              const QJsonObject &request)
{
    const auto [ns, clientName] = ResponsesToChat::clientToolName(request, name);
    QJsonObject item{{u"id"_s, id},        {u"type"_s, u"function_call"_s}, {u"status"_s, status},
                     {u"call_id"_s, callId}, {u"name"_s, clientName},          {u"arguments"_s, arguments}};
    if (!ns.isEmpty())
        item.insert("namespace"_L1, ns);
    return item;
}

Result<QJsonObject> ChatToResponses::toResponse(const QJsonObject &completion, const QJsonObject &request,
                                                qint64 createdAt)
{
    const QJsonArray choices = completion.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return Error{u"the upstream's answer has no choices"_s};
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject reply = choice.value("message"_L1).toObject();
    const QString id = completion.value("id"_L1).toString();
    const QString finishReason = choice.value("finish_reason"_L1).toString();
    const QString status = statusFor(finishReason);

    QString text = reply.value("content"_L1).toString();
    for (const QJsonValue &part : reply.value("content"_L1).toArray()) // some compatible servers send parts
        text += part.toObject().value("text"_L1).toString();
    if (text.isEmpty())
        text = reply.value("refusal"_L1).toString();
    QJsonArray output;
    if (!text.isEmpty())
        output.append(messageItem(messageItemId(id), QJsonArray{textPart(text)}, status));
    for (const QJsonValue &value : reply.value("tool_calls"_L1).toArray()) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value("function"_L1).toObject();
        output.append(functionCallItem(functionCallItemId(id, int(output.size())), call.value("id"_L1).toString(),
                                       function.value("name"_L1).toString(),
                                       function.value("arguments"_L1).toString(), u"completed"_s, request));
    }

    QJsonObject response = envelope(request, id, completion.value("model"_L1).toString(), createdAt, status);
    response.insert("incomplete_details"_L1, incompleteDetails(finishReason));
    response.insert("output"_L1, output);
    const QJsonObject chatUsage = completion.value("usage"_L1).toObject();
    const qint64 reasoning =
        chatUsage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInteger();
    response.insert("usage"_L1, usage(OpenAiBody::usageFrom(chatUsage), reasoning));
    return response;
}

} // namespace Switchyard
