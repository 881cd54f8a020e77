// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/BaselinesApi.h"
#include "core/admin/AdminApi.h"
#include "core/admin/RequestJson.h"
#include "core/http/HttpExchange.h"
#include "core/log/BaselineSelection.h"
#include "core/log/LogReader.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject infoJson(const BaselineInfo &info)
{
    return {{u"name"_s, info.name},
            {u"created"_s, RequestJson::timestamp(info.createdAt)},
            {u"origin"_s, info.origin},
            {u"requests"_s, info.requests},
            {u"prompt_tokens"_s, info.promptTokens},
            {u"completion_tokens"_s, info.completionTokens},
            {u"cost_usd"_s, info.costUsd}};
}

QJsonArray skippedJson(const QList<BaselineSelection::Skipped> &skipped)
{
    QJsonArray out;
    for (const BaselineSelection::Skipped &s : skipped)
        out.append(QJsonObject{{u"id"_s, s.id}, {u"reason"_s, s.reason}});
    return out;
}

// What a POST asks for, checked before the log is read.
struct Creation
{
    QString name;
    QStringList ids;
    std::optional<BaselineFilter> filter;
    bool append = false;
    QString origin;
};

Result<Creation> readCreation(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return Error{u"the body must be a JSON object: {\"name\", \"request_ids\": [...]} or {\"name\", \"filter\": {...}}"_s};
    const QJsonObject o = doc.object();
    Creation c;
    c.name = o.value("name"_L1).toString();
    if (!BaselineStore::isValidName(c.name))
        return Error{u"name: 1 to 64 letters, digits, spaces, '.', '_' or '-'"_s};
    c.append = o.value("append"_L1).toBool();
    c.origin = o.value("origin"_L1).toString().left(200); // how they were chosen, e.g. "chosen in Traces"
    const bool hasIds = o.contains("request_ids"_L1), hasFilter = o.contains("filter"_L1);
    if (hasIds == hasFilter)
        return Error{u"give either request_ids or filter"_s};
    if (hasIds) {
        const QJsonArray ids = o.value("request_ids"_L1).toArray();
        for (qsizetype i = 0; i < ids.size(); ++i) {
            if (!ids.at(i).isString() || ids.at(i).toString().isEmpty())
                return Error{u"request_ids[%1]: a request id (a string) is needed"_s.arg(i)};
            c.ids << ids.at(i).toString();
        }
        if (c.ids.isEmpty() || c.ids.size() > BaselineStore::MaxRequests)
            return Error{u"request_ids: from 1 to %1 ids"_s.arg(BaselineStore::MaxRequests)};
        return c;
    }
    const QJsonObject f = o.value("filter"_L1).toObject();
    BaselineFilter filter;
    filter.alias = f.value("alias"_L1).toString();
    filter.session = f.value("session"_L1).toString();
    for (const char *key : {"since", "until"}) {
        const QJsonValue v = f.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            continue;
        const std::optional<qint64> t = AdminApi::parseTime(v.isDouble() ? QString::number(v.toInteger()) : v.toString());
        if (!t)
            return Error{u"filter.%1: an ISO-8601 time or milliseconds since the epoch"_s.arg(QLatin1String(key))};
        (qstrcmp(key, "since") == 0 ? filter.sinceMs : filter.untilMs) = t;
    }
    if (f.contains("limit"_L1)) {
        filter.limit = f.value("limit"_L1).toInt(-1);
        if (filter.limit < 1 || filter.limit > BaselineStore::MaxRequests)
            return Error{u"filter.limit: from 1 to %1"_s.arg(BaselineStore::MaxRequests)};
    }
    if (filter.alias.isEmpty() && filter.session.isEmpty() && !filter.sinceMs && !filter.untilMs)
        return Error{u"filter: name an alias, a session or a time range (since, until)"_s};
    c.filter = filter;
    return c;
}

// The outcome of a POST, as it is answered.
struct Created
{
    int status = 201;
    QJsonObject body;
};

} // namespace

BaselinesApi::BaselinesApi(LogReader *reader)
    : m_reader(reader)
{
}

bool BaselinesApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QString path = QString::fromUtf8(request.path);
    static const QString prefix = u"/api/baselines/"_s;
    if (path != "/api/baselines"_L1 && !path.startsWith(prefix))
        return false;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const QString name = QUrl::fromPercentEncoding(path.mid(prefix.size()).toUtf8());
    if (!m_reader)
        AdminApi::fail(exchange, 503, u"the request log is not open"_s);
    else if (path == "/api/baselines"_L1 && get)
        list(exchange);
    else if (path == "/api/baselines"_L1 && request.method == "POST")
        create(exchange);
    else if (path == "/api/baselines"_L1)
        AdminApi::fail(exchange, 405, u"/api/baselines accepts GET and POST"_s);
    else if (name.isEmpty() || name.contains(u'/'))
        AdminApi::fail(exchange, 404, u"no such baseline resource: %1"_s.arg(path), u"not_found"_s);
    else if (get)
        show(exchange, name);
    else if (request.method == "DELETE")
        remove(exchange, name);
    else
        AdminApi::fail(exchange, 405, u"%1 accepts GET and DELETE"_s.arg(path));
    return true;
}

