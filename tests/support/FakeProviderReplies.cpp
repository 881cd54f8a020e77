// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/FakeProviderReplies.h"
#include "core/http/HttpStatus.h"
#include "core/http/JsonErrors.h"
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <atomic>
#include <cmath>

namespace Switchyard::Test::FakeProviderReplies {

using namespace Qt::StringLiterals;
using Fault = FakeProvider::Fault;

namespace {

std::atomic<quint64> s_nextId{1};

enum class Endpoint { Chat, Embeddings, Messages, Responses, Unknown };

// One request as the provider understood it.
struct Call
{
    const HttpRequest *request = nullptr;
    Endpoint endpoint = Endpoint::Unknown;
    QJsonObject body;
    bool validJson = false;
    QString model;
    bool stream = false;
    bool includeUsage = false;
    QString id;
    qint64 created = 0;
    FakeProvider::Reply reply;
};

// An answer before framing: its pieces are whole SSE events (chunked) or the whole body.
struct Answer
{
    int status = 200;
    QByteArray contentType = "application/json";
    HttpHeaders headers;
    QList<ReplyStep> pieces;
    bool chunked = false;
};

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Endpoint endpointOf(const HttpRequest &request)
{
    if (request.method != "POST")
        return Endpoint::Unknown;
    if (request.path.endsWith("/chat/completions"))
        return Endpoint::Chat;
    if (request.path.endsWith("/embeddings"))
        return Endpoint::Embeddings;
    if (request.path.endsWith("/messages"))
        return Endpoint::Messages;
    if (request.path.endsWith("/responses"))
        return Endpoint::Responses;
    return Endpoint::Unknown;
}

Call callOf(const HttpRequest &request, const FakeProvider::Reply &reply)
{
    Call c;
    c.request = &request;
    c.endpoint = endpointOf(request);
    c.reply = reply;
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    c.validJson = document.isObject();
    c.body = document.object();
    c.model = c.body.value(u"model"_s).toString(u"fake-model"_s);
    c.stream = c.body.value(u"stream"_s).toBool();
    c.includeUsage = c.body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    const QString prefix = c.endpoint == Endpoint::Messages ? u"msg_fake"_s : u"chatcmpl-fake"_s;
    c.id = prefix + QString::number(s_nextId++);
    c.created = QDateTime::currentSecsSinceEpoch();
    return c;
}

// Splits into at most one part per character, never inside a surrogate pair.
QStringList splitText(const QString &text, int chunks)
{
    const qsizetype count = qBound(qsizetype(1), qsizetype(chunks), qMax(qsizetype(1), text.size()));
    QStringList parts;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= count; ++i) {
        qsizetype end = qMax(start, text.size() * i / count);
        if (end > start && end < text.size() && text.at(end).isLowSurrogate())
            ++end;
        parts.append(text.mid(start, end - start));
        start = end;
    }
    return parts;
}

Answer jsonAnswer(int status, const QByteArray &body)
{
    Answer a;
    a.status = status;
    a.pieces.append({0, body});
    return a;
}

Answer streamAnswer(const QList<ReplyStep> &events)
{
    Answer a;
    a.contentType = "text/event-stream; charset=utf-8";
    a.headers.add("Cache-Control", "no-cache");
    a.pieces = events;
    a.chunked = true;
    return a;
}

Answer errorAnswer(Endpoint endpoint, int status, const QString &message, const QByteArray &retryAfter = QByteArray())
{
    Answer a = jsonAnswer(status, endpoint == Endpoint::Messages ? JsonErrors::anthropic(status, message)
                                                                 : JsonErrors::openAi(status, message));
    if (!retryAfter.isEmpty())
        a.headers.add("Retry-After", retryAfter);
    return a;
}

QJsonObject openAiUsage(const FakeProvider::Reply &reply)
{
    QJsonObject usage{{u"prompt_tokens"_s, reply.promptTokens},
                      {u"completion_tokens"_s, reply.completionTokens},
                      {u"total_tokens"_s, reply.promptTokens + reply.completionTokens}};
    if (reply.cachedTokens >= 0)
        usage.insert(u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, reply.cachedTokens}});
    return usage;
}

QJsonObject chatEnvelope(const Call &c, const QString &object, const QJsonArray &choices)
{
    return {{u"id"_s, c.id},          {u"object"_s, object},  {u"created"_s, c.created},
            {u"model"_s, c.model},    {u"choices"_s, choices}, {u"system_fingerprint"_s, u"fp_fake"_s}};
}

