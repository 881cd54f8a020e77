// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/RemoteLog.h"
#include "core/remote/RecordJson.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QThread>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// "key=value" items of a query string; empty values are left out.
class QueryItems
{
public:
    QueryItems &add(const char *key, const QString &value)
    {
        if (!value.isEmpty())
            m_items << QString(QLatin1String(key) + u'=' + encoded(value));
        return *this;
    }
    QueryItems &add(const char *key, qint64 value) { return add(key, QString::number(value)); }
    QString text() const { return m_items.join(u'&'); }

private:
    QStringList m_items;
};

// The items of /api/requests that choose the calls of `f` (not the page).
QueryItems requestItems(const RequestFilter &f)
{
    QueryItems items;
    if (f.ok)
        items.add("status", *f.ok ? u"ok"_s : u"error"_s);
    items.add("alias", f.alias).add("provider", f.provider).add("model", f.model).add("q", f.text).add("session", f.sessionId);
    items.add("evaluation", f.evaluations ? f.evaluationId : u"exclude"_s);
    if (f.sinceMs)
        items.add("since", *f.sinceMs);
    if (f.untilMs)
        items.add("until", *f.untilMs);
    return items;
}

qint64 msOf(const QJsonValue &time)
{
    return QDateTime::fromString(time.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// An item of GET /api/sessions (SessionJson::summary). Its tokens count each kind once, so
// the prompt tokens (all of them) add up again; what the cache missed comes as one sum.
SessionSummary sessionFromJson(const QJsonObject &o)
{
    SessionSummary s;
    s.id = o.value("id"_L1).toString();
    s.client = o.value("client"_L1).toString();
    s.clientProcess = o.value("client_process"_L1).toString();
    s.project = o.value("project"_L1).toString();
    s.firstMs = msOf(o.value("first_call"_L1));
    s.lastMs = msOf(o.value("last_call"_L1));
    s.turns = o.value("turns"_L1).toInteger();
    s.subagentTurns = o.value("subagent_turns"_L1).toInteger();
    const QJsonObject tokens = o.value("tokens"_L1).toObject();
    s.cachedTokens = tokens.value("cache_read"_L1).toInteger();
    s.cacheWriteTokens = tokens.value("cache_write"_L1).toInteger();
    s.promptTokens = tokens.value("input"_L1).toInteger() + s.cachedTokens + s.cacheWriteTokens;
    s.completionTokens = tokens.value("output"_L1).toInteger();
    s.reasoningTokens = tokens.value("reasoning"_L1).toInteger();
    s.costUsd = o.value("cost_usd"_L1).toDouble();
    s.unpriced = o.value("unpriced_turns"_L1).toInteger();
    if (const qint64 missed = o.value("missed_cache_tokens"_L1).toInteger(); missed > 0)
        s.missed.append({QString(), QString(), missed}); // the API sums the models
    return s;
}

BaselineInfo baselineFromJson(const QJsonObject &o)
{
    return BaselineInfo{o.value("name"_L1).toString(),
                        QDateTime::fromString(o.value("created"_L1).toString(), Qt::ISODateWithMs).toUTC(),
                        o.value("origin"_L1).toString(),
                        o.value("requests"_L1).toInt(),
                        o.value("prompt_tokens"_L1).toInteger(),
                        o.value("completion_tokens"_L1).toInteger(),
                        o.value("cost_usd"_L1).toDouble()};
}

} // namespace

RemoteLog::RemoteLog(AdminClient::Target target)
    : m_client(target)
    , m_address(target.base.toString(QUrl::RemoveUserInfo))
{
}

Result<std::optional<QJsonObject>> RemoteLog::call(const QByteArray &method, const QString &path, const QString &query,
                                                   const QByteArray &body, bool missingIsEmpty)
{
    if (QThread::currentThread()->isInterruptionRequested()) // the reader is going away: ask nothing more
        return Error{u"%1%2 was not asked: the log reader is stopping"_s.arg(m_address, path)};
    const Result<AdminClient::Reply> sent = m_client.send(method, path, query, body);
    if (!sent)
        return sent.error();
    const AdminClient::Reply &reply = sent.value();
    const QJsonObject error = reply.json.value("error"_L1).toObject();
    if (missingIsEmpty && reply.status == 404 && error.value("code"_L1).toString() == "not_found"_L1)
        return std::optional<QJsonObject>();
    if (reply.status / 100 == 2 && !reply.json.isEmpty())
        return std::optional<QJsonObject>(reply.json);
    const QString message = error.value("message"_L1).toString();
    if (message.isEmpty())
        return Error{u"%1%2 answered HTTP %3, not as a Switchyard admin API does"_s.arg(m_address, path).arg(reply.status)};
    return Error{u"the gateway at %1 answered: %2"_s.arg(m_address, message)};
}

Result<QJsonObject> RemoteLog::get(const QString &path, const QString &query)
{
    const Result<std::optional<QJsonObject>> answer = call("GET", path, query);
    if (!answer)
        return answer.error();
    return *answer.value();
}

Result<QList<CallRecord>> RemoteLog::list(const RequestFilter &filter, qint64 *total)
{
    QList<CallRecord> out;
    if (!filter.evaluations && !filter.evaluationId.isEmpty()) { // no call is both, as the log's own query finds
        if (total)
            *total = 0;
        return out;
    }
    const int wanted = qBound(0, filter.limit, 10000); // as LogQueries
    int offset = qMax(0, filter.offset);
    QSet<QString> seen; // a call logged between two pages moves the later ones down by one
    for (bool first = true; out.size() < wanted || (first && total); first = false) {
        const int limit = qBound(1, wanted - int(out.size()), PageSize);
        QueryItems items = requestItems(filter);
        items.add("limit", limit).add("offset", offset);
        if (first && total)
            items.add("total", u"true"_s);
        const Result<QJsonObject> page = get(u"/api/requests"_s, items.text());
        if (!page)
            return page.error();
        if (first && total) {
            const QJsonValue all = page.value().value("total"_L1);
            if (!all.isDouble())
                return Error{u"%1 does not count its requests (total=true): a Switchyard older than this window"_s.arg(m_address)};
            *total = all.toInteger();
        }
        const QJsonArray calls = page.value().value("requests"_L1).toArray();
        for (const QJsonValue &item : calls) {
            CallRecord record = RecordJson::fromJson(item.toObject());
            if (out.size() < wanted && !seen.contains(record.id)) {
                seen.insert(record.id);
                out.append(std::move(record));
            }
        }
        if (calls.size() < limit)
            break;
        offset += int(calls.size());
    }
    return out;
}

Result<QList<CallRecord>> RemoteLog::requests(const RequestFilter &filter)
{
    return list(filter, nullptr);
}

Result<qint64> RemoteLog::count(const RequestFilter &filter)
{
    RequestFilter counted = filter;
    counted.limit = 0;
    counted.offset = 0;
    qint64 total = 0;
    if (const Result<QList<CallRecord>> listed = list(counted, &total); !listed)
        return listed.error();
    return total;
}

Result<CallRecord> RemoteLog::request(const QString &id)
{
    const Result<std::optional<QJsonObject>> found = call("GET", u"/api/requests/"_s + encoded(id), QString(), QByteArray(), true);
    if (!found)
        return found.error();
    return found.value() ? RecordJson::fromJson(*found.value()) : CallRecord();
}

Result<QList<StatsRow>> RemoteLog::stats(const StatsQuery &query)
{
    QueryItems items;
    items.add("since", query.sinceMs).add("until", query.untilMs).add("bucket", query.byDay ? u"day"_s : u"hour"_s);
    items.add("by", query.by).add("evaluations", query.evaluations ? u"include"_s : u"exclude"_s);
    const Result<QJsonObject> answer = get(u"/api/stats"_s, items.text());
    if (!answer)
        return answer.error();
    QList<StatsRow> rows;
    for (const QJsonValue &row : answer.value().value("rows"_L1).toArray())
        rows.append(RecordJson::statsRowFromJson(row.toObject()));
    return rows;
}

Result<QList<SessionSummary>> RemoteLog::sessions(const SessionFilter &filter)
{
    if (filter.limit < 1)
        return QList<SessionSummary>();
    QueryItems items;
    items.add("since", filter.sinceMs).add("limit", qMin(filter.limit, 1000)).add("client", filter.client).add("project", filter.project);
    const Result<QJsonObject> answer = get(u"/api/sessions"_s, items.text());
    if (!answer)
        return answer.error();
    QList<SessionSummary> out;
    for (const QJsonValue &session : answer.value().value("sessions"_L1).toArray())
        out.append(sessionFromJson(session.toObject()));
    return out;
}

Result<qint64> RemoteLog::forEachSessionCall(const QString &sessionId, int maxCalls, const std::function<void(const CallRecord &)> &visit)
{
    if (sessionId.isEmpty())
        return qint64(0);
    RequestFilter filter;
    filter.sessionId = sessionId;
    filter.limit = qMax(0, maxCalls);
    qint64 total = 0;
    const Result<QList<CallRecord>> latest = list(filter, &total); // newest first, without bodies
    if (!latest)
        return latest.error();
    for (auto it = latest.value().crbegin(); it != latest.value().crend(); ++it) {
        const Result<CallRecord> call = request(it->id);
        if (!call)
            return call.error();
        visit(call.value());
    }
    return total;
}

Result<QList<BaselineInfo>> RemoteLog::baselines()
{
    const Result<QJsonObject> answer = get(u"/api/baselines"_s, QString());
    if (!answer)
        return answer.error();
    QList<BaselineInfo> out;
    for (const QJsonValue &baseline : answer.value().value("baselines"_L1).toArray())
        out.append(baselineFromJson(baseline.toObject()));
    return out;
}

Result<int> RemoteLog::addToBaseline(const QString &name, const QString &origin, const QStringList &ids)
{
    // The gateway takes its own copies (records and bodies) of the calls it logged.
    const QJsonObject body{{u"name"_s, name}, {u"request_ids"_s, QJsonArray::fromStringList(ids)}, {u"append"_s, true},
                           {u"origin"_s, origin}};
    const Result<std::optional<QJsonObject>> answer =
        call("POST", u"/api/baselines"_s, QString(), QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!answer)
        return answer.error();
    return answer.value()->value("added"_L1).toInt();
}

Result<bool> RemoteLog::removeBaseline(const QString &name)
{
    const Result<std::optional<QJsonObject>> answer = call("DELETE", u"/api/baselines/"_s + encoded(name), QString(), QByteArray(), true);
    if (!answer)
        return answer.error();
    return answer.value().has_value();
}

} // namespace Switchyard
