// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/PostgresLogStore.h"
#include "core/log/BodyStore.h"
#include "core/log/LogDatabase.h"
#include "core/log/PostgresLocation.h"
#include "core/log/PostgresRetention.h"
#include "core/log/PostgresRows.h"
#include "core/log/RollupWriter.h"
#include "core/sessions/SessionGrouper.h"
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace Switchyard {

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;
} // namespace

// What lives as long as one connection.
struct PostgresLogStore::State
{
    explicit State(const QString &connectionName)
        : rows(connectionName)
    {
    }
    PostgresRows rows;
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
            m_state = std::make_unique<State>(m_connectionName);
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
                                   const LogConfig &config, QList<PostgresRows::Row> *rows)
{
    const qint64 cap = qint64(config.maxBodyKib) * 1024;
    // Bodies past their retention are not stored: the next sweep could take their segments.
    const qint64 bodyCutoff = QDateTime::currentMSecsSinceEpoch() - qint64(config.bodyRetentionDays) * DayMs;
    QList<BodyStore::Body> bodies; // every row's: its attempts', then its request and response
    for (const CallRecord &r : batch) {
        if (!proceed())
            break;
        PostgresRows::Row row;
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
    for (PostgresRows::Row &row : *rows) {
        row.attemptRecipes = recipes->mid(next, row.record->attempts.size());
        next += row.record->attempts.size();
        row.requestRecipe = recipes->at(next++);
        row.responseRecipe = recipes->at(next++);
    }
    return true;
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
    if (LogDatabase::stillConnected(m_connectionName))
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
    QList<PostgresRows::Row> rows;
    rows.reserve(batch.size());
    bool ok = prepareRows(batch, proceed, config, &rows);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const bool began = ok && db.transaction();
    if (ok && !began)
        ok = failed(db.lastError());
    QSet<QString> fresh;
    if (ok && !m_state->rows.insert(rows, &fresh))
        ok = failed(m_state->rows.error());
    for (const PostgresRows::Row &row : std::as_const(rows)) {
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
        for (const PostgresRows::Row &row : std::as_const(rows)) {
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
    if (m_open)
        PostgresRetention::apply(m_connectionName, config, nowMs, m_state->bodyStore);
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