Answer chatCompletion(const Call &c)
{
    const QJsonObject reply{{u"role"_s, u"assistant"_s}, {u"content"_s, c.reply.text}, {u"refusal"_s, QJsonValue()}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, reply}, {u"logprobs"_s, QJsonValue()},
                             {u"finish_reason"_s, u"stop"_s}};
    QJsonObject o = chatEnvelope(c, u"chat.completion"_s, QJsonArray{choice});
    o.insert(u"usage"_s, openAiUsage(c.reply));
    return jsonAnswer(200, compact(o));
}

QByteArray chatChunk(const Call &c, const QJsonObject &delta, const QJsonValue &finishReason)
{
    const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"logprobs"_s, QJsonValue()},
                             {u"finish_reason"_s, finishReason}};
    QJsonObject o = chatEnvelope(c, u"chat.completion.chunk"_s, QJsonArray{choice});
    if (c.includeUsage)
        o.insert(u"usage"_s, QJsonValue()); // null on every chunk but the usage chunk
    return "data: " + compact(o) + "\n\n";
}

QList<ReplyStep> chatStream(const Call &c)
{
    const QJsonObject roleDelta{{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}, {u"refusal"_s, QJsonValue()}};
    QList<ReplyStep> events{{0, chatChunk(c, roleDelta, QJsonValue())}};
    const QStringList parts = splitText(c.reply.text, c.reply.chunks);
    for (qsizetype i = 0; i < parts.size(); ++i)
        events.append({i > 0 ? c.reply.intervalMs : 0, chatChunk(c, {{u"content"_s, parts.at(i)}}, QJsonValue())});
    events.append({c.reply.intervalMs, chatChunk(c, QJsonObject(), u"stop"_s)});
    if (c.includeUsage) {
        QJsonObject usage = chatEnvelope(c, u"chat.completion.chunk"_s, QJsonArray());
        usage.insert(u"usage"_s, openAiUsage(c.reply));
        events.append({0, "data: " + compact(usage) + "\n\n"});
    }
    events.append({0, QByteArrayLiteral("data: [DONE]\n\n")});
    return events;
}

QByteArray anthropicEvent(const QString &type, QJsonObject data)
{
    data.insert(u"type"_s, type);
    return "event: " + type.toLatin1() + "\ndata: " + compact(data) + "\n\n";
}

QJsonObject anthropicMessage(const Call &c, const QJsonArray &content, const QJsonValue &stopReason, int outputTokens)
{
    // Anthropic counts cache reads and writes apart from input_tokens.
    const int cached = std::max(0, c.reply.cachedTokens), written = std::max(0, c.reply.cacheWriteTokens);
    QJsonObject usage{{u"input_tokens"_s, c.reply.promptTokens - cached - written}, {u"output_tokens"_s, outputTokens}};
    if (c.reply.cachedTokens >= 0)
        usage.insert(u"cache_read_input_tokens"_s, cached);
    if (c.reply.cacheWriteTokens >= 0)
        usage.insert(u"cache_creation_input_tokens"_s, written);
    return {{u"id"_s, c.id},           {u"type"_s, u"message"_s},        {u"role"_s, u"assistant"_s},
            {u"model"_s, c.model},     {u"content"_s, content},          {u"stop_reason"_s, stopReason},
            {u"stop_sequence"_s, QJsonValue()}, {u"usage"_s, usage}};
}

Answer anthropicReply(const Call &c)
{
    const QJsonObject text{{u"type"_s, u"text"_s}, {u"text"_s, c.reply.text}};
    return jsonAnswer(200, compact(anthropicMessage(c, QJsonArray{text}, u"end_turn"_s, c.reply.completionTokens)));
}

QList<ReplyStep> messageStream(const Call &c)
{
    const QJsonObject emptyText{{u"type"_s, u"text"_s}, {u"text"_s, u""_s}};
    QList<ReplyStep> events{
        {0, anthropicEvent(u"message_start"_s, {{u"message"_s, anthropicMessage(c, QJsonArray(), QJsonValue(), 1)}})},
        {0, anthropicEvent(u"content_block_start"_s, {{u"index"_s, 0}, {u"content_block"_s, emptyText}})},
        {0, anthropicEvent(u"ping"_s, QJsonObject())}};
    const QStringList parts = splitText(c.reply.text, c.reply.chunks);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject delta{{u"type"_s, u"text_delta"_s}, {u"text"_s, parts.at(i)}};
        events.append({i > 0 ? c.reply.intervalMs : 0,
                       anthropicEvent(u"content_block_delta"_s, {{u"index"_s, 0}, {u"delta"_s, delta}})});
    }
    events.append({c.reply.intervalMs, anthropicEvent(u"content_block_stop"_s, {{u"index"_s, 0}})});
    const QJsonObject stop{{u"stop_reason"_s, u"end_turn"_s}, {u"stop_sequence"_s, QJsonValue()}};
    const QJsonObject usage{{u"output_tokens"_s, c.reply.completionTokens}};
    events.append({0, anthropicEvent(u"message_delta"_s, {{u"delta"_s, stop}, {u"usage"_s, usage}})});
    events.append({0, anthropicEvent(u"message_stop"_s, QJsonObject())});
    return events;
}

