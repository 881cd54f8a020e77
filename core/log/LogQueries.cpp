// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogQueries.h"
#include "core/log/BodyReader.h"
#include "core/log/LatencyHistogram.h"
#include "core/log/LogCodec.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogRemote.h"
#include "core/log/SqliteStatement.h"
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace Switchyard {

namespace {

const QString RequestColumns = QStringLiteral(
    "id, started_at, duration_ms, ttft_ms, endpoint, requested_model, alias, provider, model, status, ok, error_class,"
    " error_message, prompt_tokens, completion_tokens, cached_tokens, cost_usd, stream, client, client_process, client_pid,"
    " project, replay_of, session_id, subagent, cache_verdict, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,"
    " evaluation_id");

std::optional<qint64> optionalInt(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

CallRecord recordFrom(const QSqlQuery &q)
{
    CallRecord r;
    r.id = q.value(0).toString();
    r.startedAt = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    r.durationMs = q.value(2).toLongLong();
    r.ttftMs = optionalInt(q.value(3));
    r.endpoint = q.value(4).toString();
    r.requestedModel = q.value(5).toString();
    r.alias = q.value(6).toString();
    r.provider = q.value(7).toString();
    r.model = q.value(8).toString();
    r.status = q.value(9).toInt();
    r.ok = q.value(10).toInt() != 0;
    r.errorClass = errorClassFromString(q.value(11).toString());
    r.errorMessage = q.value(12).toString();
    r.usage.promptTokens = optionalInt(q.value(13));
    r.usage.completionTokens = optionalInt(q.value(14));
    r.usage.cachedPromptTokens = optionalInt(q.value(15));
    r.costUsd = q.value(16).isNull() ? std::nullopt : std::optional<double>(q.value(16).toDouble());
    r.stream = q.value(17).toInt() != 0;
    r.client = q.value(18).toString();
    r.clientProcess = q.value(19).toString();
    r.clientPid = q.value(20).toLongLong();
    r.project = q.value(21).toString();
    r.replayOf = q.value(22).toString();
    r.sessionId = q.value(23).toString();
    r.subagent = q.value(24).toInt() != 0;
    r.cacheVerdict = q.value(25).toString();
    r.usage.cacheWriteTokens = optionalInt(q.value(26));
    r.usage.cacheWrite1hTokens = optionalInt(q.value(27));
    r.usage.reasoningTokens = optionalInt(q.value(28));
    r.evaluationId = q.value(29).toString();
    return r;
}

// A PostgreSQL array literal of text values, bound as one value.
QString textArray(const QStringList &values)
{
    QStringList quoted;
    quoted.reserve(values.size());
    for (QString v : values)
        quoted << QLatin1Char('"') + v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\"")) + QLatin1Char('"');
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

// WHERE clause and its bound values for a filter; `match` says where f.text is.
std::pair<QString, QVariantList> whereFor(const RequestFilter &f, const LogQueries::BodyMatch &match)
{
    QStringList terms;
    QVariantList values;
    auto add = [&](const QString &term, const QVariant &value) {
        terms << term;
        values << value;
    };
    if (f.ok)
        add(QStringLiteral("ok = ?"), *f.ok ? 1 : 0);
    if (!f.alias.isEmpty())
        add(QStringLiteral("alias = ?"), f.alias);
    if (!f.provider.isEmpty())
        add(QStringLiteral("provider = ?"), f.provider);
    if (!f.model.isEmpty())
        add(QStringLiteral("model = ?"), f.model);
    if (!f.evaluations)
        terms << QStringLiteral("evaluation_id IS NULL");
    if (!f.evaluationId.isEmpty())
        add(QStringLiteral("evaluation_id = ?"), f.evaluationId);
    if (!f.sessionId.isEmpty())
        add(QStringLiteral("session_id = ?"), f.sessionId);
    if (f.sinceMs)
        add(QStringLiteral("started_at >= ?"), *f.sinceMs);
    if (f.untilMs)
        add(QStringLiteral("started_at < ?"), *f.untilMs);
    if (!f.text.isEmpty() && match.requestIds) {
        add(QStringLiteral("id = ANY(CAST(? AS TEXT[]))"), textArray(*match.requestIds));
    } else if (!f.text.isEmpty()) {
        const QByteArray &segments = match.segments;
        // Bodies stored since schema 3 by their segments, older ones in their own columns.
        terms << QStringLiteral("id IN (SELECT request_id FROM bodies WHERE body_refers(request_recipe, ?, ?)"
                                " OR body_refers(response_recipe, ?, ?) OR instr(request_body, ?) > 0"
                                " OR instr(response_body, ?) > 0)");
        const QByteArray text = f.text.toUtf8();
        values << segments << text << segments << text << text << text;
    }
    return {terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND ")), values};
}

} // namespace

LogQueries::LogQueries(const QString &path, const QString &connectionName)
    : m_path(path)
    , m_connectionName(connectionName)
{
}

LogQueries::LogQueries(std::shared_ptr<LogRemote> remote)
    : m_remote(std::move(remote))
{
    Q_ASSERT(m_remote);
}

LogQueries::~LogQueries()
{
    if (m_open)
        LogDatabase::close(m_connectionName);
}

Result<bool> LogQueries::ensureOpen()
{
    if (m_open && LogDatabase::stillConnected(m_connectionName))
        return true;
    if (m_open) { // a PostgreSQL server that restarted: connect again
        LogDatabase::close(m_connectionName);
        m_open = false;
    }
    if (m_remote)
        return Error{QStringLiteral("the request log is read through a remote gateway, not a file")};
    const Result<bool> opened = LogDatabase::open(m_path, m_connectionName, true);
    if (!opened) {
        LogDatabase::close(m_connectionName);
        return opened;
    }
    bool functions = true;
    {
        const QSqlDatabase db = QSqlDatabase::database(m_connectionName);
        functions = LogDatabase::isPostgres(db) || BodyReader::registerFunctions(SqliteStatement::handleOf(db));
    }
    if (!functions) {
        LogDatabase::close(m_connectionName);
        return Error{m_path + QStringLiteral(": cannot add the body search functions")};
    }
    m_open = true;
    return true;
}

Result<LogQueries::BodyMatch> LogQueries::bodiesHolding(const QString &text)
{
    if (text.isEmpty())
        return BodyMatch();
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    QString error;
    const std::optional<QByteArray> ids = BodyReader::matchingSegments(db, text.toUtf8(), &error);
    if (!ids)
        return Error{error};
    BodyMatch match{*ids, std::nullopt};
    if (LogDatabase::isPostgres(db)) {
        match.requestIds = BodyReader::matchingRequests(db, *ids, text.toUtf8(), &error);
        if (!match.requestIds)
            return Error{error};
    }
    return match;
}

Result<QList<CallRecord>> LogQueries::requests(const RequestFilter &filter)
{
    if (m_remote)
        return m_remote->requests(filter);
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    const Result<BodyMatch> match = bodiesHolding(filter.text);
    if (!match)
        return match.error();
    const auto [where, values] = whereFor(filter, match.value());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM requests%2 ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?").arg(RequestColumns, where));
    int i = 0;
    for (const QVariant &v : values)
        q.bindValue(i++, v);
    q.bindValue(i++, qBound(0, filter.limit, 10000));
    q.bindValue(i++, qMax(0, filter.offset));
    if (!q.exec())
        return Error{q.lastError().text()};
    QList<CallRecord> records;
    QHash<QString, int> indexOf;
    while (q.next()) {
        records.append(recordFrom(q));
        indexOf.insert(records.constLast().id, int(records.size() - 1));
    }
    if (records.isEmpty())
        return records;
    QStringList marks(records.size(), QStringLiteral("?"));
    QSqlQuery a(db);
    a.setForwardOnly(true);
    a.prepare(QStringLiteral("SELECT request_id, provider, model, status, error_class, message, started_after_ms, duration_ms,"
                             " translation_notes FROM attempts WHERE request_id IN (%1) ORDER BY request_id, seq").arg(marks.join(QLatin1Char(','))));
    i = 0;
    for (const CallRecord &r : std::as_const(records))
        a.bindValue(i++, r.id);
    if (!a.exec())
        return Error{a.lastError().text()};
    while (a.next()) {
        Attempt at;
        at.provider = a.value(1).toString();
        at.model = a.value(2).toString();
        at.status = a.value(3).toInt();
        at.errorClass = errorClassFromString(a.value(4).toString());
        at.message = a.value(5).toString();
        at.startedAfterMs = a.value(6).toLongLong();
        at.durationMs = a.value(7).toLongLong();
        at.translationNotes = LogCodec::notesFromJson(a.value(8).toByteArray());
        records[indexOf.value(a.value(0).toString())].attempts.append(at);
    }
    return records;
}

Result<qint64> LogQueries::count(const RequestFilter &filter)
{
    if (m_remote)
        return m_remote->count(filter);
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    const Result<BodyMatch> match = bodiesHolding(filter.text);
    if (!match)
        return match.error();
    const auto [where, values] = whereFor(filter, match.value());
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM requests") + where);
    int i = 0;
    for (const QVariant &v : values)
        q.bindValue(i++, v);
    if (!q.exec() || !q.next())
        return Error{q.lastError().text()};
    return q.value(0).toLongLong();
}

Result<CallRecord> LogQueries::request(const QString &id)
{
    if (m_remote)
        return m_remote->request(id);
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(RequestColumns));
    q.bindValue(0, id);
    if (!q.exec())
        return Error{q.lastError().text()};
    if (!q.next())
        return CallRecord();
    CallRecord r = recordFrom(q);
    QSqlQuery a(db);
    a.prepare(QStringLiteral("SELECT provider, model, status, error_class, message, started_after_ms, duration_ms, request_body,"
                             " translation_notes, request_recipe FROM attempts WHERE request_id = ? ORDER BY seq"));
    a.bindValue(0, id);
    if (!a.exec())
        return Error{a.lastError().text()};
    while (a.next()) {
        Attempt at;
        at.provider = a.value(0).toString();
        at.model = a.value(1).toString();
        at.status = a.value(2).toInt();
        at.errorClass = errorClassFromString(a.value(3).toString());
        at.message = a.value(4).toString();
        at.startedAfterMs = a.value(5).toLongLong();
        at.durationMs = a.value(6).toLongLong();
        at.requestBody = BodyReader::loadOr(db, a.value(9).toByteArray(), a.value(7).toByteArray());
        at.translationNotes = LogCodec::notesFromJson(a.value(8).toByteArray());
        r.attempts.append(at);
    }
    QSqlQuery b(db);
    b.prepare(QStringLiteral("SELECT request_body, response_body, request_truncated, response_truncated, request_headers,"
                             " response_headers, request_recipe, response_recipe, stored FROM bodies WHERE request_id = ?"));
    b.bindValue(0, id);
    if (b.exec() && b.next()) {
        r.requestBody = BodyReader::loadOr(db, b.value(6).toByteArray(), b.value(0).toByteArray());
        r.responseBody = BodyReader::loadOr(db, b.value(7).toByteArray(), b.value(1).toByteArray());
        r.requestBodyTruncated = b.value(2).toInt() != 0;
        r.responseBodyTruncated = b.value(3).toInt() != 0;
        r.requestHeaders = LogCodec::headersFromJson(b.value(4).toByteArray());
        r.responseHeaders = LogCodec::headersFromJson(b.value(5).toByteArray());
        r.bodiesShed = b.value(8).toInt() == 0;
    }
    return r;
}

Result<QList<StatsRow>> LogQueries::stats(const StatsQuery &query)
{
    static const QStringList groups{QStringLiteral("alias"), QStringLiteral("provider"), QStringLiteral("model"),
                                    QStringLiteral("client"), QStringLiteral("project")};
    if (!groups.contains(query.by))
        return Error{QStringLiteral("by must be one of: ") + groups.join(QStringLiteral(", "))};
    if (m_remote)
        return m_remote->stats(query);
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QStringList histogram;
    for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
        histogram << QStringLiteral("SUM(h%1)").arg(i);
    const int hoursPerBucket = query.byDay ? 24 : 1;
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT (hour / %1) * %1 AS bucket, %2, SUM(requests), SUM(errors), SUM(prompt_tokens),"
                             " SUM(completion_tokens), SUM(cached_tokens), SUM(cost_usd), SUM(unpriced), %3 FROM %4"
                             " WHERE hour >= ? AND hour < ? GROUP BY bucket, %2 ORDER BY bucket, %2")
                  .arg(hoursPerBucket)
                  .arg(query.by, histogram.join(QStringLiteral(", ")),
                       query.evaluations ? QStringLiteral("(SELECT * FROM rollup_hour UNION ALL SELECT * FROM evaluation_rollup_hour)")
                                         : QStringLiteral("rollup_hour")));
    q.bindValue(0, query.sinceMs / 3600000);
    q.bindValue(1, (query.untilMs + 3600000 - 1) / 3600000);
    if (!q.exec())
        return Error{q.lastError().text()};
    QList<StatsRow> rows;
    while (q.next()) {
        StatsRow row;
        row.bucketStartMs = q.value(0).toLongLong() * 3600000;
        row.group = q.value(1).toString();
        row.requests = q.value(2).toLongLong();
        row.errors = q.value(3).toLongLong();
        row.promptTokens = q.value(4).toLongLong();
        row.completionTokens = q.value(5).toLongLong();
        row.cachedTokens = q.value(6).toLongLong();
        row.costUsd = q.value(7).toDouble();
        row.unpriced = q.value(8).toLongLong();
        LatencyHistogram::Counts counts{};
        for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
            counts[i] = q.value(9 + i).toLongLong();
        row.p50Ms = LatencyHistogram::quantile(counts, 0.5);
        row.p95Ms = LatencyHistogram::quantile(counts, 0.95);
        row.latency = counts;
        rows.append(row);
    }
    return rows;
}

} // namespace Switchyard
