// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogWriter.h"
#include "core/log/BodyStore.h"
#include "core/log/LatencyHistogram.h"
#include "core/log/LogCodec.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogRetention.h"
#include "core/log/SqliteStatement.h"
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Switchyard {

// Straight on SQLite: see SqliteStatement for why not QSqlQuery.
struct LogWriter::Statements
{
    SqliteStatement request;
    SqliteStatement attempt;
    SqliteStatement bodies;
    SqliteStatement rollup;
    BodyStore bodyStore;
    LogRetention retention{bodyStore};
};

struct LogWriter::RollupDelta
{
    qint64 hour = 0;
    QString alias, provider, model, client, project;
    qint64 requests = 0, errors = 0, promptTokens = 0, completionTokens = 0, cachedTokens = 0, unpriced = 0;
    double costUsd = 0;
    LatencyHistogram::Counts latency{};
};

namespace {
// A null QString binds as SQL NULL; these columns are NOT NULL with '' for "none".
QString text(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("") : s;
}
} // namespace

LogWriter::LogWriter(const QString &path, const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_connectionName(QStringLiteral("log-writer-%1").arg(quintptr(this), 0, 16))
    , m_config(config)
    , m_commitTimer(new QTimer(this))
    , m_retentionTimer(new QTimer(this))
    , m_trimTimer(new QTimer(this))
{
    qRegisterMetaType<Switchyard::LogConfig>();
    m_commitTimer->setSingleShot(true);
    connect(m_commitTimer, &QTimer::timeout, this, &LogWriter::flush);
    m_retentionTimer->setInterval(RetentionIntervalMs);
    connect(m_retentionTimer, &QTimer::timeout, this, &LogWriter::applyRetention);
    m_trimTimer->setSingleShot(true);
    m_trimTimer->setInterval(TrimDelayMs);
    connect(m_trimTimer, &QTimer::timeout, this, &LogWriter::returnFreedMemory);
}

LogWriter::~LogWriter()
{
    close();
}

bool LogWriter::open()
{
    if (const Result<bool> opened = LogDatabase::open(m_path, m_connectionName, false); !opened) {
        m_error = opened.error().message;
    } else {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName);
        const Result<bool> migrated = LogDatabase::migrate(db);
        if (!migrated) {
            m_error = m_path + QStringLiteral(": ") + migrated.error().message;
        } else if (prepareStatements()) {
            m_retentionTimer->start();
            QTimer::singleShot(5000, this, &LogWriter::applyRetention);
            return true;
        }
    }
    // Let go of a file that was refused: nothing may keep it open.
    m_statements.reset();
    LogDatabase::close(m_connectionName);
    return false;
}

bool LogWriter::prepareStatements()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    sqlite3 *handle = SqliteStatement::handleOf(db);
    m_statements = std::make_unique<Statements>();
    QStringList histogramNames, histogramValues, histogramUpdates;
    for (int i = 0; i < LatencyHistogram::BucketCount; ++i) {
        histogramNames << QStringLiteral("h%1").arg(i);
        histogramValues << QStringLiteral("?");
        histogramUpdates << QStringLiteral("h%1 = h%1 + excluded.h%1").arg(i);
    }
    const bool ok =
        m_statements->request.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO requests (id, started_at, duration_ms, ttft_ms, endpoint, requested_model, alias, provider,"
            " model, status, ok, error_class, error_message, prompt_tokens, completion_tokens, cached_tokens, cost_usd, stream,"
            " client, client_process, client_pid, project, replay_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"))
        && m_statements->attempt.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO attempts (request_id, seq, provider, model, status, error_class, message, started_after_ms,"
            " duration_ms, request_recipe, translation_notes) VALUES (?,?,?,?,?,?,?,?,?,?,?)"))
        && m_statements->bodies.prepare(handle, QStringLiteral(
            "INSERT OR REPLACE INTO bodies (request_id, request_recipe, response_recipe, request_truncated, response_truncated,"
            " request_headers, response_headers) VALUES (?,?,?,?,?,?,?)"))
        && m_statements->bodyStore.prepare(handle)
        && m_statements->rollup.prepare(handle, QStringLiteral(
            "INSERT INTO rollup_hour (hour, alias, provider, model, client, project, requests, errors, prompt_tokens,"
            " completion_tokens, cached_tokens, cost_usd, unpriced, %1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,%2)"
            " ON CONFLICT (hour, alias, provider, model, client, project) DO UPDATE SET requests = requests + excluded.requests,"
            " errors = errors + excluded.errors, prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
            " completion_tokens = completion_tokens + excluded.completion_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,"
            " cost_usd = cost_usd + excluded.cost_usd, unpriced = unpriced + excluded.unpriced, %3")
                                               .arg(histogramNames.join(QStringLiteral(", ")), histogramValues.join(QLatin1Char(',')),
                                                    histogramUpdates.join(QStringLiteral(", "))));
    const Statements &st = *m_statements; // preparing stops at the first failure: only it has an error
    if (!ok)
        m_error = QStringLiteral("%1: cannot prepare the log statements: %2")
                      .arg(m_path, st.request.error() + st.attempt.error() + st.bodies.error() + st.rollup.error()
                               + st.bodyStore.error());
    return ok;
}