// OpenAI Responses API: one output message with output_text, usage in input/output tokens.
QJsonObject responsesObject(const Call &c, const QString &status, const QString &text)
{
    const QJsonObject content{{u"type"_s, u"output_text"_s}, {u"text"_s, text}, {u"annotations"_s, QJsonArray()}};
    const QJsonObject message{{u"type"_s, u"message"_s}, {u"id"_s, u"msg_fake"_s}, {u"status"_s, status},
                              {u"role"_s, u"assistant"_s}, {u"content"_s, QJsonArray{content}}};
    const QJsonObject usage{{u"input_tokens"_s, c.reply.promptTokens},
                            {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, std::max(0, c.reply.cachedTokens)}}},
                            {u"output_tokens"_s, c.reply.completionTokens},
                            {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, 0}}},
                            {u"total_tokens"_s, c.reply.promptTokens + c.reply.completionTokens}};
    return {{u"id"_s, u"resp_fake"_s}, {u"object"_s, u"response"_s}, {u"created_at"_s, c.created},
            {u"status"_s, status}, {u"model"_s, c.model},
            {u"output"_s, status == u"completed"_s ? QJsonArray{message} : QJsonArray()},
            {u"usage"_s, status == u"completed"_s ? QJsonValue(usage) : QJsonValue()}};
}

QList<ReplyStep> responsesStream(const Call &c)
{
    QList<ReplyStep> events{{0, anthropicEvent(u"response.created"_s, {{u"response"_s, responsesObject(c, u"in_progress"_s, QString())}})}};
    const QStringList parts = splitText(c.reply.text, c.reply.chunks);
    for (qsizetype i = 0; i < parts.size(); ++i)
        events.append({i > 0 ? c.reply.intervalMs : 0,
                       anthropicEvent(u"response.output_text.delta"_s, {{u"item_id"_s, u"msg_fake"_s}, {u"output_index"_s, 0},
                                                                        {u"content_index"_s, 0}, {u"delta"_s, parts.at(i)}})});
    events.append({c.reply.intervalMs,
                   anthropicEvent(u"response.completed"_s, {{u"response"_s, responsesObject(c, u"completed"_s, c.reply.text)}})});
    return events;
}

Answer embeddings(const Call &c)
{
    // One vector per input string; a single string or one token array gives one.
    const QJsonArray inputs = c.body.value(u"input"_s).toArray();
    const qsizetype count = inputs.isEmpty() || inputs.first().isDouble() ? 1 : inputs.size();
    QJsonArray data;
    for (qsizetype i = 0; i < count; ++i) {
        QJsonArray vector;
        for (int j = 0; j < c.reply.embeddingDimensions; ++j)
            vector.append(0.05 * std::sin(double(7 * i + j + 1)));
        data.append(QJsonObject{{u"object"_s, u"embedding"_s}, {u"index"_s, i}, {u"embedding"_s, vector}});
    }
    const QJsonObject usage{{u"prompt_tokens"_s, c.reply.promptTokens}, {u"total_tokens"_s, c.reply.promptTokens}};
    return jsonAnswer(200, compact({{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"model"_s, c.model}, {u"usage"_s, usage}}));
}

Answer normalAnswer(const Call &c)
{
    if (c.endpoint == Endpoint::Unknown)
        return errorAnswer(c.endpoint, 404, u"fake provider: no route for %1 %2"_s.arg(
                                                QString::fromLatin1(c.request->method), QString::fromUtf8(c.request->path)));
    if (!c.validJson)
        return errorAnswer(c.endpoint, 400, u"fake provider: the request body is not a JSON object"_s);
    switch (c.endpoint) {
    case Endpoint::Chat:
        return c.stream ? streamAnswer(chatStream(c)) : chatCompletion(c);
    case Endpoint::Messages:
        return c.stream ? streamAnswer(messageStream(c)) : anthropicReply(c);
    case Endpoint::Responses:
        return c.stream ? streamAnswer(responsesStream(c)) : jsonAnswer(200, compact(responsesObject(c, u"completed"_s, c.reply.text)));
    case Endpoint::Embeddings:
    case Endpoint::Unknown:
        break;
    }
    return embeddings(c);
}

