// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/PostgresLogStore.h"
#include "core/log/BodyStore.h"
#include "core/log/LogCodec.h"
#include "core/log/LogDatabase.h"
#include "core/log/PostgresLocation.h"
#include "core/log/PostgresSchema.h"
#include "core/log/RollupWriter.h"
#include "core/sessions/SessionGrouper.h"
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace Switchyard {

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;

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
} // namespace

// A row made ready outside the transaction: its session, and its bodies stored as segments.
struct PostgresLogStore::Prepared
{
    const CallRecord *record = nullptr;
    std::optional<SessionGrouper::Assignment> session;
    QList<QByteArray> attemptRecipes;
    QByteArray requestRecipe;
    QByteArray responseRecipe;
    bool requestCut = false;
    bool responseCut = false;
};

// What lives as long as one connection.
struct PostgresLogStore::State
{
    QHash<QString, QSqlQuery> fullInserts; // by table: the insert of RowsPerStatement rows, prepared
    BodyStore bodyStore;
    RollupWriter rollups;
    RollupWriter evaluationRollups;
};

PostgresLogStore::PostgresLogStore(const QString &url)
    : m_url(url)
    , m_connectionName(QStringLiteral("log-writer-%1").arg(quintptr(this), 0, 16))
{
}

PostgresLogStore::~PostgresLogStore()
{
    close(false);
}

QString PostgresLogStore::name() const
{
    return PostgresLocation::redacted(m_url);
}

bool PostgresLogStore::open(QString *error)
{
    close(false);
    const Result<bool> opened = LogDatabase::open(m_url, m_connectionName, false);
    if (!opened) {
        *error = opened.error().message;
        LogDatabase::close(m_connectionName);
        return false;
    }
    Result<bool> migrated = true;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        migrated = LogDatabase::migrate(db);
        if (migrated)
            m_state = std::make_unique<State>();
    }
    if (!migrated) {
        *error = name() + QStringLiteral(": ") + migrated.error().message;
        LogDatabase::close(m_connectionName);
        return false;
    }
    m_state->bodyStore.use(std::make_unique<PostgresSegmentTable>(m_connectionName));
    m_open = true;
    return true;
}

bool PostgresLogStore::prepareRows(const QList<CallRecord> &batch, const std::function<bool()> &proceed,
                                   const LogConfig &config, QList<Prepared> *rows)
{
    const qint64 cap = qint64(config.maxBodyKib) * 1024;
    // Bodies past their retention are not stored: the next sweep could take their segments.
    const qint64 bodyCutoff = QDateTime::currentMSecsSinceEpoch() - qint64(config.bodyRetentionDays) * DayMs;
    QList<BodyStore::Body> bodies; // every row's: its attempts', then its request and response
    for (const CallRecord &r : batch) {
        if (!proceed())
            break;
        Prepared row;
        row.record = &r;
        // A batch written again keeps the sessions it was given the first time.
        if (auto known = m_pendingSessions.constFind(r.id); known != m_pendingSessions.constEnd()) {
            row.session = *known;
        } else {
            row.session = r.bodiesShed || !r.evaluationId.isEmpty() ? std::nullopt : m_sessions.assign(r);
            m_pendingSessions.insert(r.id, row.session);
        }
        const qint64 usedAt = r.startedAt.toMSecsSinceEpoch();
        const bool keep = !r.bodiesShed && usedAt >= bodyCutoff;
        for (const Attempt &a : r.attempts)
            bodies << BodyStore::Body{keep ? a.requestBody.left(cap) : QByteArray(), usedAt};
        bodies << BodyStore::Body{keep ? r.requestBody.left(cap) : QByteArray(), usedAt}
               << BodyStore::Body{keep ? r.responseBody.left(cap) : QByteArray(), usedAt};
        row.requestCut = r.requestBodyTruncated || r.requestBody.size() > cap;
        row.responseCut = r.responseBodyTruncated || r.responseBody.size() > cap;
        rows->append(std::move(row));
    }
    // All the batch's segments in a few statements.
    const std::optional<QList<QByteArray>> recipes = m_state->bodyStore.storeAll(bodies);
    if (!recipes) {
        m_error = m_state->bodyStore.error();
        return false;
    }
    qsizetype next = 0;
    for (Prepared &row : *rows) {
        row.attemptRecipes = recipes->mid(next, row.record->attempts.size());
        next += row.record->attempts.size();
        row.requestRecipe = recipes->at(next++);
        row.responseRecipe = recipes->at(next++);
    }
    return true;
}

