// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/RecordJson.h"
#include "core/log/LogCodec.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard::RecordJson {

namespace {

std::optional<qint64> optionalInt(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
}

std::optional<double> optionalDouble(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

QDateTime time(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

HttpHeaders headers(const QJsonObject &o)
{
    HttpHeaders h;
    for (auto it = o.begin(); it != o.end(); ++it)
        h.add(it.key().toLatin1(), it.value().toString().toUtf8());
    return h;
}

Attempt attemptFromJson(const QJsonObject &a)
{
    Attempt at;
    at.provider = a.value(QLatin1String("provider")).toString();
    at.model = a.value(QLatin1String("model")).toString();
    at.status = a.value(QLatin1String("status")).toInt();
    at.errorClass = errorClassFromString(a.value(QLatin1String("error_class")).toString());
    at.message = a.value(QLatin1String("message")).toString();
    at.startedAfterMs = a.value(QLatin1String("started_after_ms")).toInteger();
    at.durationMs = a.value(QLatin1String("duration_ms")).toInteger();
    at.requestBody = a.value(QLatin1String("request_body")).toString().toUtf8();
    const QJsonValue notes = a.value(QLatin1String("translation_notes"));
    if (notes.isArray())
        at.translationNotes = LogCodec::notesFromJson(QJsonDocument(notes.toArray()).toJson(QJsonDocument::Compact));
    return at;
}

} // namespace

CallRecord fromJson(const QJsonObject &o)
{
    CallRecord r;
    r.id = o.value(QLatin1String("id")).toString();
    r.startedAt = time(o.value(QLatin1String("started_at")));
    r.durationMs = o.value(QLatin1String("duration_ms")).toInteger();
    r.ttftMs = optionalInt(o.value(QLatin1String("ttft_ms")));
    r.endpoint = o.value(QLatin1String("endpoint")).toString();
    r.requestedModel = o.value(QLatin1String("requested_model")).toString();
    r.alias = o.value(QLatin1String("alias")).toString();
    r.provider = o.value(QLatin1String("provider")).toString();
    r.model = o.value(QLatin1String("model")).toString();
    r.status = o.value(QLatin1String("status")).toInt();
    r.ok = o.value(QLatin1String("outcome")).toString() == QLatin1String("ok");
    r.errorClass = errorClassFromString(o.value(QLatin1String("error_class")).toString());
    r.errorMessage = o.value(QLatin1String("error_message")).toString();
    r.usage.promptTokens = optionalInt(o.value(QLatin1String("prompt_tokens")));
    r.usage.completionTokens = optionalInt(o.value(QLatin1String("completion_tokens")));
    r.usage.cachedPromptTokens = optionalInt(o.value(QLatin1String("cached_tokens")));
    r.usage.cacheWriteTokens = optionalInt(o.value(QLatin1String("cache_write_tokens")));
    r.usage.cacheWrite1hTokens = optionalInt(o.value(QLatin1String("cache_write_1h_tokens")));
    r.usage.reasoningTokens = optionalInt(o.value(QLatin1String("reasoning_tokens")));
    r.costUsd = optionalDouble(o.value(QLatin1String("cost_usd")));
    r.sessionId = o.value(QLatin1String("session_id")).toString();
    r.subagent = o.value(QLatin1String("subagent")).toBool();
    r.client = o.value(QLatin1String("client")).toString();
    r.clientProcess = o.value(QLatin1String("client_process")).toString();
    r.clientPid = o.value(QLatin1String("client_pid")).toInteger();
    r.project = o.value(QLatin1String("project")).toString();
    r.stream = o.value(QLatin1String("stream")).toBool();
    r.replayOf = o.value(QLatin1String("replay_of")).toString();
    r.evaluationId = o.value(QLatin1String("evaluation")).toString();
    for (const QJsonValue &a : o.value(QLatin1String("attempts")).toArray())
        r.attempts.append(attemptFromJson(a.toObject()));
    // The detail's fields; absent from a list item.
    r.requestBody = o.value(QLatin1String("request_body")).toString().toUtf8();
    r.responseBody = o.value(QLatin1String("response_body")).toString().toUtf8();
    r.requestBodyTruncated = o.value(QLatin1String("request_body_truncated")).toBool();
    r.responseBodyTruncated = o.value(QLatin1String("response_body_truncated")).toBool();
    r.bodiesShed = o.contains(QLatin1String("body_stored")) && !o.value(QLatin1String("body_stored")).toBool();
    r.requestHeaders = headers(o.value(QLatin1String("request_headers")).toObject());
    r.responseHeaders = headers(o.value(QLatin1String("response_headers")).toObject());
    return r;
}

StatsRow statsRowFromJson(const QJsonObject &o)
{
    StatsRow row;
    row.bucketStartMs = time(o.value(QLatin1String("bucket_start"))).toMSecsSinceEpoch();
    row.group = o.value(QLatin1String("group")).toString();
    row.requests = o.value(QLatin1String("requests")).toInteger();
    row.errors = o.value(QLatin1String("errors")).toInteger();
    row.promptTokens = o.value(QLatin1String("prompt_tokens")).toInteger();
    row.completionTokens = o.value(QLatin1String("completion_tokens")).toInteger();
    row.cachedTokens = o.value(QLatin1String("cached_tokens")).toInteger();
    row.costUsd = o.value(QLatin1String("cost_usd")).toDouble();
    row.unpriced = o.value(QLatin1String("unpriced_requests")).toInteger();
    row.p50Ms = optionalDouble(o.value(QLatin1String("latency_p50_ms")));
    row.p95Ms = optionalDouble(o.value(QLatin1String("latency_p95_ms")));
    const QJsonArray histogram = o.value(QLatin1String("latency_histogram")).toArray();
    for (qsizetype i = 0; i < histogram.size() && i < qsizetype(row.latency.size()); ++i)
        row.latency[std::size_t(i)] = histogram.at(i).toInteger();
    return row;
}

} // namespace Switchyard::RecordJson
