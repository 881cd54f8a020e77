// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/AttemptCodec.h"
#include "core/json/JsonReader.h"
#include "core/json/JsonWriter.h"
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/ChatToResponses.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/MessagesToChat.h"
#include "core/dialect/ResponseTranslator.h"
#include "core/dialect/ResponsesToMessages.h"
#include "core/http/JsonErrors.h"
#include "core/json/JsonSpan.h"
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

namespace {

QByteArray compact(const QJsonObject &o)
{
    return JsonWriter::compact(o); // a 400 KB translated request: toJson's escaping was most of its cost
}

// Usage from an Anthropic stream event: input (and cache) tokens in message_start,
// output tokens in message_delta.
void readAnthropicUsage(const SseEvent &event, Usage &usage)
{
    if (!event.data.contains("\"usage\""))
        return;
    const QJsonObject data = QJsonDocument::fromJson(event.data).object();
    const QJsonObject u = data.value(QLatin1String("type")).toString() == QLatin1String("message_start")
                              ? data.value(QLatin1String("message")).toObject().value(QLatin1String("usage")).toObject()
                              : data.value(QLatin1String("usage")).toObject();
    const Usage read = DialectMapping::usageFromAnthropic(u);
    if (u.contains(QLatin1String("input_tokens"))) {
        usage.promptTokens = read.promptTokens;
        usage.cachedPromptTokens = read.cachedPromptTokens;
        usage.cacheWriteTokens = read.cacheWriteTokens;
        usage.cacheWrite1hTokens = read.cacheWrite1hTokens;
    }
    if (u.contains(QLatin1String("output_tokens")))
        usage.completionTokens = read.completionTokens;
}

// Usage of the OpenAI Responses API: {input_tokens, output_tokens, input_tokens_details.cached_tokens}.
Usage responsesUsage(const QJsonObject &usage)
{
    Usage u;
    if (usage.contains(QLatin1String("input_tokens")))
        u.promptTokens = usage.value(QLatin1String("input_tokens")).toInteger();
    if (usage.contains(QLatin1String("output_tokens")))
        u.completionTokens = usage.value(QLatin1String("output_tokens")).toInteger();
    const QJsonValue cached = usage.value(QLatin1String("input_tokens_details")).toObject().value(QLatin1String("cached_tokens"));
    if (cached.isDouble())
        u.cachedPromptTokens = cached.toInteger();
    const QJsonValue reasoning = usage.value(QLatin1String("output_tokens_details")).toObject().value(QLatin1String("reasoning_tokens"));
    if (reasoning.isDouble())
        u.reasoningTokens = reasoning.toInteger();
    return u;
}

} // namespace

Result<AttemptCodec> AttemptCodec::create(Dialect inbound, ProviderKind target, const QString &endpointPath,
                                          const OpenAiBody &body, const QString &model, TranslationPolicy::Mode mode)
{
    AttemptCodec codec;
    codec.m_inbound = inbound;
    codec.m_target = target;
    codec.m_clientWantsUsage = body.clientWantsUsage();
    const bool countTokens = endpointPath.endsWith(QLatin1String("/count_tokens"));
    codec.m_responsesApi = endpointPath == QLatin1String("/responses");
    if (codec.m_responsesApi && target == ProviderKind::OpenAI) {
        // The Responses API reports usage by itself; it takes no stream_options.
        codec.m_path = endpointPath;
        codec.m_body = body.withModel(model);
        return codec;
    }
    if (target == ProviderKind::Anthropic)
        codec.m_path = countTokens ? QStringLiteral("/v1/messages/count_tokens") : QStringLiteral("/v1/messages");
    else
        codec.m_path = endpointPath;

    if (!codec.translates()) {
        codec.m_body = inbound == Dialect::OpenAi ? body.forUpstream(model) : body.withModel(model);
        return codec;
    }
    if (endpointPath == QLatin1String("/embeddings") || countTokens)
        return Error{QStringLiteral("this endpoint cannot be translated to a provider of kind \"%1\"").arg(providerKindName(target))};
    const QJsonObject &request = body.object(); // parsed once per request, whatever the attempts
    // Named by the client's endpoint (endpointPath is the upstream's).
    const QStringView clientEndpoint = codec.m_responsesApi      ? u"/responses"
                                       : inbound == Dialect::OpenAi ? u"/chat/completions"
                                                                    : u"/messages";
    TranslationPolicy policy(TranslationPolicy::directionFor(clientEndpoint), mode, model);
    if (codec.m_responsesApi)
        return translateResponses(std::move(codec), request, body.stream(), model, policy);
    Result<QJsonObject> translated = inbound == Dialect::OpenAi ? ChatToMessages::translate(request, model, policy)
                                                                : MessagesToChat::translate(request, model, policy);
    if (!translated)
        return policy.refusal(translated.error());
    codec.keepNotes(policy);
    QJsonObject out = translated.value();
    if (inbound == Dialect::Anthropic && body.stream()) // usage only comes when asked for
        out.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    codec.m_body = compact(out);
    if (body.stream()) {
        if (inbound == Dialect::OpenAi)
            codec.m_toChat.emplace(codec.m_clientWantsUsage, QDateTime::currentSecsSinceEpoch());
        else
            codec.m_toMessages.emplace();
    }
    return codec;
}

