// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessagesStream.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/ResponseTranslator.h"
#include "core/record/OpenAiBody.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype QuotedEventChars = 200;

QByteArray blockEvent(const QString &type, int index, const QString &member, const QJsonObject &value)
{
    return DialectMapping::anthropicEvent(QJsonObject{{u"type"_s, type}, {u"index"_s, index}, {member, value}});
}

} // namespace

QByteArrayList ChatToMessagesStream::feed(const SseEvent &event)
{
    if (m_finished || event.data.isEmpty())
        return {};
    if (event.data.trimmed() == "[DONE]")
        return end();
    const QJsonDocument doc = QJsonDocument::fromJson(event.data);
    if (!doc.isObject()) {
        const QString message = u"the upstream sent an event that is not JSON: %1"_s.arg(
            QString::fromUtf8(event.data.left(QuotedEventChars)));
        return fail(QJsonObject{{u"type"_s, u"error"_s},
                                {u"error"_s, QJsonObject{{u"type"_s, u"api_error"_s}, {u"message"_s, message}}}});
    }
    const QJsonObject chunk = doc.object();
    if (chunk.contains("error"_L1))
        return fail(ResponseTranslator::toAnthropicError(event.data, 0));

    QByteArrayList out;
    start(chunk, out);
    if (chunk.value("usage"_L1).isObject())
        m_usage = OpenAiBody::usageFrom(chunk.value("usage"_L1).toObject());
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return out;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value("delta"_L1).toObject();
    addText(delta.value("content"_L1).toString(), out);
    addText(delta.value("refusal"_L1).toString(), out);
    for (const QJsonValue &call : delta.value("tool_calls"_L1).toArray())
        addToolCall(call.toObject(), out);
    if (choice.value("finish_reason"_L1).isString()) {
        closeBlock(out);
        m_stopReason = DialectMapping::stopReasonFor(choice.value("finish_reason"_L1).toString());
    }
    return out;
}

QByteArrayList ChatToMessagesStream::finish()
{
    return !m_finished && !m_stopReason.isEmpty() ? end() : QByteArrayList();
}

void ChatToMessagesStream::start(const QJsonObject &chunk, QByteArrayList &out)
{
    if (m_started)
        return;
    m_started = true;
    const QJsonObject message{
        {u"id"_s, chunk.value("id"_L1)},       {u"type"_s, u"message"_s},
        {u"role"_s, u"assistant"_s},           {u"content"_s, QJsonArray()},
        {u"model"_s, chunk.value("model"_L1)}, {u"stop_reason"_s, QJsonValue()},
        {u"stop_sequence"_s, QJsonValue()},    {u"usage"_s, DialectMapping::anthropicUsage(m_usage)}};
    out.append(DialectMapping::anthropicEvent(QJsonObject{{u"type"_s, u"message_start"_s}, {u"message"_s, message}}));
}

void ChatToMessagesStream::addText(const QString &text, QByteArrayList &out)
{
    if (text.isEmpty())
        return;
    if (m_openBlock < 0 || !m_openIsText) {
        closeBlock(out);
        m_openBlock = m_nextBlock++;
        m_openIsText = true;
        out.append(blockEvent(u"content_block_start"_s, m_openBlock, u"content_block"_s,
                              QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}));
    }
    out.append(blockEvent(u"content_block_delta"_s, m_openBlock, u"delta"_s,
                          QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, text}}));
}

void ChatToMessagesStream::addToolCall(const QJsonObject &call, QByteArrayList &out)
{
    const int toolIndex = call.value("index"_L1).toInt();
    const QJsonObject function = call.value("function"_L1).toObject();
    if (!m_toolBlock.contains(toolIndex)) {
        closeBlock(out);
        m_openBlock = m_nextBlock++;
        m_openIsText = false;
        m_toolBlock.insert(toolIndex, m_openBlock);
        const QJsonObject block{{u"type"_s, u"tool_use"_s},
                                {u"id"_s, call.value("id"_L1)},
                                {u"name"_s, function.value("name"_L1)},
                                {u"input"_s, QJsonObject()}};
        out.append(blockEvent(u"content_block_start"_s, m_openBlock, u"content_block"_s, block));
    }
    const QString fragment = function.value("arguments"_L1).toString();
    if (!fragment.isEmpty()) {
        // OpenAI sends one tool call after another; a late fragment still names its own block.
        out.append(blockEvent(u"content_block_delta"_s, m_toolBlock.value(toolIndex), u"delta"_s,
                              QJsonObject{{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, fragment}}));
    }
}

void ChatToMessagesStream::closeBlock(QByteArrayList &out)
{
    if (m_openBlock < 0)
        return;
    out.append(
        DialectMapping::anthropicEvent(QJsonObject{{u"type"_s, u"content_block_stop"_s}, {u"index"_s, m_openBlock}}));
    m_openBlock = -1;
}

QByteArrayList ChatToMessagesStream::end()
{
    QByteArrayList out;
    start(QJsonObject(), out);
    closeBlock(out);
    m_finished = true;
    const QString stopReason = m_stopReason.isEmpty() ? u"end_turn"_s : m_stopReason;
    const QJsonObject delta{{u"stop_reason"_s, stopReason}, {u"stop_sequence"_s, QJsonValue()}};
    out.append(DialectMapping::anthropicEvent(QJsonObject{
        {u"type"_s, u"message_delta"_s}, {u"delta"_s, delta}, {u"usage"_s, DialectMapping::anthropicUsage(m_usage)}}));
    out.append(DialectMapping::anthropicEvent(QJsonObject{{u"type"_s, u"message_stop"_s}}));
    return out;
}

QByteArrayList ChatToMessagesStream::fail(const QJsonObject &anthropicError)
{
    m_finished = true;
    m_error = anthropicError.value("error"_L1).toObject().value("message"_L1).toString();
    return {DialectMapping::anthropicEvent(anthropicError)};
}

} // namespace Switchyard
