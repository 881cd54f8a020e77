// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/AdminApi.h"
#include "core/admin/RequestJson.h"
#include "core/http/HttpExchange.h"
#include "core/http/JsonErrors.h"
#include "core/log/LogReader.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QUrlQuery>

namespace Switchyard {

void AdminApi::reply(HttpExchange *exchange, int status, const QJsonObject &body)
{
    exchange->respondJson(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void AdminApi::fail(HttpExchange *exchange, int status, const QString &message, const QString &code)
{
    exchange->respondJson(status, JsonErrors::openAi(status, message, code));
}

std::optional<qint64> AdminApi::parseTime(const QString &text)
{
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber)
        return ms;
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime && !text.contains(QLatin1Char('+')) && !text.endsWith(QLatin1Char('Z')))
        t.setTimeSpec(Qt::UTC); // a time without a zone is read as UTC, like the API's own
    return t.toMSecsSinceEpoch();
}

AdminApi::AdminApi(AdminBackend *backend, LogReader *reader, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_reader(reader)
    , m_config(backend)
    , m_sessions(backend, reader)
    , m_baselines(reader)
    , m_evaluations(backend, reader)
{
}

bool AdminApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QString path = QString::fromUtf8(request.path);
    const bool get = request.method == "GET" || request.method == "HEAD";
    static const QString prefix = QStringLiteral("/api/requests/");
    if (m_config.handle(exchange))
        return true;
    if (path == QLatin1String("/api/events")) {
        if (get)
            m_events.subscribe(exchange);
        else
            fail(exchange, 405, QStringLiteral("/api/events accepts GET"));
        return true;
    }
    if (m_sessions.handle(exchange) || m_baselines.handle(exchange) || m_evaluations.handle(exchange))
        return true;
    if (!m_reader && (path.startsWith(QLatin1String("/api/requests")) || path == QLatin1String("/api/stats"))) {
        fail(exchange, 503, QStringLiteral("the request log is not open"));
        return true;
    }
    if (path == QLatin1String("/api/requests") && get) {
        listRequests(exchange);
    } else if (path == QLatin1String("/api/stats") && get) {
        showStats(exchange);
    } else if (path.startsWith(prefix) && path.endsWith(QLatin1String("/replay")) && request.method == "POST") {
        replayRequest(exchange, path.mid(prefix.size()).chopped(7));
    } else if (path.startsWith(prefix) && !path.mid(prefix.size()).contains(QLatin1Char('/')) && get) {
        showRequest(exchange, path.mid(prefix.size()));
    } else if (path == QLatin1String("/api/requests") || path == QLatin1String("/api/stats") || path.startsWith(prefix)) {
        fail(exchange, 405, QStringLiteral("%1 does not accept %2").arg(path, QString::fromLatin1(request.method)));
    } else {
        return false;
    }
    return true;
}

void AdminApi::listRequests(HttpExchange *exchange)
{
    const QUrlQuery query(QString::fromUtf8(exchange->request().query));
    RequestFilter filter;
    auto item = [&](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    bool ok = true;
    if (!item("limit").isEmpty())
        filter.limit = item("limit").toInt(&ok);
    if (!ok || filter.limit < 1 || filter.limit > 1000)
        return fail(exchange, 400, QStringLiteral("limit must be an integer from 1 to 1000"));
    if (!item("offset").isEmpty())
        filter.offset = item("offset").toInt(&ok);
    if (!ok || filter.offset < 0)
        return fail(exchange, 400, QStringLiteral("offset must be an integer of 0 or more"));
    const QString status = item("status");
    if (status == QLatin1String("ok") || status == QLatin1String("error"))
        filter.ok = status == QLatin1String("ok");
    else if (!status.isEmpty())
        return fail(exchange, 400, QStringLiteral("status must be ok or error"));
    filter.alias = item("alias");
    filter.provider = item("provider");
    filter.model = item("model");
    filter.text = item("q");
    filter.sessionId = item("session");
    const QString total = item("total");
    if (!total.isEmpty() && total != QLatin1String("true") && total != QLatin1String("false"))
        return fail(exchange, 400, QStringLiteral("total must be true or false"));
    const bool withTotal = total == QLatin1String("true");
    const QString evaluation = item("evaluation");
    if (evaluation == QLatin1String("exclude"))
        filter.evaluations = false;
    else if (!evaluation.isEmpty())
        filter.evaluationId = evaluation;
    for (const char *name : {"since", "until"}) {
        if (item(name).isEmpty())
            continue;
        const std::optional<qint64> t = parseTime(item(name));
        if (!t)
            return fail(exchange, 400, QStringLiteral("%1 must be an ISO-8601 time or milliseconds since the epoch").arg(QLatin1String(name)));
        (qstrcmp(name, "since") == 0 ? filter.sinceMs : filter.untilMs) = t;
    }
    // With total=true, also how many match in all (for a client that pages, or only counts).
    using Listed = Result<std::pair<QList<CallRecord>, std::optional<qint64>>>;
    m_reader->query<Listed>(
        exchange,
        [filter, withTotal](LogQueries &q) -> Listed {
            const Result<QList<CallRecord>> records = q.requests(filter);
            if (!records)
                return records.error();
            if (!withTotal)
                return std::pair(records.value(), std::optional<qint64>());
            const Result<qint64> count = q.count(filter);
            if (!count)
                return count.error();
            return std::pair(records.value(), std::optional<qint64>(count.value()));
        },
        [exchange](const Listed &result) {
            if (!result)
                return fail(exchange, 500, QStringLiteral("reading the request log failed: ") + result.error().message);
            QJsonArray list;
            for (const CallRecord &r : result.value().first)
                list.append(RequestJson::summary(r));
            QJsonObject body{{QStringLiteral("requests"), list}};
            if (result.value().second)
                body.insert(QStringLiteral("total"), *result.value().second);
            AdminApi::reply(exchange, 200, body);
        });
}

void AdminApi::showRequest(HttpExchange *exchange, const QString &id)
{
    m_reader->query<Result<CallRecord>>(
        exchange, [id](LogQueries &q) { return q.request(id); },
        [exchange, id](const Result<CallRecord> &result) {
            if (!result)
                return fail(exchange, 500, QStringLiteral("reading the request log failed: ") + result.error().message);
            if (result.value().id.isEmpty())
                return fail(exchange, 404, QStringLiteral("no request %1 in the log").arg(id), QStringLiteral("not_found"));
            AdminApi::reply(exchange, 200, RequestJson::detail(result.value()));
        });
}

void AdminApi::replayRequest(HttpExchange *exchange, const QString &id)
{
    const QByteArray replacement = exchange->request().body.trimmed();
    if (!replacement.isEmpty() && !QJsonDocument::fromJson(replacement).isObject())
        return fail(exchange, 400, QStringLiteral("the replacement body must be a JSON object (or empty to replay as recorded)"));
    AdminBackend *backend = m_backend;
    m_reader->query<Result<CallRecord>>(
        exchange, [id](LogQueries &q) { return q.request(id); },
        [exchange, id, replacement, backend](const Result<CallRecord> &result) {
            if (!result)
                return fail(exchange, 500, QStringLiteral("reading the request log failed: ") + result.error().message);
            const CallRecord &original = result.value();
            if (original.id.isEmpty())
                return fail(exchange, 404, QStringLiteral("no request %1 in the log").arg(id), QStringLiteral("not_found"));
            if (replacement.isEmpty() && original.bodiesShed)
                return fail(exchange, 409, QStringLiteral("the body of %1 was not stored (the log writer was behind); send the body to replay").arg(id));
            if (replacement.isEmpty() && original.requestBodyTruncated)
                return fail(exchange, 409, QStringLiteral("the stored body of %1 was cut at the log's size cap; send the full body to replay").arg(id));
            backend->replay(exchange, original, replacement.isEmpty() ? original.requestBody : replacement);
        });
}

void AdminApi::showStats(HttpExchange *exchange)
{
    const QUrlQuery query(QString::fromUtf8(exchange->request().query));
    auto item = [&](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    StatsQuery stats;
    stats.untilMs = QDateTime::currentMSecsSinceEpoch();
    stats.sinceMs = stats.untilMs - 7LL * 24 * 3600 * 1000;
    for (const char *name : {"since", "until"}) {
        if (item(name).isEmpty())
            continue;
        const std::optional<qint64> t = parseTime(item(name));
        if (!t)
            return fail(exchange, 400, QStringLiteral("%1 must be an ISO-8601 time or milliseconds since the epoch").arg(QLatin1String(name)));
        (qstrcmp(name, "since") == 0 ? stats.sinceMs : stats.untilMs) = *t;
    }
    const QString bucket = item("bucket");
    if (!bucket.isEmpty() && bucket != QLatin1String("hour") && bucket != QLatin1String("day"))
        return fail(exchange, 400, QStringLiteral("bucket must be hour or day"));
    stats.byDay = bucket == QLatin1String("day");
    if (!item("by").isEmpty())
        stats.by = item("by");
    const QString evaluations = item("evaluations");
    if (!evaluations.isEmpty() && evaluations != QLatin1String("include") && evaluations != QLatin1String("exclude"))
        return fail(exchange, 400, QStringLiteral("evaluations must be include or exclude"));
    stats.evaluations = evaluations == QLatin1String("include");
    m_reader->query<Result<QList<StatsRow>>>(
        exchange, [stats](LogQueries &q) { return q.stats(stats); },
        [exchange, stats](const Result<QList<StatsRow>> &result) {
            if (!result)
                return fail(exchange, 400, result.error().message);
            QJsonArray rows;
            StatsRow total;
            for (const StatsRow &row : result.value()) {
                rows.append(RequestJson::statsRow(row));
                total.addCounts(row);
            }
            QJsonObject totals = RequestJson::statsRow(total);
            for (const char *key : {"bucket_start", "group", "latency_p50_ms", "latency_p95_ms", "latency_histogram"})
                totals.remove(QLatin1String(key));
            AdminApi::reply(exchange, 200, {{QStringLiteral("since"), RequestJson::timestamp(QDateTime::fromMSecsSinceEpoch(stats.sinceMs, Qt::UTC))},
                                             {QStringLiteral("until"), RequestJson::timestamp(QDateTime::fromMSecsSinceEpoch(stats.untilMs, Qt::UTC))},
                                             {QStringLiteral("bucket"), stats.byDay ? QStringLiteral("day") : QStringLiteral("hour")},
                                             {QStringLiteral("by"), stats.by},
                                             {QStringLiteral("rows"), rows},
                                             {QStringLiteral("totals"), totals}});
        });
}

} // namespace Switchyard
