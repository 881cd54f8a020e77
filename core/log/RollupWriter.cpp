// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/RollupWriter.h"
#include "core/log/LogCodec.h"
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Switchyard {

namespace {
// A null QString binds as SQL NULL; these columns are NOT NULL with '' for "none".
QString text(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("") : s;
}
} // namespace

// The upsert adding a group's sums to `table` (the same text for SQLite and PostgreSQL).
QString upsertSql(const QString &table)
{
    QStringList names, values, updates;
    for (int i = 0; i < LatencyHistogram::BucketCount; ++i) {
        names << QStringLiteral("h%1").arg(i);
        values << QStringLiteral("?");
        updates << QStringLiteral("h%1 = %2.h%1 + excluded.h%1").arg(i).arg(table);
    }
    QStringList sums;
    for (const char *column : {"requests", "errors", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd", "unpriced"})
        sums << QStringLiteral("%1 = %2.%1 + excluded.%1").arg(QLatin1String(column), table);
    return QStringLiteral("INSERT INTO %4 (hour, alias, provider, model, client, project, requests, errors, prompt_tokens,"
                          " completion_tokens, cached_tokens, cost_usd, unpriced, %1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,%2)"
                          " ON CONFLICT (hour, alias, provider, model, client, project) DO UPDATE SET %5, %3")
        .arg(names.join(QStringLiteral(", ")), values.join(QLatin1Char(',')), updates.join(QStringLiteral(", ")), table,
             sums.join(QStringLiteral(", ")));
}

bool RollupWriter::prepare(sqlite3 *db, const QString &table)
{
    return m_statement.prepare(db, upsertSql(table));
}

void RollupWriter::add(const CallRecord &r)
{
    const qint64 hour = r.startedAt.toMSecsSinceEpoch() / 3600000;
    const QString client = LogCodec::clientName(r);
    const QString key = QStringLiteral("%1\x1f%2\x1f%3\x1f%4\x1f%5\x1f%6").arg(hour).arg(r.alias, r.provider, r.model, client, r.project);
    auto it = m_deltas.find(key);
    if (it == m_deltas.end())
        it = m_deltas.insert(key, Delta{hour, text(r.alias), text(r.provider), text(r.model), text(client), text(r.project)});
    Delta &d = *it;
    ++d.requests;
    d.errors += r.ok ? 0 : 1;
    d.promptTokens += r.usage.promptTokens.value_or(0);
    d.completionTokens += r.usage.completionTokens.value_or(0);
    d.cachedTokens += r.usage.cachedPromptTokens.value_or(0);
    if (r.costUsd)
        d.costUsd += *r.costUsd;
    else if (r.ok)
        ++d.unpriced;
    ++d.latency[LatencyHistogram::bucketFor(r.durationMs)];
}

bool RollupWriter::write()
{
    for (const Delta &d : std::as_const(m_deltas)) {
        m_statement.bindAll(d.hour, d.alias, d.provider, d.model, d.client, d.project, d.requests, d.errors, d.promptTokens,
                            d.completionTokens, d.cachedTokens, d.costUsd, d.unpriced);
        int i = 13; // the histogram's buckets follow the 13 values above
        for (qint64 count : d.latency)
            m_statement.bind(i++, count);
        if (!m_statement.exec())
            return false;
    }
    m_deltas.clear();
    return true;
}

bool RollupWriter::write(const QSqlDatabase &db, const QString &table, QSqlError *error)
{
    QSqlQuery q(db);
    if (!m_deltas.isEmpty() && !q.prepare(upsertSql(table))) {
        *error = q.lastError();
        return false;
    }
    for (const Delta &d : std::as_const(m_deltas)) {
        const QVariantList values{d.hour, d.alias, d.provider, d.model, d.client, d.project, d.requests, d.errors,
                                  d.promptTokens, d.completionTokens, d.cachedTokens, d.costUsd, d.unpriced};
        int i = 0;
        for (const QVariant &v : values)
            q.bindValue(i++, v);
        for (qint64 count : d.latency)
            q.bindValue(i++, count);
        if (!q.exec()) {
            *error = q.lastError();
            return false;
        }
    }
    m_deltas.clear();
    return true;
}

} // namespace Switchyard