namespace {
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

bool PostgresLogStore::insertMany(const QString &table, const QString &columns, const QList<QVariantList> &rows,
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
            auto it = m_state->fullInserts.find(table);
            if (it == m_state->fullInserts.end())
                it = m_state->fullInserts.emplace(table, db);
            statement = &*it;
        } else {
            statement = &once.emplace(db);
        }
        QSqlQuery &q = *statement;
        q.setForwardOnly(true);
        if (q.lastQuery().isEmpty()
            && !q.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES %3 %4")
                              .arg(table, columns, QStringList(count, tuple).join(QLatin1Char(',')), tail)))
            return failed(q.lastError());
        int i = 0;
        for (qsizetype row = from; row < from + count; ++row) {
            for (const QVariant &v : rows.at(row))
                q.bindValue(i++, v);
        }
        if (!q.exec())
            return failed(q.lastError());
        while (returned && q.next())
            *returned << q.value(0).toString();
        q.finish();
    }
    return true;
}

bool PostgresLogStore::insertRows(const QList<Prepared> &rows, QSet<QString> *fresh)
{
    // One statement per table for the whole batch: a round trip per row was most of the time.
    QList<QVariantList> requests;
    requests.reserve(rows.size());
    for (const Prepared &row : rows)
        requests << requestValues(*row.record, row.session);
    QStringList inserted;
    // A row already there is a batch whose commit was cut off, written again: skipped, with
    // its attempts, bodies and roll-ups.
    if (!insertMany(QStringLiteral("requests"), RequestColumns, requests, QStringLiteral("ON CONFLICT (id) DO NOTHING RETURNING id"),
                    &inserted))
        return false;
    *fresh = QSet<QString>(inserted.cbegin(), inserted.cend());
    QList<QVariantList> attempts, bodies;
    for (const Prepared &row : rows) {
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

bool PostgresLogStore::failed(const QSqlError &error)
{
    m_error = error.text();
    m_sqlState = error.nativeErrorCode();
    return false;
}

bool PostgresLogStore::transient() const
{
    // Deadlock, serialization failure, lock not available, the server shutting down, the
    // connection gone; or a segment another instance swept under this batch (BodyStore).
    // A failure in BodyStore's statements comes as text only, where QPSQL puts the state in
    // parentheses.
    static const QStringList states{QStringLiteral("40P01"), QStringLiteral("40001"), QStringLiteral("55P03"),
                                    QStringLiteral("57P01"), QStringLiteral("57P02"), QStringLiteral("57P03")};
    for (const QString &state : states) {
        if (m_sqlState == state || m_error.contains(QLatin1Char('(') + state + QLatin1Char(')')))
            return true;
    }
    return m_sqlState.startsWith(QLatin1String("08")) || m_error.contains(SegmentTable::ConflictMark);
}

bool PostgresLogStore::stillConnected()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery probe(db);
    if (db.isOpen() && probe.exec(QStringLiteral("SELECT 1")))
        return true;
    m_open = false; // the writer reconnects through open(), once nothing here uses the connection
    return false;
}

LogStore::Outcome PostgresLogStore::write(QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config)
{
    Outcome outcome;
    if (!m_open) {
        outcome.retry = true;
        outcome.error = name() + QStringLiteral(": not connected");
        return outcome;
    }
    m_error.clear();
    m_sqlState.clear();
    QList<Prepared> rows;
    rows.reserve(batch.size());
    bool ok = prepareRows(batch, proceed, config, &rows);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const bool began = ok && db.transaction();
    if (ok && !began)
        ok = failed(db.lastError());
    QSet<QString> fresh;
    ok = ok && insertRows(rows, &fresh);
    for (const Prepared &row : std::as_const(rows)) {
        if (ok && fresh.contains(row.record->id))
            (row.record->evaluationId.isEmpty() ? m_state->rollups : m_state->evaluationRollups).add(*row.record);
    }
    QSqlError rollupError;
    if (ok && !(m_state->rollups.write(db, QStringLiteral("rollup_hour"), &rollupError)
                && m_state->evaluationRollups.write(db, QStringLiteral("evaluation_rollup_hour"), &rollupError)))
        ok = failed(rollupError);
    if (ok && !m_state->bodyStore.writeTouches()) {
        ok = false;
        m_error = m_state->bodyStore.error();
    }
    if (ok && !db.commit())
        ok = failed(db.lastError());
    if (ok) {
        for (const Prepared &row : std::as_const(rows)) {
            outcome.written << row.record->id;
            m_pendingSessions.remove(row.record->id);
        }
        outcome.notReached = batch.size() - rows.size();
        for (qsizetype i = rows.size(); i < batch.size(); ++i)
            m_pendingSessions.remove(batch.at(i).id);
        batch.clear();
        return outcome;
    }
    outcome.error = m_error;
    if (began)
        db.rollback();
    m_state->rollups.clear();
    m_state->evaluationRollups.clear();
    m_state->bodyStore.forgetCache(); // a segment may have been swept by another instance
    // Lost connection, a deadlock, a segment swept meanwhile: all pass; write the batch again.
    // Anything else would fail again: the rows are given up rather than block the log.
    outcome.retry = !stillConnected() || transient();
    outcome.failed = !outcome.retry;
    if (outcome.failed) {
        for (const CallRecord &r : std::as_const(batch))
            m_pendingSessions.remove(r.id);
    }
    return outcome;
}

void PostgresLogStore::applyRetention(const LogConfig &config, qint64 nowMs)
{
    if (!m_open)
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    // One instance at a time: the others find the lock taken and leave it to that one.
    if (!q.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)").arg(PostgresSchema::RetentionLockKey)) || !q.next()
        || !q.value(0).toBool())
        return;
    const qint64 rowCutoff = nowMs - qint64(config.retentionDays) * DayMs;
    const qint64 bodyCutoff = std::max(rowCutoff, nowMs - qint64(config.bodyRetentionDays) * DayMs);
    const QString old = QStringLiteral("(SELECT id FROM requests WHERE started_at < %1)");
    const QStringList bodySteps{
        QStringLiteral("DELETE FROM bodies WHERE request_id IN ") + old.arg(bodyCutoff),
        QStringLiteral("UPDATE attempts SET request_body = NULL, request_recipe = NULL WHERE request_recipe IS NOT NULL"
                       " AND request_id IN ") + old.arg(bodyCutoff),
    };
    const QStringList rowSteps{
        QStringLiteral("DELETE FROM attempts WHERE request_id IN ") + old.arg(rowCutoff),
        QStringLiteral("DELETE FROM requests WHERE started_at < %1").arg(rowCutoff),
        QStringLiteral("DELETE FROM rollup_hour WHERE hour < %1").arg(rowCutoff / 3600000),
        QStringLiteral("DELETE FROM evaluation_rollup_hour WHERE hour < %1").arg(rowCutoff / 3600000),
    };
    for (const QStringList &steps : {bodySteps, rowSteps}) {
        db.transaction();
        bool ok = true;
        for (const QString &sql : steps)
            ok = ok && q.exec(sql);
        ok ? db.commit() : db.rollback();
        if (!ok)
            qWarning("switchyard: %s: retention: %s", qPrintable(name()), qPrintable(q.lastError().text()));
    }
    // In a statement of its own: a writer's touch either came first (the segment stays) or
    // finds it gone and writes its batch again (PostgresSegmentTable).
    m_state->bodyStore.sweep(bodyCutoff);
    q.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(PostgresSchema::RetentionLockKey));
}

void PostgresLogStore::close(bool)
{
    // The connection goes first: its prepared statements go with it, so the queries need not
    // deallocate them one by one (over a connection that may be dead, with a warning each).
    LogDatabase::close(m_connectionName);
    m_state.reset();
    m_open = false;
}

} // namespace Switchyard