Answer answerFor(const Call &c, const FakeProvider::Behaviour &b)
{
    switch (b.fault) {
    case Fault::HttpError: {
        const QString text = b.message.isEmpty() ? u"fake provider: scripted HTTP %1"_s.arg(b.status) : b.message;
        return errorAnswer(c.endpoint, b.status, text, b.retryAfter);
    }
    case Fault::MalformedJson:
        return jsonAnswer(200, QByteArrayLiteral(R"({"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"content":"unterminated)"));
    case Fault::MalformedSse: {
        // A valid first event, then one whose data is cut off, then the usual rest.
        QList<ReplyStep> events = c.endpoint == Endpoint::Messages ? messageStream(c) : chatStream(c);
        events[1].bytes = c.endpoint == Endpoint::Messages
                              ? QByteArrayLiteral("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"unterminated\n\n")
                              : QByteArrayLiteral("data: {\"id\":\"chatcmpl-broken\",\"choices\":[{\"delta\":{\"content\":\"unterminated\n\n");
        return streamAnswer(events);
    }
    case Fault::WrongContentType: {
        Answer a = jsonAnswer(200, QByteArrayLiteral("<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
                                                     "<body><h1>Please sign in to continue</h1></body></html>\n"));
        a.contentType = "text/html; charset=utf-8";
        return a;
    }
    case Fault::Oversized: {
        Call big = c;
        big.reply.text = QString(qsizetype(b.bytes), u'x');
        big.reply.chunks = int(qMax<qint64>(1, b.bytes / 16384));
        // A millisecond apart, as a real stream comes: the first events reach the gateway on
        // their own, so a stream starts before the size limit is hit however slow the
        // gateway reads (a sanitized build read 1 MB at once and failed before starting).
        big.reply.intervalMs = 1;
        big.reply.embeddingDimensions = int(qMax<qint64>(1, b.bytes / 8));
        return normalAnswer(big);
    }
    case Fault::None:
    case Fault::StallMidStream:
    case Fault::CutMidStream:
    case Fault::ResetMidBody:
    case Fault::ResetBeforeHeaders:
    case Fault::NeverAnswer:
        break;
    }
    return normalAnswer(c);
}

// Frames the answer on the wire, then applies the behaviour's pauses and cut.
ReplyPlan frame(const Answer &a, const FakeProvider::Behaviour &b, bool closeAfter)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(a.status) + ' ' + httpReasonPhrase(a.status) + "\r\n";
    head += "Content-Type: " + a.contentType + "\r\n";
    if (a.chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    } else {
        qint64 length = 0;
        for (const ReplyStep &piece : a.pieces)
            length += piece.bytes.size();
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    }
    for (const auto &[name, value] : a.headers)
        head += name + ": " + value + "\r\n";
    if (closeAfter)
        head += "Connection: close\r\n";

    ReplyPlan out;
    out.closeAfter = closeAfter;
    out.steps.append({b.firstByteDelayMs, head + "\r\n"});
    for (const ReplyStep &piece : a.pieces) {
        const QByteArray bytes = a.chunked ? QByteArray::number(piece.bytes.size(), 16) + "\r\n" + piece.bytes + "\r\n"
                                           : piece.bytes;
        out.steps.append({piece.delayMs, bytes});
    }
    if (a.chunked)
        out.steps.append({0, QByteArrayLiteral("0\r\n\r\n")});

    const qsizetype after = 1 + qMax(0, b.afterPieces); // the head is step 0
    if (b.fault == Fault::StallMidStream && after < out.steps.size())
        out.steps[after].delayMs += b.pauseMs;
    if (b.fault == Fault::CutMidStream) {
        out.steps.resize(qMin(after, out.steps.size()));
        out.ending = ReplyPlan::Ending::Abort;
    }
    if (b.fault == Fault::ResetMidBody && after < out.steps.size()) {
        out.steps.resize(after + 1);
        out.steps[after].bytes.truncate(out.steps[after].bytes.size() / 2); // inside a piece, not between two
        out.steps.append({50, QByteArray()}); // let the peer take in those bytes: a reset may discard unread ones
        out.ending = ReplyPlan::Ending::Abort;
        out.reset = true;
    }
    return out;
}

} // namespace

ReplyPlan plan(const HttpRequest &request, const FakeProvider::Behaviour &behaviour, const FakeProvider::Reply &reply)
{
    if (behaviour.fault == Fault::ResetBeforeHeaders || behaviour.fault == Fault::NeverAnswer) {
        ReplyPlan p;
        p.ending = behaviour.fault == Fault::NeverAnswer ? ReplyPlan::Ending::Hold : ReplyPlan::Ending::Abort;
        p.reset = behaviour.fault == Fault::ResetBeforeHeaders;
        if (behaviour.firstByteDelayMs > 0)
            p.steps.append({behaviour.firstByteDelayMs, QByteArray()});
        return p;
    }
    return frame(answerFor(callOf(request, reply), behaviour), behaviour, !request.keepAlive);
}

} // namespace Switchyard::Test::FakeProviderReplies
