// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/SqliteLogStore.h"
#include "core/log/BodyStore.h"
#include "core/log/LogCodec.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogRetention.h"
#include "core/log/RollupWriter.h"
#include "core/log/SqliteStatement.h"
#include "core/sessions/SessionGrouper.h"
#include <QSqlDatabase>
#include <limits>
#include <sqlite3.h>

namespace Switchyard {

// Straight on SQLite: see SqliteStatement for why not QSqlQuery.
struct SqliteLogStore::Statements
{
    SqliteStatement request;
    SqliteStatement attempt;
    SqliteStatement bodies;
    RollupWriter rollups;
    RollupWriter evaluationRollups; // evaluation calls, kept out of the live stats
    BodyStore bodyStore;
    LogRetention retention{bodyStore};
    SessionGrouper sessions; // here, not on the request path: it parses the request body
};

namespace {
// A null QString binds as SQL NULL; these columns are NOT NULL with '' for "none".
QString text(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("") : s;
}
} // namespace

SqliteLogStore::SqliteLogStore(const QString &path)
    : m_path(path)
    , m_connectionName(QStringLiteral("log-writer-%1").arg(quintptr(this), 0, 16))
{
}

SqliteLogStore::~SqliteLogStore()
{
    close(false);
}

qint64 SqliteLogStore::maxBatchRows() const
{
    return std::numeric_limits<qint64>::max(); // one WAL transaction holds a backlog well
}

bool SqliteLogStore::open(QString *error)
{
    if (const Result<bool> opened = LogDatabase::open(m_path, m_connectionName, false); !opened) {
        *error = opened.error().message;
    } else {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName);
        const Result<bool> migrated = LogDatabase::migrate(db);
        if (!migrated)
            *error = m_path + QStringLiteral(": ") + migrated.error().message;
        else if (prepareStatements(error))
            return true;
    }
    // Let go of a file that was refused: nothing may keep it open.
    m_statements.reset();
    LogDatabase::close(m_connectionName);
    return false;
}

bool SqliteLogStore::prepareStatements(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    sqlite3 *handle = SqliteStatement::handleOf(db);
    m_statements = std::make_unique<Statements>();
    const bool ok =
        m_statements->request.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO requests (id, started_at, duration_ms, ttft_ms, endpoint, requested_model, alias, provider,"
            " model, status, ok, error_class, error_message, prompt_tokens, completion_tokens, cached_tokens, cost_usd, stream,"
            " client, client_process, client_pid, project, replay_of, session_id, subagent, cache_verdict, cache_missed_tokens,"
            " cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, evaluation_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"))
        && m_statements->attempt.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO attempts (request_id, seq, provider, model, status, error_class, message, started_after_ms,"
            " duration_ms, request_recipe, translation_notes) VALUES (?,?,?,?,?,?,?,?,?,?,?)"))
        && m_statements->bodies.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO bodies (request_id, request_recipe, response_recipe, request_truncated, response_truncated,"
            " request_headers, response_headers, stored) VALUES (?,?,?,?,?,?,?,?)"))
        && m_statements->bodyStore.prepare(handle) && m_statements->rollups.prepare(handle)
        && m_statements->evaluationRollups.prepare(handle, QStringLiteral("evaluation_rollup_hour"));
    const Statements &st = *m_statements; // preparing stops at the first failure: only it has an error
    if (!ok)
        *error = QStringLiteral("%1: cannot prepare the log statements: %2")
                     .arg(m_path, st.request.error() + st.attempt.error() + st.bodies.error() + st.rollups.error()
                              + st.evaluationRollups.error() + st.bodyStore.error());
    return ok;
}