void LogWriter::append(const QList<CallRecord> &records)
{
    m_queue += records;
    if (m_queue.size() >= MaxBatchRows)
        flush();
    else if (!m_commitTimer->isActive())
        m_commitTimer->start(CommitIntervalMs);
}

void LogWriter::setLogConfig(const LogConfig &config)
{
    m_config = config;
}

bool LogWriter::insert(const CallRecord &r)
{
    const qint64 cap = qint64(m_config.maxBodyKib) * 1024;
    SqliteStatement &q = m_statements->request;
    q.bindAll(r.id, r.startedAt.toMSecsSinceEpoch(), r.durationMs, r.ttftMs, text(r.endpoint), r.requestedModel,
              text(r.alias), text(r.provider), text(r.model), r.status, r.ok ? 1 : 0, text(errorClassName(r.errorClass)),
              r.errorMessage, r.usage.promptTokens, r.usage.completionTokens, r.usage.cachedPromptTokens, r.costUsd,
              r.stream ? 1 : 0, text(r.client), text(r.clientProcess),
              r.clientPid ? std::optional<qint64>(r.clientPid) : std::nullopt, text(r.project),
              r.replayOf.isEmpty() ? QString() : r.replayOf);
    if (!q.exec()) {
        m_error = q.error();
        return false;
    }
    BodyStore &bodyStore = m_statements->bodyStore;
    const qint64 usedAt = r.startedAt.toMSecsSinceEpoch();
    // A call that started before the bodies already dropped keeps its row only: its segments
    // could be swept by the next cut, which starts after it.
    const bool keepBodies = usedAt >= m_statements->retention.bodyCutoffMs();
    auto stored = [&](const QByteArray &body) {
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
               LogCodec::headersToJson(r.responseHeaders));
    if (!bq.exec()) {
        m_error = bq.error();
        return false;
    }
    return true;
}

void LogWriter::addToRollups(const CallRecord &r)
{
    const qint64 hour = r.startedAt.toMSecsSinceEpoch() / 3600000;
    const QString client = LogCodec::clientName(r);
    const QString key = QStringLiteral("%1\x1f%2\x1f%3\x1f%4\x1f%5\x1f%6").arg(hour).arg(r.alias, r.provider, r.model, client, r.project);
    std::shared_ptr<RollupDelta> &d = m_rollups[key];
    if (!d) {
        d = std::make_shared<RollupDelta>();
        *d = RollupDelta{hour, text(r.alias), text(r.provider), text(r.model), text(client), text(r.project)};
    }
    ++d->requests;
    d->errors += r.ok ? 0 : 1;
    d->promptTokens += r.usage.promptTokens.value_or(0);
    d->completionTokens += r.usage.completionTokens.value_or(0);
    d->cachedTokens += r.usage.cachedPromptTokens.value_or(0);
    if (r.costUsd)
        d->costUsd += *r.costUsd;
    else if (r.ok)
        ++d->unpriced;
    ++d->latency[LatencyHistogram::bucketFor(r.durationMs)];
}

bool LogWriter::writeRollups()
{
    SqliteStatement &q = m_statements->rollup;
    for (const std::shared_ptr<RollupDelta> &d : std::as_const(m_rollups)) {
        q.bindAll(d->hour, d->alias, d->provider, d->model, d->client, d->project, d->requests, d->errors, d->promptTokens,
                  d->completionTokens, d->cachedTokens, d->costUsd, d->unpriced);
        int i = 13; // the histogram's buckets follow the 13 values above
        for (qint64 count : d->latency)
            q.bind(i++, count);
        if (!q.exec()) {
            m_error = q.error();
            return false;
        }
    }
    m_rollups.clear();
    return true;
}

void LogWriter::flush()
{
    m_commitTimer->stop();
    if (m_queue.isEmpty() || !m_statements)
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    const QList<CallRecord> batch = std::exchange(m_queue, {});
    QStringList ids;
    bool ok = db.transaction();
    for (const CallRecord &r : batch) {
        if (!ok)
            break;
        ok = insert(r);
        addToRollups(r);
        ids << r.id;
    }
    ok = ok && writeRollups() && m_statements->bodyStore.writeTouches() && db.commit();
    if (!ok) {
        db.rollback();
        m_rollups.clear();
        m_statements->bodyStore.forgetCache();
        Q_EMIT failed(QStringLiteral("%1: %2 log rows could not be written: %3").arg(m_path).arg(batch.size()).arg(m_error));
        return;
    }
    Q_EMIT written(ids);
    // Checked after every commit (three pragmas), so the cap holds while a load runs.
    m_statements->retention.enforceCap(db, m_config);
    if (batch.size() >= MaxBatchRows)
        m_trimTimer->start();
}

void LogWriter::returnFreedMemory()
{
    // Under a burst the proxy can finish calls faster than they are written; the records
    // waiting here (a few KB each) are freed once written, but glibc keeps the pages they
    // used. Give them back when the burst is over, or the process stays at its peak.
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void LogWriter::applyRetention()
{
    if (!m_statements)
        return;
    flush();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    m_statements->retention.apply(db, m_config, QDateTime::currentMSecsSinceEpoch());
}

void LogWriter::close()
{
    if (!m_statements)
        return;
    flush();
    m_statements.reset();
    m_retentionTimer->stop();
    LogDatabase::close(m_connectionName);
}

} // namespace Switchyard
