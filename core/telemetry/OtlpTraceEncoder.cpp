// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/telemetry/OtlpTraceEncoder.h"
#include <QCoreApplication>
#include <QCryptographicHash>
#include "core/json/JsonWriter.h"

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int SpanKindServer = 2;
constexpr int SpanKindClient = 3;
constexpr int StatusOk = 1;
constexpr int StatusError = 2;


// Span attributes as OTLP's KeyValue list; int64 values travel as strings in the JSON encoding.
class Attributes final
{
public:
    explicit Attributes(JsonWriter &json)
        : m_json(json)
    {
        m_json.key("attributes");
        m_json.beginArray();
    }
    ~Attributes() { m_json.endArray(); }
    void text(QByteArrayView key, const QString &value)
    {
        if (!value.isEmpty())
            add(key, "stringValue", value);
    }
    void integer(QByteArrayView key, std::optional<qint64> value)
    {
        if (value)
            add(key, "intValue", QString::number(*value));
    }
    void real(QByteArrayView key, std::optional<double> value)
    {
        if (value)
            add(key, "doubleValue", *value);
    }
    void flag(QByteArrayView key, bool value) { add(key, "boolValue", value); }

private:
    template <typename T>
    void add(QByteArrayView key, QByteArrayView type, const T &value)
    {
        m_json.beginObject();
        m_json.field("key", key);
        m_json.key("value");
        m_json.beginObject();
        m_json.field(type, value);
        m_json.endObject();
        m_json.endObject();
    }
    JsonWriter &m_json;
};

QString nanos(const QDateTime &start, qint64 offsetMs)
{
    return QString::number((start.toMSecsSinceEpoch() + offsetMs) * 1000000LL);
}

// The fields every span has, before its attributes.
void spanHead(JsonWriter &json, const CallRecord &r, int attempt, const QString &name, int kind, qint64 fromMs, qint64 toMs)
{
    json.beginObject();
    json.field("traceId", OtlpTraceEncoder::traceId(r.id));
    json.field("spanId", OtlpTraceEncoder::spanId(r.id, attempt));
    if (attempt >= 0)
        json.field("parentSpanId", OtlpTraceEncoder::spanId(r.id, -1));
    json.field("name", name);
    json.field("kind", kind);
    json.field("startTimeUnixNano", nanos(r.startedAt, fromMs));
    json.field("endTimeUnixNano", nanos(r.startedAt, toMs));
}

void spanTail(JsonWriter &json, bool ok, const QString &message)
{
    json.key("status");
    json.beginObject();
    json.field("code", ok ? StatusOk : StatusError);
    if (!ok)
        json.field("message", message.left(500));
    json.endObject();
    json.endObject();
}

void requestSpan(JsonWriter &json, const CallRecord &r, const TelemetryConfig &config)
{
    const QString operation = OtlpTraceEncoder::operationName(r.endpoint);
    const QString model = r.requestedModel.isEmpty() ? r.model : r.requestedModel;
    spanHead(json, r, -1, model.isEmpty() ? operation : operation + u' ' + model, SpanKindServer, 0, r.durationMs);
    {
        Attributes a(json);
        a.text("gen_ai.operation.name", operation);
        a.text("gen_ai.provider.name", r.provider);
        a.text("gen_ai.request.model", r.requestedModel);
        a.text("gen_ai.response.model", r.model);
        a.integer("gen_ai.usage.input_tokens", r.usage.promptTokens);
        a.integer("gen_ai.usage.output_tokens", r.usage.completionTokens);
        a.integer("http.response.status_code", r.status ? std::optional<qint64>(r.status) : std::nullopt);
        a.text("url.path", r.endpoint);
        a.text("error.type", r.ok ? QString() : errorClassName(r.errorClass));
        a.text("switchyard.request_id", r.id);
        a.text("switchyard.alias", r.alias);
        a.text("switchyard.error_class", r.ok ? QString() : errorClassName(r.errorClass));
        a.real("switchyard.cost_usd", r.costUsd);
        a.integer("switchyard.cached_input_tokens", r.usage.cachedPromptTokens);
        a.integer("switchyard.attempts", r.attempts.size());
        a.integer("switchyard.ttft_ms", r.ttftMs);
        a.flag("switchyard.stream", r.stream);
        a.text("switchyard.client", r.clientProcess.isEmpty() ? r.client : r.clientProcess);
        a.text("switchyard.project", r.project);
        a.text("switchyard.replay_of", r.replayOf);
        if (config.exportBodies) {
            a.text("switchyard.request_body", QString::fromUtf8(r.requestBody.left(OtlpTraceEncoder::MaxBodyChars)));
            a.text("switchyard.response_body", QString::fromUtf8(r.responseBody.left(OtlpTraceEncoder::MaxBodyChars)));
        }
    }
    spanTail(json, r.ok, r.errorMessage);
}

