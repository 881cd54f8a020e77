// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/telemetry/OtlpTraceEncoder.h"
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int SpanKindServer = 2;
constexpr int SpanKindClient = 3;
constexpr int StatusOk = 1;
constexpr int StatusError = 2;

// OTLP's AnyValue: int64 values travel as strings in the JSON encoding.
class Attributes final
{
public:
    void text(const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            add(key, QJsonObject{{u"stringValue"_s, value}});
    }
    void integer(const QString &key, std::optional<qint64> value)
    {
        if (value)
            add(key, QJsonObject{{u"intValue"_s, QString::number(*value)}});
    }
    void real(const QString &key, std::optional<double> value)
    {
        if (value)
            add(key, QJsonObject{{u"doubleValue"_s, *value}});
    }
    void flag(const QString &key, bool value) { add(key, QJsonObject{{u"boolValue"_s, value}}); }
    const QJsonArray &json() const { return m_list; }

private:
    void add(const QString &key, const QJsonObject &value) { m_list.append(QJsonObject{{u"key"_s, key}, {u"value"_s, value}}); }
    QJsonArray m_list;
};

QString nanos(const QDateTime &start, qint64 offsetMs)
{
    return QString::number((start.toMSecsSinceEpoch() + offsetMs) * 1000000LL);
}

QJsonObject status(bool ok, const QString &message)
{
    return ok ? QJsonObject{{u"code"_s, StatusOk}} : QJsonObject{{u"code"_s, StatusError}, {u"message"_s, message.left(500)}};
}

QJsonObject requestSpan(const CallRecord &r, const TelemetryConfig &config)
{
    const QString operation = OtlpTraceEncoder::operationName(r.endpoint);
    Attributes a;
    a.text(u"gen_ai.operation.name"_s, operation);
    a.text(u"gen_ai.provider.name"_s, r.provider);
    a.text(u"gen_ai.request.model"_s, r.requestedModel);
    a.text(u"gen_ai.response.model"_s, r.model);
    a.integer(u"gen_ai.usage.input_tokens"_s, r.usage.promptTokens);
    a.integer(u"gen_ai.usage.output_tokens"_s, r.usage.completionTokens);
    a.integer(u"http.response.status_code"_s, r.status ? std::optional<qint64>(r.status) : std::nullopt);
    a.text(u"url.path"_s, r.endpoint);
    a.text(u"error.type"_s, r.ok ? QString() : errorClassName(r.errorClass));
    a.text(u"switchyard.request_id"_s, r.id);
    a.text(u"switchyard.alias"_s, r.alias);
    a.text(u"switchyard.error_class"_s, r.ok ? QString() : errorClassName(r.errorClass));
    a.real(u"switchyard.cost_usd"_s, r.costUsd);
    a.integer(u"switchyard.cached_input_tokens"_s, r.usage.cachedPromptTokens);
    a.integer(u"switchyard.attempts"_s, r.attempts.size());
    a.integer(u"switchyard.ttft_ms"_s, r.ttftMs);
    a.flag(u"switchyard.stream"_s, r.stream);
    a.text(u"switchyard.client"_s, r.clientProcess.isEmpty() ? r.client : r.clientProcess);
    a.text(u"switchyard.project"_s, r.project);
    a.text(u"switchyard.replay_of"_s, r.replayOf);
    if (config.exportBodies) {
        a.text(u"switchyard.request_body"_s, QString::fromUtf8(r.requestBody.left(OtlpTraceEncoder::MaxBodyChars)));
        a.text(u"switchyard.response_body"_s, QString::fromUtf8(r.responseBody.left(OtlpTraceEncoder::MaxBodyChars)));
    }
    const QString model = r.requestedModel.isEmpty() ? r.model : r.requestedModel;
    return QJsonObject{{u"traceId"_s, QString::fromLatin1(OtlpTraceEncoder::traceId(r.id))},
                       {u"spanId"_s, QString::fromLatin1(OtlpTraceEncoder::spanId(r.id, -1))},
                       {u"name"_s, model.isEmpty() ? operation : operation + u' ' + model},
                       {u"kind"_s, SpanKindServer},
                       {u"startTimeUnixNano"_s, nanos(r.startedAt, 0)},
                       {u"endTimeUnixNano"_s, nanos(r.startedAt, r.durationMs)},
                       {u"attributes"_s, a.json()},
                       {u"status"_s, status(r.ok, r.errorMessage)}};
}

QJsonObject attemptSpan(const CallRecord &r, int n, const TelemetryConfig &config)
{
    const Attempt &at = r.attempts.at(n);
    const bool ok = at.errorClass == ErrorClass::None;
    Attributes a;
    a.text(u"gen_ai.operation.name"_s, OtlpTraceEncoder::operationName(r.endpoint));
    a.text(u"gen_ai.provider.name"_s, at.provider);
    a.text(u"gen_ai.request.model"_s, at.model);
    a.integer(u"http.response.status_code"_s, at.status ? std::optional<qint64>(at.status) : std::nullopt);
    a.text(u"error.type"_s, ok ? QString() : errorClassName(at.errorClass));
    a.text(u"switchyard.error_class"_s, ok ? QString() : errorClassName(at.errorClass));
    a.integer(u"switchyard.attempt"_s, n + 1);
    a.integer(u"switchyard.translation_notes"_s, at.translationNotes.isEmpty() ? std::nullopt
                                                                                : std::optional<qint64>(at.translationNotes.size()));
    if (config.exportBodies)
        a.text(u"switchyard.upstream_request_body"_s, QString::fromUtf8(at.requestBody.left(OtlpTraceEncoder::MaxBodyChars)));
    return QJsonObject{{u"traceId"_s, QString::fromLatin1(OtlpTraceEncoder::traceId(r.id))},
                       {u"spanId"_s, QString::fromLatin1(OtlpTraceEncoder::spanId(r.id, n))},
                       {u"parentSpanId"_s, QString::fromLatin1(OtlpTraceEncoder::spanId(r.id, -1))},
                       {u"name"_s, u"%1 %2"_s.arg(OtlpTraceEncoder::operationName(r.endpoint), at.model)},
                       {u"kind"_s, SpanKindClient},
                       {u"startTimeUnixNano"_s, nanos(r.startedAt, at.startedAfterMs)},
                       {u"endTimeUnixNano"_s, nanos(r.startedAt, at.startedAfterMs + at.durationMs)},
                       {u"attributes"_s, a.json()},
                       {u"status"_s, status(ok, at.message)}};
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
    QJsonArray spans;
    for (const CallRecord &r : records) {
        spans.append(requestSpan(r, config));
        for (int n = 0; n < r.attempts.size(); ++n)
            spans.append(attemptSpan(r, n, config));
    }
    const QJsonObject resource{
        {u"attributes"_s, QJsonArray{QJsonObject{{u"key"_s, u"service.name"_s},
                                                 {u"value"_s, QJsonObject{{u"stringValue"_s, config.serviceName}}}},
                                     QJsonObject{{u"key"_s, u"service.version"_s},
                                                 {u"value"_s, QJsonObject{{u"stringValue"_s, QCoreApplication::applicationVersion()}}}}}}};
    const QJsonObject scope{{u"name"_s, u"switchyard"_s}};
    const QJsonObject request{
        {u"resourceSpans"_s,
         QJsonArray{QJsonObject{{u"resource"_s, resource},
                                {u"scopeSpans"_s, QJsonArray{QJsonObject{{u"scope"_s, scope}, {u"spans"_s, spans}}}}}}}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

} // namespace Switchyard
