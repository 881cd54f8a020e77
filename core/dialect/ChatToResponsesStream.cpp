// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToResponsesStream.h"
#include "core/dialect/ChatToResponses.h"
#include "core/dialect/DialectMapping.h"
#include "core/record/OpenAiBody.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype QuotedEventChars = 200;

} // namespace

ChatToResponsesStream::ChatToResponsesStream(const QJsonObject &request, qint64 createdAt)
    : m_request(request)
    , m_createdAt(createdAt)
{}

QByteArrayList ChatToResponsesStream::feed(const SseEvent &event)
{
    if (m_finished || event.data.isEmpty())
        return {};
    if (event.data.trimmed() == "[DONE]")
        return end();
    const QJsonDocument doc = QJsonDocument::fromJson(event.data);
    if (!doc.isObject()) {
        const QString quoted = QString::fromUtf8(event.data.left(QuotedEventChars));
        return fail(u"bad_upstream_response"_s, u"the upstream sent an event that is not JSON: %1"_s.arg(quoted));
    }
    const QJsonObject chunk = doc.object();
    if (chunk.value("error"_L1).isObject()) {
        const QJsonObject upstreamError = chunk.value("error"_L1).toObject();
        const QJsonValue code = upstreamError.value("code"_L1);
        return fail(code.isString() ? code.toString() : upstreamError.value("type"_L1).toString(u"server_error"_s),
                    upstreamError.value("message"_L1).toString());
    }
    QByteArrayList out;
    start(chunk, out);
    if (chunk.value("usage"_L1).isObject()) {
        const QJsonObject chatUsage = chunk.value("usage"_L1).toObject();
        m_usage = OpenAiBody::usageFrom(chatUsage);
        m_reasoningTokens =
            chatUsage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInteger();
    }
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return out;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value("delta"_L1).toObject();
    for (const auto key : {"content"_L1, "refusal"_L1}) {
        const QString text = delta.value(key).toString();
        if (!text.isEmpty())
            addText(text, out);
    }
    for (const QJsonValue &call : delta.value("tool_calls"_L1).toArray())
        addToolCall(call.toObject(), out);
    if (choice.value("finish_reason"_L1).isString()) {
        m_finishReason = choice.value("finish_reason"_L1).toString();
        closeItem(out);
    }
    return out;
}

QByteArrayList ChatToResponsesStream::finish()
{
    return !m_finished && !m_finishReason.isEmpty() ? end() : QByteArrayList();
}

void ChatToResponsesStream::start(const QJsonObject &chunk, QByteArrayList &out)
{
    if (m_started)
        return;
    m_started = true;
    m_id = chunk.value("id"_L1).toString();
    m_model = chunk.value("model"_L1).toString();
    out.append(event(u"response.created"_s, {{u"response"_s, response(u"in_progress"_s)}}));
    out.append(event(u"response.in_progress"_s, {{u"response"_s, response(u"in_progress"_s)}}));
}

void ChatToResponsesStream::addText(const QString &text, QByteArrayList &out)
{
    if (m_openItem < 0 || m_items.at(m_openItem).value("type"_L1) != "message"_L1) {
        closeItem(out);
        m_openItem = int(m_items.size());
        const QString suffix = m_openItem > 0 ? u"_%1"_s.arg(m_openItem) : QString();
        const QString id = ChatToResponses::messageItemId(m_id) + suffix;
        m_items.append(ChatToResponses::messageItem(id, QJsonArray(), u"in_progress"_s));
        m_text.clear();
        out.append(event(u"response.output_item.added"_s,
                         {{u"output_index"_s, m_openItem}, {u"item"_s, m_items.at(m_openItem)}}));
        out.append(event(u"response.content_part.added"_s, {{u"item_id"_s, id},
                                                             {u"output_index"_s, m_openItem},
                                                             {u"content_index"_s, 0},
                                                             {u"part"_s, ChatToResponses::textPart(QString())}}));
    }
    m_text += text;
    out.append(event(u"response.output_text.delta"_s, {{u"item_id"_s, m_items.at(m_openItem).value("id"_L1)},
                                                        {u"output_index"_s, m_openItem},
                                                        {u"content_index"_s, 0},
                                                        {u"delta"_s, text},
                                                        {u"logprobs"_s, QJsonArray()}}));
}

