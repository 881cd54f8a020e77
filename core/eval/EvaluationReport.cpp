// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/EvaluationReport.h"
#include <QJsonArray>
#include <algorithm>
#include <cmath>

namespace Switchyard {

namespace {

QJsonValue optional(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue optional(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

// Nearest-rank percentile of `values` (unsorted); nullopt when there are none.
std::optional<double> percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const qsizetype rank = qsizetype(std::ceil(p * double(values.size())));
    return double(values.at(qBound<qsizetype>(0, rank - 1, values.size() - 1)));
}

QJsonValue difference(const std::optional<double> &after, const std::optional<double> &before)
{
    return after && before ? QJsonValue(*after - *before) : QJsonValue();
}

// The figures of one side over the finished rows.
struct Side
{
    QList<qint64> latencies;
    QList<qint64> firstTokens;
    double costUsd = 0;
    int unpriced = 0;
    int failures = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;

    void add(const EvaluatedCall &call)
    {
        latencies << call.durationMs;
        if (call.ttftMs)
            firstTokens << *call.ttftMs;
        if (call.costUsd)
            costUsd += *call.costUsd;
        else if (call.ok)
            ++unpriced;
        failures += call.ok ? 0 : 1;
        promptTokens += call.promptTokens.value_or(0);
        completionTokens += call.completionTokens.value_or(0);
    }

    QJsonObject toJson() const
    {
        return {{QStringLiteral("cost_usd"), costUsd},
                {QStringLiteral("unpriced"), unpriced},
                {QStringLiteral("failures"), failures},
                {QStringLiteral("prompt_tokens"), promptTokens},
                {QStringLiteral("completion_tokens"), completionTokens},
                {QStringLiteral("latency_p50_ms"), optional(percentile(latencies, 0.5))},
                {QStringLiteral("latency_p95_ms"), optional(percentile(latencies, 0.95))},
                {QStringLiteral("ttft_p50_ms"), optional(percentile(firstTokens, 0.5))}};
    }
};

} // namespace

EvaluatedCall EvaluatedCall::of(const CallRecord &r)
{
    EvaluatedCall c;
    c.requestId = r.id;
    c.provider = r.provider;
    c.model = r.model;
    c.status = r.status;
    c.ok = r.ok;
    c.errorClass = r.ok ? QString() : errorClassName(r.errorClass);
    c.errorMessage = r.ok ? QString() : r.errorMessage;
    c.durationMs = r.durationMs;
    c.ttftMs = r.ttftMs;
    c.promptTokens = r.usage.promptTokens;
    c.completionTokens = r.usage.completionTokens;
    c.costUsd = r.costUsd;
    c.answer = Answer::of(r.responseBody);
    return c;
}

QJsonObject EvaluatedCall::toJson() const
{
    return {{QStringLiteral("request_id"), requestId},
            {QStringLiteral("provider"), provider},
            {QStringLiteral("model"), model},
            {QStringLiteral("status"), status},
            {QStringLiteral("outcome"), ok ? QStringLiteral("ok") : QStringLiteral("error")},
            {QStringLiteral("error_class"), errorClass.isEmpty() ? QJsonValue() : QJsonValue(errorClass)},
            {QStringLiteral("error_message"), errorMessage.isEmpty() ? QJsonValue() : QJsonValue(errorMessage)},
            {QStringLiteral("latency_ms"), durationMs},
            {QStringLiteral("ttft_ms"), optional(ttftMs)},
            {QStringLiteral("prompt_tokens"), optional(promptTokens)},
            {QStringLiteral("completion_tokens"), optional(completionTokens)},
            {QStringLiteral("cost_usd"), optional(costUsd)},
            {QStringLiteral("answer"), answer.toJson()}};
}

QJsonObject EvaluatedRequest::toJson() const
{
    QJsonObject o{{QStringLiteral("request_id"), original.requestId},
                  {QStringLiteral("endpoint"), endpoint},
                  {QStringLiteral("stream"), stream},
                  {QStringLiteral("original"), original.toJson()},
                  {QStringLiteral("candidate"), candidate ? QJsonValue(candidate->toJson()) : QJsonValue()}};
    if (candidate) {
        o.insert(QStringLiteral("answer_changed"), answerChanged());
        o.insert(QStringLiteral("latency_delta_ms"), candidate->durationMs - original.durationMs);
        o.insert(QStringLiteral("cost_delta_usd"), difference(candidate->costUsd, original.costUsd));
    }
    return o;
}

int EvaluationReport::done() const
{
    return int(std::count_if(rows.begin(), rows.end(), [](const EvaluatedRequest &r) { return r.candidate.has_value(); }));
}

QString EvaluationReport::stateName(State state)
{
    switch (state) {
    case State::Running: return QStringLiteral("running");
    case State::Done: return QStringLiteral("done");
    case State::Cancelled: return QStringLiteral("cancelled");
    case State::Failed: return QStringLiteral("failed");
    }
    return QString();
}

QJsonObject EvaluationReport::summary() const
{
    Side original, candidate;
    int changed = 0;
    // The cost delta compares like with like: only requests priced on both sides.
    int priced = 0;
    double pricedDelta = 0;
    for (const EvaluatedRequest &row : rows) {
        if (!row.candidate)
            continue;
        original.add(row.original);
        candidate.add(*row.candidate);
        changed += row.answerChanged() ? 1 : 0;
        if (row.original.costUsd && row.candidate->costUsd) {
            ++priced;
            pricedDelta += *row.candidate->costUsd - *row.original.costUsd;
        }
    }
    const QJsonObject before = original.toJson();
    const QJsonObject after = candidate.toJson();
    auto delta = [&](const char *key) {
        const QJsonValue a = after.value(QLatin1String(key)), b = before.value(QLatin1String(key));
        return a.isDouble() && b.isDouble() ? QJsonValue(a.toDouble() - b.toDouble()) : QJsonValue();
    };
    return {{QStringLiteral("requests"), done()},
            {QStringLiteral("original"), before},
            {QStringLiteral("candidate"), after},
            {QStringLiteral("cost_delta_usd"), priced > 0 ? QJsonValue(pricedDelta) : QJsonValue()},
            {QStringLiteral("cost_compared_requests"), priced},
            {QStringLiteral("latency_p50_delta_ms"), delta("latency_p50_ms")},
            {QStringLiteral("latency_p95_delta_ms"), delta("latency_p95_ms")},
            {QStringLiteral("ttft_p50_delta_ms"), delta("ttft_p50_ms")},
            {QStringLiteral("failures"), candidate.failures},
            {QStringLiteral("answers_changed"), changed}};
}

QJsonObject EvaluationReport::toJson(bool withResults) const
{
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("state"), stateName(state)},
                  {QStringLiteral("baseline"), baseline},
                  {QStringLiteral("alias"), alias},
                  {QStringLiteral("created"), createdAt.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("finished"), finishedAt.isValid() ? QJsonValue(finishedAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
                  {QStringLiteral("done"), done()},
                  {QStringLiteral("total"), int(rows.size())},
                  {QStringLiteral("estimate"), estimate.toJson()},
                  {QStringLiteral("summary"), summary()}};
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (withResults) {
        QJsonArray results;
        for (const EvaluatedRequest &row : rows)
            results.append(row.toJson());
        o.insert(QStringLiteral("results"), results);
    }
    return o;
}

} // namespace Switchyard