void AttemptCodec::keepNotes(const TranslationPolicy &policy)
{
    m_notes = policy.notes();
    m_summary = policy.summary();
}

Result<AttemptCodec> AttemptCodec::translateResponses(AttemptCodec codec, const QJsonObject &request, bool stream,
                                                      const QString &model, TranslationPolicy &policy)
{
    const auto messages = ResponsesToMessages::translate(request, model, policy);
    if (!messages)
        return policy.refusal(messages.error());
    codec.keepNotes(policy);
    codec.m_body = compact(messages.value());
    codec.m_responsesRequest = request;
    if (stream)
        codec.m_toResponses.emplace(request, QDateTime::currentSecsSinceEpoch());
    return codec;
}

void AttemptCodec::readUsage(const QJsonObject &u, std::optional<double> inputTokens, Usage &usage) const
{
    usage = m_target == ProviderKind::Anthropic ? DialectMapping::usageFromAnthropic(u)
            : m_responsesApi                    ? responsesUsage(u)
                                                : OpenAiBody::usageFrom(u);
    if (m_target == ProviderKind::Anthropic && inputTokens) // count_tokens
        usage.promptTokens = qint64(*inputTokens);
}

Result<QByteArray> AttemptCodec::clientBody(const QByteArray &upstreamBody, Usage &usage) const
{
    // Same dialect: the answer goes out as it came and only its usage is read, without a tree.
    if (!translates() && JsonReader::check(upstreamBody) == JsonReader::Kind::Object) {
        const QList<std::optional<JsonSpan>> spans = JsonReader::members(upstreamBody, {"usage", "input_tokens"});
        const QJsonObject u = spans[0] ? QJsonDocument::fromJson(upstreamBody.mid(spans[0]->offset, spans[0]->length)).object()
                                       : QJsonObject();
        std::optional<double> inputTokens;
        if (spans[1])
            inputTokens = JsonReader::text(upstreamBody, *spans[1]).toByteArray().toDouble();
        readUsage(u, inputTokens, usage);
        return upstreamBody;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(upstreamBody, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error{QStringLiteral("the upstream's answer is not a JSON object")};
    const QJsonObject o = doc.object();
    const QJsonValue inputTokens = o.value(QLatin1String("input_tokens"));
    readUsage(o.value(QLatin1String("usage")).toObject(),
              inputTokens.isUndefined() ? std::nullopt : std::optional<double>(inputTokens.toDouble()), usage);
    if (!translates())
        return upstreamBody;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    Result<QJsonObject> translated = m_inbound == Dialect::OpenAi ? ResponseTranslator::toChatCompletion(o, now)
                                                                  : ResponseTranslator::toAnthropicMessage(o);
    if (translated && m_responsesApi)
        translated = ChatToResponses::toResponse(translated.value(), m_responsesRequest, now);
    if (!translated)
        return translated.error();
    return compact(translated.value());
}

QByteArray AttemptCodec::clientError(const QByteArray &upstreamBody, int status) const
{
    if (!translates())
        return upstreamBody;
    return compact(m_inbound == Dialect::OpenAi ? ResponseTranslator::toOpenAiError(upstreamBody, status)
                                                : ResponseTranslator::toAnthropicError(upstreamBody, status));
}

// The upstream's own end of answer, in its dialect: what makes a call complete even when the
// client hangs up before the upstream closes (Codex does, on response.completed).
void AttemptCodec::seeTerminal(const SseEvent &event)
{
    if (m_target == ProviderKind::Anthropic)
        m_streamComplete = m_streamComplete || event.event == "message_stop" || event.data.contains("\"type\":\"message_stop\"");
    else if (m_responsesApi)
        m_streamComplete = m_streamComplete || event.event == "response.completed" || event.event == "response.incomplete";
    else
        m_streamComplete = m_streamComplete || event.data.trimmed() == "[DONE]";
}

QByteArrayList AttemptCodec::clientEvents(const SseEvent &event, Usage &usage)
{
    seeTerminal(event);
    if (m_toChat) {
        const QByteArrayList out = m_toChat->feed(event);
        usage = m_toChat->usage();
        if (!m_toChat->error().isEmpty())
            m_streamError = m_toChat->error();
        return out;
    }
    if (m_toMessages) {
        const QByteArrayList out = m_toMessages->feed(event);
        usage = m_toMessages->usage();
        if (!m_toMessages->error().isEmpty())
            m_streamError = m_toMessages->error();
        return out;
    }
    if (m_toResponses) {
        const QByteArrayList out = m_toResponses->feed(event);
        usage = m_toResponses->usage();
        if (!m_toResponses->error().isEmpty())
            m_streamError = m_toResponses->error();
        return out;
    }
    if (m_responsesApi) {
        ++m_eventsPassed;
        if (event.event == "response.completed" || event.event == "response.incomplete")
            usage = responsesUsage(QJsonDocument::fromJson(event.data).object().value(QLatin1String("response")).toObject()
                                       .value(QLatin1String("usage")).toObject());
        if (event.event == "response.failed" || event.event == "error")
            m_streamError = QString::fromUtf8(event.data.left(300));
        return {event.raw};
    }
    if (m_target == ProviderKind::Anthropic) {
        readAnthropicUsage(event, usage);
        if (event.event == "error")
            m_streamError = QString::fromUtf8(event.data.left(300));
        return {event.raw};
    }
    // OpenAI passthrough: the usage-only chunk was asked for by Switchyard, not the client.
    if (event.data.contains("\"usage\":{") || event.data.contains("\"usage\": {")) {
        const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
        usage = OpenAiBody::usageFrom(chunk.value(QLatin1String("usage")).toObject());
        if (!m_clientWantsUsage && chunk.value(QLatin1String("choices")).toArray().isEmpty())
            return {};
    }
    return {event.raw};
}

QByteArrayList AttemptCodec::finishStream(Usage &usage)
{
    if (m_toChat) {
        const QByteArrayList out = m_toChat->finish();
        usage = m_toChat->usage();
        return out;
    }
    if (m_toMessages) {
        const QByteArrayList out = m_toMessages->finish();
        usage = m_toMessages->usage();
        return out;
    }
    if (m_toResponses) {
        const QByteArrayList out = m_toResponses->finish();
        usage = m_toResponses->usage();
        return out;
    }
    return {};
}

QString AttemptCodec::streamError() const
{
    return m_streamError;
}

QByteArray AttemptCodec::clientStreamError(const QString &message, const QString &code)
{
    if (m_toResponses)
        return m_toResponses->abort(code, message).join();
    if (!m_responsesApi)
        return streamErrorEvent(m_inbound, message, code);
    const QJsonObject error{{QStringLiteral("type"), QStringLiteral("error")},
                            {QStringLiteral("code"), code},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("param"), QJsonValue()},
                            {QStringLiteral("sequence_number"), m_eventsPassed++}};
    return DialectMapping::anthropicEvent(error); // the same framing: "event: error" and the data
}

QByteArray AttemptCodec::streamErrorEvent(Dialect dialect, const QString &message, const QString &code)
{
    if (dialect == Dialect::Anthropic)
        return "event: error\ndata: " + JsonErrors::anthropic(502, message) + "\n\n";
    return "data: " + JsonErrors::openAi(502, message, code) + "\n\n";
}

} // namespace Switchyard