bool SqliteLogStore::insert(const CallRecord &r, const LogConfig &config)
{
    const qint64 cap = qint64(config.maxBodyKib) * 1024;
    // A writer shedding bodies is behind: it spends no time parsing them for sessions either.
    // An evaluation's calls replay recorded turns: they belong to no session.
    const std::optional<SessionGrouper::Assignment> session =
        r.bodiesShed || !r.evaluationId.isEmpty() ? std::nullopt : m_statements->sessions.assign(r);
    SqliteStatement &q = m_statements->request;
    q.bindAll(r.id, r.startedAt.toMSecsSinceEpoch(), r.durationMs, r.ttftMs, text(r.endpoint), r.requestedModel,
              text(r.alias), text(r.provider), text(r.model), r.status, r.ok ? 1 : 0, text(errorClassName(r.errorClass)),
              r.errorMessage, r.usage.promptTokens, r.usage.completionTokens, r.usage.cachedPromptTokens, r.costUsd,
              r.stream ? 1 : 0, text(r.client), text(r.clientProcess),
              r.clientPid ? std::optional<qint64>(r.clientPid) : std::nullopt, text(r.project),
              r.replayOf.isEmpty() ? QString() : r.replayOf, session ? session->sessionId : QString(),
              session && session->subagent ? 1 : 0,
              session ? CacheDoctor::verdictName(session->diagnosis.verdict) : QString(),
              session ? std::optional<qint64>(session->diagnosis.missedTokens) : std::nullopt,
              r.usage.cacheWriteTokens, r.usage.cacheWrite1hTokens, r.usage.reasoningTokens,
              r.evaluationId.isEmpty() ? QString() : r.evaluationId);
    if (!q.exec()) {
        m_error = q.error();
        return false;
    }
    BodyStore &bodyStore = m_statements->bodyStore;
    const qint64 usedAt = r.startedAt.toMSecsSinceEpoch();
    // A call that started before the bodies already dropped keeps its row only: its segments
    // could be swept by the next cut, which starts after it.
    const bool keepBodies = usedAt >= m_statements->retention.bodyCutoffMs();
    auto stored = [&](const QByteArray &body) -> std::optional<QByteArray> {
        if (r.bodiesShed)
            return QByteArray(); // binds as NULL: no recipe
        std::optional<QByteArray> recipe = bodyStore.store(keepBodies ? body.left(cap) : QByteArray(), usedAt);
        if (!recipe)
            m_error = bodyStore.error();
        return recipe;
    };
    SqliteStatement &aq = m_statements->attempt;
    for (int n = 0; n < r.attempts.size(); ++n) {
        const Attempt &a = r.attempts.at(n);
        const std::optional<QByteArray> recipe = stored(a.requestBody);
        if (!recipe)
            return false;
        aq.bindAll(r.id, n, a.provider, a.model, a.status, errorClassName(a.errorClass), a.message, qint64(a.startedAfterMs),
                   qint64(a.durationMs), *recipe, LogCodec::notesToJson(a.translationNotes));
        if (!aq.exec()) {
            m_error = aq.error();
            return false;
        }
    }
    const std::optional<QByteArray> requestRecipe = stored(r.requestBody);
    const std::optional<QByteArray> responseRecipe = requestRecipe ? stored(r.responseBody) : std::nullopt;
    if (!responseRecipe)
        return false;
    SqliteStatement &bq = m_statements->bodies;
    bq.bindAll(r.id, *requestRecipe, *responseRecipe,
               r.requestBodyTruncated || r.requestBody.size() > cap ? 1 : 0,
               r.responseBodyTruncated || r.responseBody.size() > cap ? 1 : 0, LogCodec::headersToJson(r.requestHeaders),
               LogCodec::headersToJson(r.responseHeaders), r.bodiesShed ? 0 : 1);
    if (!bq.exec()) {
        m_error = bq.error();
        return false;
    }
    return true;
}

LogStore::Outcome SqliteLogStore::write(QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config)
{
    Outcome outcome;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    m_error.clear();
    bool ok = db.transaction();
    for (const CallRecord &r : std::as_const(batch)) {
        if (!ok || !proceed()) // checked per row: one agent-sized row takes a few ms
            break;
        ok = insert(r, config);
        (r.evaluationId.isEmpty() ? m_statements->rollups : m_statements->evaluationRollups).add(r);
        outcome.written << r.id;
    }
    outcome.notReached = batch.size() - outcome.written.size();
    batch.clear(); // the bodies of a backlog go now, not after the commit
    ok = ok && m_statements->rollups.write() && m_statements->evaluationRollups.write()
         && m_statements->bodyStore.writeTouches() && db.commit();
    if (!ok) {
        outcome.error = m_error + m_statements->rollups.error() + m_statements->evaluationRollups.error();
        db.rollback();
        m_statements->rollups.clear();
        m_statements->evaluationRollups.clear();
        m_statements->bodyStore.forgetCache();
        outcome.failed = true;
    }
    return outcome;
}

void SqliteLogStore::afterCommit(const LogConfig &config)
{
    // Checked after every commit (three pragmas), so the cap holds while a load runs.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    m_statements->retention.enforceCap(db, config);
}

void SqliteLogStore::applyRetention(const LogConfig &config, qint64 nowMs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    m_statements->retention.apply(db, config, nowMs);
}

void SqliteLogStore::close(bool hurried)
{
    if (!m_statements)
        return;
    m_statements.reset();
    if (hurried) {
        // Too close to the deadline to copy the WAL into the file (it holds up to a full queue
        // of bodies): the next start replays it instead.
        if (sqlite3 *handle = SqliteStatement::handleOf(QSqlDatabase::database(m_connectionName)))
            sqlite3_db_config(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    LogDatabase::close(m_connectionName);
}

} // namespace Switchyard