void ChatToResponsesStream::addToolCall(const QJsonObject &call, QByteArrayList &out)
{
    const int chatIndex = call.value("index"_L1).toInt();
    const QJsonObject function = call.value("function"_L1).toObject();
    if (call.value("id"_L1).isString() && !m_toolItem.contains(chatIndex)) {
        closeItem(out);
        m_openItem = int(m_items.size());
        m_toolItem.insert(chatIndex, m_openItem);
        m_items.append(ChatToResponses::functionCallItem(ChatToResponses::functionCallItemId(m_id, m_openItem),
                                                         call.value("id"_L1).toString(),
                                                         function.value("name"_L1).toString(), QString(),
                                                         u"in_progress"_s, m_request));
        out.append(event(u"response.output_item.added"_s,
                         {{u"output_index"_s, m_openItem}, {u"item"_s, m_items.at(m_openItem)}}));
    }
    const QString fragment = function.value("arguments"_L1).toString();
    if (fragment.isEmpty() || !m_toolItem.contains(chatIndex))
        return;
    // OpenAI sends one tool call after another; a late fragment still names its own item.
    const int index = m_toolItem.value(chatIndex);
    QJsonObject &item = m_items[index];
    item.insert("arguments"_L1, QString(item.value("arguments"_L1).toString() + fragment));
    out.append(event(u"response.function_call_arguments.delta"_s,
                     {{u"item_id"_s, item.value("id"_L1)}, {u"output_index"_s, index}, {u"delta"_s, fragment}}));
}

void ChatToResponsesStream::closeItem(QByteArrayList &out)
{
    if (m_openItem < 0)
        return;
    const int index = m_openItem;
    m_openItem = -1;
    QJsonObject &item = m_items[index];
    const QJsonValue id = item.value("id"_L1);
    if (item.value("type"_L1) == "message"_L1) {
        const QJsonObject part = ChatToResponses::textPart(m_text);
        out.append(event(u"response.output_text.done"_s, {{u"item_id"_s, id},
                                                           {u"output_index"_s, index},
                                                           {u"content_index"_s, 0},
                                                           {u"text"_s, m_text},
                                                           {u"logprobs"_s, QJsonArray()}}));
        out.append(event(u"response.content_part.done"_s,
                         {{u"item_id"_s, id}, {u"output_index"_s, index}, {u"content_index"_s, 0}, {u"part"_s, part}}));
        item.insert("content"_L1, QJsonArray{part});
        item.insert("status"_L1, ChatToResponses::statusFor(m_finishReason));
    } else {
        out.append(event(u"response.function_call_arguments.done"_s,
                         {{u"item_id"_s, id},
                          {u"output_index"_s, index},
                          {u"arguments"_s, item.value("arguments"_L1)}}));
        item.insert("status"_L1, u"completed"_s);
    }
    out.append(event(u"response.output_item.done"_s, {{u"output_index"_s, index}, {u"item"_s, item}}));
}

QByteArrayList ChatToResponsesStream::end()
{
    QByteArrayList out;
    start(QJsonObject(), out);
    closeItem(out);
    m_finished = true;
    const QString status = ChatToResponses::statusFor(m_finishReason);
    QJsonObject done = response(status);
    done.insert("incomplete_details"_L1, ChatToResponses::incompleteDetails(m_finishReason));
    done.insert("usage"_L1, ChatToResponses::usage(m_usage, m_reasoningTokens));
    out.append(event(status == "completed"_L1 ? u"response.completed"_s : u"response.incomplete"_s,
                     {{u"response"_s, done}}));
    return out;
}

QByteArrayList ChatToResponsesStream::fail(const QString &code, const QString &message)
{
    m_finished = true;
    m_error = message;
    QByteArrayList out{event(u"error"_s, {{u"code"_s, code}, {u"message"_s, message}, {u"param"_s, QJsonValue()}})};
    QJsonObject failed = response(u"failed"_s);
    failed.insert("error"_L1, QJsonObject{{u"code"_s, code}, {u"message"_s, message}});
    out.append(event(u"response.failed"_s, {{u"response"_s, failed}}));
    return out;
}

QByteArray ChatToResponsesStream::event(const QString &type, QJsonObject data)
{
    data.insert("type"_L1, type);
    data.insert("sequence_number"_L1, m_sequence++);
    return DialectMapping::anthropicEvent(data); // the same framing: "event: <type>" and the data
}

QJsonObject ChatToResponsesStream::response(const QString &status) const
{
    QJsonObject r = ChatToResponses::envelope(m_request, m_id, m_model, m_createdAt, status);
    QJsonArray output;
    for (const QJsonObject &item : m_items) {
        if (item.value("status"_L1) != "in_progress"_L1)
            output.append(item);
    }
    r.insert("output"_L1, output);
    return r;
}

} // namespace Switchyard