void BaselinesApi::list(HttpExchange *exchange)
{
    m_reader->edit<Result<QList<BaselineInfo>>>(
        exchange, [](LogQueries &, BaselineStore &store) { return store.list(); },
        [exchange](const Result<QList<BaselineInfo>> &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, result.error().message);
            QJsonArray list;
            for (const BaselineInfo &info : result.value())
                list.append(infoJson(info));
            AdminApi::reply(exchange, 200, {{u"baselines"_s, list}});
        });
}

void BaselinesApi::create(HttpExchange *exchange)
{
    const Result<Creation> asked = readCreation(exchange->request().body);
    if (!asked)
        return AdminApi::fail(exchange, 400, asked.error().message);
    const Creation c = asked.value();
    m_reader->edit<Result<Created>>(
        exchange, [c](LogQueries &queries, BaselineStore &store) -> Result<Created> {
            const Result<std::optional<BaselineInfo>> existing = store.info(c.name);
            if (!existing)
                return existing.error();
            if (existing.value() && !c.append)
                return Created{409, {}};
            const Result<BaselineSelection> chosen = c.filter ? BaselineSelection::byFilter(queries, *c.filter)
                                                              : BaselineSelection::byIds(queries, c.ids);
            if (!chosen)
                return chosen.error();
            const BaselineSelection &selection = chosen.value();
            if (!c.filter && !selection.skipped.isEmpty()) // named one by one: each must be usable
                return Created{400, {{u"skipped"_s, skippedJson(selection.skipped)}}};
            if (selection.records.isEmpty())
                return Created{422, {{u"skipped"_s, skippedJson(selection.skipped)}}};
            const QString origin = !c.origin.isEmpty() ? c.origin
                                   : c.filter      ? c.filter->describe()
                                                   : u"%1 chosen requests"_s.arg(c.ids.size());
            const Result<int> added = store.add(c.name, existing.value() ? existing.value()->origin : origin, selection.records);
            if (!added)
                return added.error();
            const Result<std::optional<BaselineInfo>> info = store.info(c.name);
            if (!info || !info.value())
                return info ? Error{u"the baseline was not kept"_s} : info.error();
            QJsonObject body = infoJson(*info.value());
            body.insert(u"added"_s, added.value());
            body.insert(u"skipped"_s, skippedJson(selection.skipped));
            return Created{existing.value() ? 200 : 201, body};
        },
        [exchange, c](const Result<Created> &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, result.error().message);
            const Created &created = result.value();
            if (created.status == 409)
                return AdminApi::fail(exchange, 409, u"a baseline named \"%1\" exists (send \"append\": true to add to it)"_s.arg(c.name),
                                      u"exists"_s);
            if (created.status == 400 || created.status == 422) {
                QStringList reasons;
                for (const QJsonValue &s : created.body.value("skipped"_L1).toArray())
                    reasons << u"%1: %2"_s.arg(s["id"_L1].toString(), s["reason"_L1].toString());
                const QString message = created.status == 400 ? u"these requests cannot be in a baseline: "_s + reasons.join(u"; "_s)
                                                               : u"no request matched that can be in a baseline"_s
                                                                     + (reasons.isEmpty() ? QString() : u" ("_s + reasons.join(u"; "_s) + u")"_s);
                return AdminApi::fail(exchange, created.status, message);
            }
            AdminApi::reply(exchange, created.status, created.body);
        });
}

void BaselinesApi::show(HttpExchange *exchange, const QString &name)
{
    using Shown = Result<std::optional<std::pair<BaselineInfo, QList<CallRecord>>>>;
    m_reader->edit<Shown>(
        exchange, [name](LogQueries &, BaselineStore &store) -> Shown {
            const Result<std::optional<BaselineInfo>> info = store.info(name);
            if (!info)
                return info.error();
            if (!info.value())
                return std::optional<std::pair<BaselineInfo, QList<CallRecord>>>();
            const Result<QList<CallRecord>> requests = store.requests(name);
            if (!requests)
                return requests.error();
            return std::optional(std::pair(*info.value(), requests.value()));
        },
        [exchange, name](const Shown &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, result.error().message);
            if (!result.value())
                return AdminApi::fail(exchange, 404, u"no baseline named \"%1\""_s.arg(name), u"not_found"_s);
            QJsonObject body = infoJson(result.value()->first);
            QJsonArray requests;
            for (const CallRecord &r : result.value()->second) {
                QJsonObject item = RequestJson::summary(r);
                item.remove("attempts"_L1);
                requests.append(item);
            }
            body.insert(u"requests"_s, requests);
            AdminApi::reply(exchange, 200, body);
        });
}

void BaselinesApi::remove(HttpExchange *exchange, const QString &name)
{
    m_reader->edit<Result<bool>>(
        exchange, [name](LogQueries &, BaselineStore &store) { return store.remove(name); },
        [exchange, name](const Result<bool> &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, result.error().message);
            if (!result.value())
                return AdminApi::fail(exchange, 404, u"no baseline named \"%1\""_s.arg(name), u"not_found"_s);
            AdminApi::reply(exchange, 200, {{u"deleted"_s, name}});
        });
}

} // namespace Switchyard
