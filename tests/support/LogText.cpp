// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/LogText.h"
#include <QMap>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Switchyard::Test {

namespace {

QString optionalText(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : u"-"_s;
}

QString optionalText(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 17) : u"-"_s;
}

// One value per name, lower-cased, repeats joined: what the admin API gives back.
QString headersText(const HttpHeaders &headers)
{
    QMap<QString, QString> joined;
    for (const auto &[name, value] : headers) {
        const QString key = QString::fromLatin1(name).toLower();
        const QString v = QString::fromUtf8(value);
        joined[key] = joined.contains(key) ? joined[key] + u", "_s + v : v;
    }
    QStringList lines;
    for (auto it = joined.cbegin(); it != joined.cend(); ++it)
        lines << it.key() + u": "_s + it.value();
    return lines.join(u"; "_s);
}

// The fields a view shows, one per line, so that a difference reads as a diff.
} // namespace

QString describe(const CallRecord &r, bool bodies)
{
    QStringList lines{
        u"id "_s + r.id, u"started "_s + QString::number(r.startedAt.toMSecsSinceEpoch()),
        u"duration "_s + QString::number(r.durationMs), u"ttft "_s + optionalText(r.ttftMs), u"endpoint "_s + r.endpoint,
        u"requested "_s + r.requestedModel, u"alias "_s + r.alias, u"provider "_s + r.provider, u"model "_s + r.model,
        u"status "_s + QString::number(r.status), u"ok "_s + QString::number(r.ok), u"class "_s + errorClassName(r.errorClass),
        u"message "_s + r.errorMessage, u"prompt "_s + optionalText(r.usage.promptTokens),
        u"completion "_s + optionalText(r.usage.completionTokens), u"cached "_s + optionalText(r.usage.cachedPromptTokens),
        u"cache write "_s + optionalText(r.usage.cacheWriteTokens), u"cache write 1h "_s + optionalText(r.usage.cacheWrite1hTokens),
        u"reasoning "_s + optionalText(r.usage.reasoningTokens), u"cost "_s + optionalText(r.costUsd),
        u"stream "_s + QString::number(r.stream), u"client "_s + r.client, u"process "_s + r.clientProcess,
        u"pid "_s + QString::number(r.clientPid), u"project "_s + r.project, u"replay of "_s + r.replayOf,
        u"session "_s + r.sessionId, u"subagent "_s + QString::number(r.subagent), u"evaluation "_s + r.evaluationId};
    for (const Attempt &a : r.attempts) {
        lines << u"attempt %1 %2 %3 %4 %5 +%6 %7ms notes %8"_s.arg(a.provider, a.model)
                     .arg(a.status)
                     .arg(errorClassName(a.errorClass), a.message)
                     .arg(a.startedAfterMs)
                     .arg(a.durationMs)
                     .arg(a.translationNotes.size());
        if (bodies)
            lines << u"  sent "_s + QString::fromUtf8(a.requestBody);
    }
    if (bodies) {
        lines << u"request "_s + QString::fromUtf8(r.requestBody) << u"response "_s + QString::fromUtf8(r.responseBody)
              << u"cut %1 %2 shed %3"_s.arg(r.requestBodyTruncated).arg(r.responseBodyTruncated).arg(r.bodiesShed)
              << u"request headers "_s + headersText(r.requestHeaders) << u"response headers "_s + headersText(r.responseHeaders);
    }
    return lines.join(u'\n');
}

QString describe(const QList<CallRecord> &records, bool bodies)
{
    QStringList out;
    for (const CallRecord &r : records)
        out << describe(r, bodies);
    return out.join(u"\n--\n"_s);
}

QString describe(const QList<StatsRow> &rows)
{
    QStringList out;
    for (const StatsRow &s : rows) {
        QStringList latency;
        for (qint64 n : s.latency)
            latency << QString::number(n);
        out << u"%1 %2: %3 req %4 err %5/%6/%7 tok $%8 unpriced %9 p50 %10 p95 %11 [%12]"_s.arg(s.bucketStartMs)
                   .arg(s.group)
                   .arg(s.requests)
                   .arg(s.errors)
                   .arg(s.promptTokens)
                   .arg(s.completionTokens)
                   .arg(s.cachedTokens)
                   .arg(QString::number(s.costUsd, 'g', 12))
                   .arg(s.unpriced)
                   .arg(optionalText(s.p50Ms), optionalText(s.p95Ms), latency.join(u','));
    }
    return out.join(u'\n');
}

QString describe(const QList<SessionSummary> &sessions)
{
    QStringList out;
    for (const SessionSummary &s : sessions) {
        qint64 missed = 0;
        for (const SessionSummary::Missed &m : s.missed)
            missed += m.tokens;
        out << u"%1 %2 %3 %4 %5..%6 turns %7/%8 tokens %9 %10 %11 %12 %13 $%14 unpriced %15 missed %16"_s.arg(s.id, s.client, s.clientProcess, s.project)
                   .arg(s.firstMs)
                   .arg(s.lastMs)
                   .arg(s.turns)
                   .arg(s.subagentTurns)
                   .arg(s.promptTokens)
                   .arg(s.cachedTokens)
                   .arg(s.cacheWriteTokens)
                   .arg(s.completionTokens)
                   .arg(s.reasoningTokens)
                   .arg(QString::number(s.costUsd, 'g', 12))
                   .arg(s.unpriced)
                   .arg(missed);
    }
    return out.join(u'\n');
}

QString describe(const QList<BaselineInfo> &baselines)
{
    QStringList out;
    for (const BaselineInfo &b : baselines)
        out << u"%1 at %2 (%3): %4 requests, %5/%6 tokens, $%7"_s.arg(b.name)
                   .arg(b.createdAt.toMSecsSinceEpoch())
                   .arg(b.origin)
                   .arg(b.requests)
                   .arg(b.promptTokens)
                   .arg(b.completionTokens)
                   .arg(QString::number(b.costUsd, 'g', 12));
    return out.join(u'\n');
}

} // namespace Switchyard::Test
