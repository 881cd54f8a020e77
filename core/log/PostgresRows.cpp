// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/PostgresRows.h"
#include "core/log/LogCodec.h"
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

namespace Switchyard {

namespace {
// PostgreSQL's text refuses NUL characters (SQLite keeps them); a null QString stays NULL.
QVariant pgText(const QString &s)
{
    if (s.isNull())
        return QVariant(QMetaType::fromType<QString>());
    return s.contains(QChar(0)) ? QString(s).remove(QChar(0)) : s;
}
// NOT NULL text columns take '' for "none".
QVariant pgLabel(const QString &s)
{
    return s.isEmpty() ? QVariant(QStringLiteral("")) : pgText(s);
}
QVariant optionalInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}
QVariant blob(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

const QString RequestColumns = QStringLiteral(
    "id, started_at, duration_ms, ttft_ms, endpoint, requested_model, alias, provider, model, status, ok, error_class,"
    " error_message, prompt_tokens, completion_tokens, cached_tokens, cost_usd, stream, client, client_process, client_pid,"
    " project, replay_of, session_id, subagent, cache_verdict, cache_missed_tokens, cache_write_tokens, cache_write_1h_tokens,"
    " reasoning_tokens, evaluation_id");
const QString AttemptColumns = QStringLiteral(
    "request_id, seq, provider, model, status, error_class, message, started_after_ms, duration_ms, request_recipe, translation_notes");
const QString BodyColumns = QStringLiteral(
    "request_id, request_recipe, response_recipe, request_truncated, response_truncated, request_headers, response_headers, stored");
// PostgreSQL takes at most 65,535 values a statement; statements of a hundred rows or so were
// the fastest here (a thousand took three times as long to plan and run).
constexpr int MaxValues = 60000;
constexpr int RowsPerStatement = 100;

QVariantList requestValues(const CallRecord &r, const std::optional<SessionGrouper::Assignment> &session)
{
    return {r.id, r.startedAt.toMSecsSinceEpoch(), r.durationMs, optionalInt(r.ttftMs), pgLabel(r.endpoint),
            pgText(r.requestedModel), pgLabel(r.alias), pgLabel(r.provider), pgLabel(r.model), r.status, r.ok ? 1 : 0,
            pgLabel(errorClassName(r.errorClass)), pgText(r.errorMessage), optionalInt(r.usage.promptTokens),
            optionalInt(r.usage.completionTokens), optionalInt(r.usage.cachedPromptTokens),
            r.costUsd ? QVariant(*r.costUsd) : QVariant(QMetaType::fromType<double>()), r.stream ? 1 : 0,
            pgLabel(r.client), pgLabel(r.clientProcess), optionalInt(r.clientPid ? std::optional<qint64>(r.clientPid) : std::nullopt),
            pgLabel(r.project), pgText(r.replayOf.isEmpty() ? QString() : r.replayOf),
            pgText(session ? session->sessionId : QString()), session && session->subagent ? 1 : 0,
            pgText(session ? CacheDoctor::verdictName(session->diagnosis.verdict) : QString()),
            optionalInt(session ? std::optional<qint64>(session->diagnosis.missedTokens) : std::nullopt),
            optionalInt(r.usage.cacheWriteTokens), optionalInt(r.usage.cacheWrite1hTokens),
            optionalInt(r.usage.reasoningTokens), pgText(r.evaluationId.isEmpty() ? QString() : r.evaluationId)};
}
} // namespace

PostgresRows::PostgresRows(const QString &connectionName)
    : m_connectionName(connectionName)
{
}

bool PostgresRows::fail(const QSqlError &error)
{
    m_error = error;
    return false;
}

bool PostgresRows::insertMany(const QString &table, const QString &columns, const QList<QVariantList> &rows,
                              const QString &tail, QStringList *returned)
{
    if (rows.isEmpty())
        return true;
    const int width = int(rows.constFirst().size());
    const int perStatement = std::min(RowsPerStatement, MaxValues / width);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QString tuple = QLatin1Char('(') + QStringList(width, QStringLiteral("?")).join(QLatin1Char(',')) + QLatin1Char(')');
    for (qsizetype from = 0; from < rows.size(); from += perStatement) {
        const qsizetype count = std::min<qsizetype>(perStatement, rows.size() - from);
        // A full statement is prepared once per connection; the last of a batch, shorter, each time.
        std::optional<QSqlQuery> once;
        QSqlQuery *statement = nullptr;
        if (count == perStatement) {
            auto it = m_fullInserts.find(table);
            if (it == m_fullInserts.end())
                it = m_fullInserts.emplace(table, db);
            statement = &*it;
        } else {
            statement = &once.emplace(db);
        }
        QSqlQuery &q = *statement;
        q.setForwardOnly(true);
        if (q.lastQuery().isEmpty()
            && !q.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES %3 %4")
                              .arg(table, columns, QStringList(count, tuple).join(QLatin1Char(',')), tail)))
            return fail(q.lastError());
        int i = 0;
        for (qsizetype row = from; row < from + count; ++row) {
            for (const QVariant &v : rows.at(row))
                q.bindValue(i++, v);
        }
        if (!q.exec())
            return fail(q.lastError());
        while (returned && q.next())
            *returned << q.value(0).toString();
        q.finish();
    }
    return true;
}

bool PostgresRows::insert(const QList<Row> &rows, QSet<QString> *fresh)
{
    // One statement per table for the whole batch: a round trip per row was most of the time.
    QList<QVariantList> requests;
    requests.reserve(rows.size());
    for (const Row &row : rows)
        requests << requestValues(*row.record, row.session);
    QStringList inserted;
    // A row already there is a batch whose commit was cut off, written again: skipped, with
    // its attempts, bodies and roll-ups.
    if (!insertMany(QStringLiteral("requests"), RequestColumns, requests, QStringLiteral("ON CONFLICT (id) DO NOTHING RETURNING id"),
                    &inserted))
        return false;
    *fresh = QSet<QString>(inserted.cbegin(), inserted.cend());
    QList<QVariantList> attempts, bodies;
    for (const Row &row : rows) {
        const CallRecord &r = *row.record;
        if (!fresh->contains(r.id))
            continue;
        for (int n = 0; n < r.attempts.size(); ++n) {
            const Attempt &a = r.attempts.at(n);
            attempts << QVariantList{r.id, n, pgText(a.provider), pgText(a.model), a.status, pgText(errorClassName(a.errorClass)),
                                     pgText(a.message), qint64(a.startedAfterMs), qint64(a.durationMs), blob(row.attemptRecipes.at(n)),
                                     pgText(QString::fromUtf8(LogCodec::notesToJson(a.translationNotes)))};
        }
        bodies << QVariantList{r.id, blob(row.requestRecipe), blob(row.responseRecipe), row.requestCut ? 1 : 0,
                               row.responseCut ? 1 : 0, pgText(QString::fromUtf8(LogCodec::headersToJson(r.requestHeaders))),
                               pgText(QString::fromUtf8(LogCodec::headersToJson(r.responseHeaders))), r.bodiesShed ? 0 : 1};
    }
    const QString skip = QStringLiteral("ON CONFLICT DO NOTHING");
    return insertMany(QStringLiteral("attempts"), AttemptColumns, attempts, skip)
        && insertMany(QStringLiteral("bodies"), BodyColumns, bodies, skip);
}

} // namespace Switchyard
