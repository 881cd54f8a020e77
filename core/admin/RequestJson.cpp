// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/RequestJson.h"
#include "core/log/LogCodec.h"
#include <QJsonArray>

namespace Switchyard::RequestJson {

namespace {

QJsonValue optional(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue optional(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue text(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject headers(const HttpHeaders &h)
{
    QJsonObject o;
    for (const auto &[name, value] : h) {
        const QString key = QString::fromLatin1(name).toLower();
        const QString v = QString::fromUtf8(value);
        o.insert(key, o.contains(key) ? o.value(key).toString() + QStringLiteral(", ") + v : v);
    }
    return o;
}

// The durations behind p50/p95 (LatencyHistogram's buckets), so groups merge exactly.
QJsonArray histogram(const LatencyHistogram::Counts &counts)
{
    QJsonArray out;
    for (qint64 n : counts)
        out.append(n);
    return out;
}

} // namespace

QString timestamp(const QDateTime &utc)
{
    return utc.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject summary(const CallRecord &r)
{
    QJsonArray attempts;
    for (const Attempt &a : r.attempts) {
        attempts.append(QJsonObject{{QStringLiteral("provider"), a.provider},
                                    {QStringLiteral("model"), a.model},
                                    {QStringLiteral("status"), a.status ? QJsonValue(a.status) : QJsonValue()},
                                    {QStringLiteral("error_class"), text(errorClassName(a.errorClass))},
                                    {QStringLiteral("duration_ms"), a.durationMs},
                                    {QStringLiteral("started_after_ms"), a.startedAfterMs},
                                    {QStringLiteral("message"), text(a.message)},
                                    {QStringLiteral("translation_notes"), LogCodec::notesJson(a.translationNotes)}});
    }
    return QJsonObject{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("started_at"), timestamp(r.startedAt)},
        {QStringLiteral("duration_ms"), r.durationMs},
        {QStringLiteral("ttft_ms"), optional(r.ttftMs)},
        {QStringLiteral("endpoint"), r.endpoint},
        {QStringLiteral("requested_model"), text(r.requestedModel)},
        {QStringLiteral("alias"), text(r.alias)},
        {QStringLiteral("provider"), text(r.provider)},
        {QStringLiteral("model"), text(r.model)},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("outcome"), r.ok ? QStringLiteral("ok") : QStringLiteral("error")},
        {QStringLiteral("error_class"), text(errorClassName(r.errorClass))},
        {QStringLiteral("error_message"), text(r.errorMessage)},
        {QStringLiteral("prompt_tokens"), optional(r.usage.promptTokens)},
        {QStringLiteral("completion_tokens"), optional(r.usage.completionTokens)},
        {QStringLiteral("cached_tokens"), optional(r.usage.cachedPromptTokens)},
        {QStringLiteral("cache_write_tokens"), optional(r.usage.cacheWriteTokens)},
        {QStringLiteral("cache_write_1h_tokens"), optional(r.usage.cacheWrite1hTokens)},
        {QStringLiteral("reasoning_tokens"), optional(r.usage.reasoningTokens)},
        {QStringLiteral("cost_usd"), optional(r.costUsd)},
        {QStringLiteral("session_id"), text(r.sessionId)},
        {QStringLiteral("subagent"), r.subagent},
        {QStringLiteral("client"), text(r.client)},
        {QStringLiteral("client_process"), text(r.clientProcess)},
        {QStringLiteral("client_pid"), r.clientPid ? QJsonValue(r.clientPid) : QJsonValue()},
        {QStringLiteral("project"), text(r.project)},
        {QStringLiteral("stream"), r.stream},
        {QStringLiteral("replay_of"), text(r.replayOf)},
        {QStringLiteral("evaluation"), text(r.evaluationId)},
        {QStringLiteral("attempts"), attempts},
    };
}

QJsonObject detail(const CallRecord &r)
{
    QJsonObject o = summary(r);
    QJsonArray attempts = o.value(QLatin1String("attempts")).toArray();
    for (int i = 0; i < attempts.size() && i < r.attempts.size(); ++i) {
        QJsonObject a = attempts.at(i).toObject();
        a.insert(QStringLiteral("request_body"), QString::fromUtf8(r.attempts.at(i).requestBody));
        attempts[i] = a;
    }
    o.insert(QStringLiteral("attempts"), attempts);
    o.insert(QStringLiteral("request_body"), QString::fromUtf8(r.requestBody));
    o.insert(QStringLiteral("response_body"), QString::fromUtf8(r.responseBody));
    o.insert(QStringLiteral("request_body_truncated"), r.requestBodyTruncated);
    o.insert(QStringLiteral("response_body_truncated"), r.responseBodyTruncated);
    // The log writer was behind when the call finished: the row was kept, its bodies were not.
    o.insert(QStringLiteral("body_stored"), !r.bodiesShed);
    if (r.bodiesShed)
        o.insert(QStringLiteral("body_note"), QStringLiteral("body not stored: the log writer was behind"));
    o.insert(QStringLiteral("request_headers"), headers(r.requestHeaders));
    o.insert(QStringLiteral("response_headers"), headers(r.responseHeaders));
    return o;
}

QJsonObject statsRow(const StatsRow &row)
{
    return QJsonObject{
        {QStringLiteral("bucket_start"), timestamp(QDateTime::fromMSecsSinceEpoch(row.bucketStartMs, Qt::UTC))},
        {QStringLiteral("group"), row.group},
        {QStringLiteral("requests"), row.requests},
        {QStringLiteral("errors"), row.errors},
        {QStringLiteral("prompt_tokens"), row.promptTokens},
        {QStringLiteral("completion_tokens"), row.completionTokens},
        {QStringLiteral("cached_tokens"), row.cachedTokens},
        {QStringLiteral("cost_usd"), row.costUsd},
        {QStringLiteral("unpriced_requests"), row.unpriced},
        {QStringLiteral("latency_p50_ms"), optional(row.p50Ms)},
        {QStringLiteral("latency_p95_ms"), optional(row.p95Ms)},
        {QStringLiteral("latency_histogram"), histogram(row.latency)},
    };
}

} // namespace Switchyard::RequestJson