void attemptSpan(JsonWriter &json, const CallRecord &r, int n, const TelemetryConfig &config)
{
    const Attempt &at = r.attempts.at(n);
    const bool ok = at.errorClass == ErrorClass::None;
    const QString operation = OtlpTraceEncoder::operationName(r.endpoint);
    spanHead(json, r, n, operation + u' ' + at.model, SpanKindClient, at.startedAfterMs, at.startedAfterMs + at.durationMs);
    {
        Attributes a(json);
        a.text("gen_ai.operation.name", operation);
        a.text("gen_ai.provider.name", at.provider);
        a.text("gen_ai.request.model", at.model);
        a.integer("http.response.status_code", at.status ? std::optional<qint64>(at.status) : std::nullopt);
        a.text("error.type", ok ? QString() : errorClassName(at.errorClass));
        a.text("switchyard.error_class", ok ? QString() : errorClassName(at.errorClass));
        a.integer("switchyard.attempt", n + 1);
        a.integer("switchyard.translation_notes",
                  at.translationNotes.isEmpty() ? std::nullopt : std::optional<qint64>(at.translationNotes.size()));
        if (config.exportBodies)
            a.text("switchyard.upstream_request_body", QString::fromUtf8(at.requestBody.left(OtlpTraceEncoder::MaxBodyChars)));
    }
    spanTail(json, ok, at.message);
}

} // namespace

QString OtlpTraceEncoder::operationName(const QString &endpoint)
{
    if (endpoint.endsWith("/embeddings"_L1))
        return u"embeddings"_s;
    if (endpoint.endsWith("/chat/completions"_L1) || endpoint.endsWith("/messages"_L1) || endpoint.endsWith("/responses"_L1))
        return u"chat"_s;
    return endpoint;
}

QByteArray OtlpTraceEncoder::traceId(const QString &requestId)
{
    return QCryptographicHash::hash(requestId.toUtf8(), QCryptographicHash::Md5).toHex();
}

QByteArray OtlpTraceEncoder::spanId(const QString &requestId, int attempt)
{
    return QCryptographicHash::hash(QByteArray(requestId.toUtf8() + '/' + QByteArray::number(attempt)), QCryptographicHash::Sha1)
        .toHex()
        .left(16);
}

QByteArray OtlpTraceEncoder::encode(const QList<CallRecord> &records, const TelemetryConfig &config)
{
    JsonWriter json;
    json.beginObject();
    json.key("resourceSpans");
    json.beginArray();
    json.beginObject();
    json.key("resource");
    json.beginObject();
    {
        Attributes a(json);
        a.text("service.name", config.serviceName);
        a.text("service.version", QCoreApplication::applicationVersion());
    }
    json.endObject();
    json.key("scopeSpans");
    json.beginArray();
    json.beginObject();
    json.key("scope");
    json.beginObject();
    json.field("name", "switchyard");
    json.endObject();
    json.key("spans");
    json.beginArray();
    for (const CallRecord &r : records) {
        requestSpan(json, r, config);
        for (int n = 0; n < r.attempts.size(); ++n)
            attemptSpan(json, r, n, config);
    }
    json.endArray();
    json.endObject();
    json.endArray();
    json.endObject();
    json.endArray();
    json.endObject();
    return json.take();
}

} // namespace Switchyard
