// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/MessagesToChatStream.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/ResponseTranslator.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype QuotedEventChars = 200;

QJsonObject toolCallDelta(int index, const QJsonObject &function, const QJsonObject &start = QJsonObject())
{
    QJsonObject call = start;
    call.insert("index"_L1, index);
    call.insert("function"_L1, function);
    return QJsonObject{{u"tool_calls"_s, QJsonArray{call}}};
}

} // namespace

MessagesToChatStream::MessagesToChatStream(bool includeUsage, qint64 created)
    : m_includeUsage(includeUsage)
    , m_created(created)
{}

QByteArrayList MessagesToChatStream::feed(const SseEvent &event)
{
    if (m_finished || (event.event.isEmpty() && event.data.isEmpty()))
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(event.data);
    if (!doc.isObject()) {
        const QString message = u"the upstream sent an event that is not JSON: %1"_s.arg(
            QString::fromUtf8(event.data.left(QuotedEventChars)));
        return fail(QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message},
                                                         {u"type"_s, u"server_error"_s},
                                                         {u"code"_s, u"bad_upstream_response"_s}}}});
    }
    const QJsonObject data = doc.object();
    const QString type = data.value("type"_L1).toString(QString::fromUtf8(event.event));
    const int index = data.value("index"_L1).toInt();

    if (type == "message_start"_L1) {
        const QJsonObject message = data.value("message"_L1).toObject();
        m_id = message.value("id"_L1).toString();
        m_model = message.value("model"_L1).toString();
        mergeUsage(message.value("usage"_L1).toObject());
        return {chunk(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}})};
    }
    if (type == "content_block_start"_L1) {
        const QJsonObject block = data.value("content_block"_L1).toObject();
        if (block.value("type"_L1) == "text"_L1 && !block.value("text"_L1).toString().isEmpty())
            return {chunk(QJsonObject{{u"content"_s, block.value("text"_L1)}})};
        if (block.value("type"_L1) != "tool_use"_L1)
            return {};
        const int toolIndex = int(m_toolIndex.size());
        m_toolIndex.insert(index, toolIndex);
        const QJsonObject input = block.value("input"_L1).toObject();
        const QString arguments =
            input.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
        const QJsonObject start{{u"id"_s, block.value("id"_L1)}, {u"type"_s, u"function"_s}};
        return {chunk(toolCallDelta(
            toolIndex, QJsonObject{{u"name"_s, block.value("name"_L1)}, {u"arguments"_s, arguments}}, start))};
    }
    if (type == "content_block_delta"_L1) {
        const QJsonObject delta = data.value("delta"_L1).toObject();
        const QString deltaType = delta.value("type"_L1).toString();
        if (deltaType == "text_delta"_L1)
            return {chunk(QJsonObject{{u"content"_s, delta.value("text"_L1)}})};
        const QString fragment = delta.value("partial_json"_L1).toString();
        if (deltaType != "input_json_delta"_L1 || fragment.isEmpty() || !m_toolIndex.contains(index))
            return {};
        return {chunk(toolCallDelta(m_toolIndex.value(index), QJsonObject{{u"arguments"_s, fragment}}))};
    }
    if (type == "message_delta"_L1) {
        mergeUsage(data.value("usage"_L1).toObject());
        m_sawMessageDelta = true;
        const QString stopReason = data.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
        return {chunk(QJsonObject(), DialectMapping::finishReasonFor(stopReason))};
    }
    if (type == "message_stop"_L1)
        return end();
    if (type == "error"_L1)
        return fail(ResponseTranslator::toOpenAiError(event.data, 0));
    return {}; // ping, content_block_stop, and event types added after this was written
}

QByteArrayList MessagesToChatStream::finish()
{
    return !m_finished && m_sawMessageDelta ? end() : QByteArrayList();
}

QByteArray MessagesToChatStream::chunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    const QJsonObject choice{
        {u"index"_s, 0}, {u"delta"_s, delta}, {u"logprobs"_s, QJsonValue()}, {u"finish_reason"_s, finishReason}};
    QJsonObject out{{u"id"_s, m_id},
                    {u"object"_s, u"chat.completion.chunk"_s},
                    {u"created"_s, m_created},
                    {u"model"_s, m_model},
                    {u"choices"_s, QJsonArray{choice}}};
    if (m_includeUsage)
        out.insert("usage"_L1, QJsonValue());
    return DialectMapping::openAiEvent(out);
}

QByteArrayList MessagesToChatStream::end()
{
    m_finished = true;
    QByteArrayList out;
    if (m_includeUsage) {
        out.append(DialectMapping::openAiEvent(QJsonObject{{u"id"_s, m_id},
                                                           {u"object"_s, u"chat.completion.chunk"_s},
                                                           {u"created"_s, m_created},
                                                           {u"model"_s, m_model},
                                                           {u"choices"_s, QJsonArray()},
                                                           {u"usage"_s, DialectMapping::openAiUsage(m_usage)}}));
    }
    out.append(DialectMapping::openAiDone());
    return out;
}

QByteArrayList MessagesToChatStream::fail(const QJsonObject &openAiError)
{
    m_finished = true;
    m_error = openAiError.value("error"_L1).toObject().value("message"_L1).toString();
    return {DialectMapping::openAiEvent(openAiError)};
}

void MessagesToChatStream::mergeUsage(const QJsonObject &anthropicUsage)
{
    for (auto it = anthropicUsage.constBegin(); it != anthropicUsage.constEnd(); ++it) {
        if (it.value().isDouble())
            m_anthropicUsage.insert(it.key(), it.value());
    }
    m_usage = DialectMapping::usageFromAnthropic(m_anthropicUsage);
}

} // namespace Switchyard
