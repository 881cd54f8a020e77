// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/SessionQueries.h"
#include "core/log/LogRemote.h"
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

namespace Switchyard {

Result<QList<SessionSummary>> SessionQueries::list(LogQueries &queries, const SessionFilter &filter)
{
    if (queries.remote())
        return queries.remote()->sessions(filter);
    if (const Result<bool> open = queries.ensureOpen(); !open)
        return open.error();
    QString active = QStringLiteral("SELECT DISTINCT session_id FROM requests WHERE session_id IS NOT NULL AND started_at >= ?");
    QVariantList values{filter.sinceMs};
    if (!filter.client.isEmpty()) {
        active += QStringLiteral(" AND (client = ? OR client_process = ?)");
        values << filter.client << filter.client;
    }
    if (!filter.project.isEmpty()) {
        active += QStringLiteral(" AND project = ?");
        values << filter.project;
    }
    // One row per session and model: what a miss lost depends on the model's price.
    QSqlQuery q(QSqlDatabase::database(queries.connectionName()));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT session_id, provider, model, MAX(client), MAX(client_process), MAX(project), MIN(started_at), MAX(started_at),"
        " COUNT(*), SUM(subagent), SUM(prompt_tokens), SUM(cached_tokens),"
        " SUM(COALESCE(cache_write_tokens, 0) + COALESCE(cache_write_1h_tokens, 0)), SUM(completion_tokens),"
        " SUM(reasoning_tokens), SUM(cost_usd), SUM(CASE WHEN ok = 1 AND cost_usd IS NULL THEN 1 ELSE 0 END), SUM(cache_missed_tokens)"
        " FROM requests WHERE session_id IN (%1) GROUP BY session_id, provider, model").arg(active));
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec())
        return Error{q.lastError().text()};
    QList<SessionSummary> sessions;
    QHash<QString, qsizetype> indexOf;
    while (q.next()) {
        const QString id = q.value(0).toString();
        qsizetype index = indexOf.value(id, -1);
        if (index < 0) {
            index = sessions.size();
            indexOf.insert(id, index);
            SessionSummary fresh;
            fresh.id = id;
            fresh.firstMs = q.value(6).toLongLong();
            sessions.append(fresh);
        }
        SessionSummary &s = sessions[index];
        s.client = q.value(3).toString();
        s.clientProcess = q.value(4).toString();
        s.project = q.value(5).toString();
        s.firstMs = std::min(s.firstMs, q.value(6).toLongLong());
        s.lastMs = std::max(s.lastMs, q.value(7).toLongLong());
        s.turns += q.value(8).toLongLong();
        s.subagentTurns += q.value(9).toLongLong();
        s.promptTokens += q.value(10).toLongLong();
        s.cachedTokens += q.value(11).toLongLong();
        s.cacheWriteTokens += q.value(12).toLongLong();
        s.completionTokens += q.value(13).toLongLong();
        s.reasoningTokens += q.value(14).toLongLong();
        s.costUsd += q.value(15).toDouble();
        s.unpriced += q.value(16).toLongLong();
        if (const qint64 missed = q.value(17).toLongLong(); missed > 0)
            s.missed.append({q.value(1).toString(), q.value(2).toString(), missed});
    }
    std::sort(sessions.begin(), sessions.end(), [](const SessionSummary &a, const SessionSummary &b) {
        return a.lastMs != b.lastMs ? a.lastMs > b.lastMs : a.id < b.id;
    });
    if (sessions.size() > filter.limit)
        sessions.resize(std::max(0, filter.limit));
    return sessions;
}

Result<qint64> SessionQueries::forEachCall(LogQueries &queries, const QString &sessionId, int maxCalls,
                                          const std::function<void(const CallRecord &)> &visit)
{
    if (queries.remote())
        return queries.remote()->forEachSessionCall(sessionId, maxCalls, visit);
    if (const Result<bool> open = queries.ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(queries.connectionName()));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id FROM requests WHERE session_id = ? ORDER BY started_at DESC, id DESC"));
    q.bindValue(0, sessionId);
    if (!q.exec())
        return Error{q.lastError().text()};
    QStringList ids; // newest first
    qint64 total = 0;
    while (q.next()) {
        if (ids.size() < maxCalls)
            ids << q.value(0).toString();
        ++total;
    }
    q.finish();
    for (auto it = ids.crbegin(); it != ids.crend(); ++it) {
        const Result<CallRecord> call = queries.request(*it);
        if (!call)
            return call.error();
        visit(call.value());
    }
    return total;
}

} // namespace Switchyard
