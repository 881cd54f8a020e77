// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/SessionsApi.h"
#include "core/admin/AdminApi.h"
#include "core/admin/SessionJson.h"
#include "core/http/HttpExchange.h"
#include "core/log/LogReader.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// The prices in force: the shipped table with the config's overrides, copied for the reply.
PriceTable pricesOf(const AdminBackend *backend)
{
    PriceTable prices = PriceTable::builtIn();
    prices.applyOverrides(backend->currentConfig().pricing);
    return prices;
}

} // namespace

SessionsApi::SessionsApi(AdminBackend *backend, LogReader *reader)
    : m_backend(backend)
    , m_reader(reader)
{
}

bool SessionsApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QString path = QString::fromUtf8(request.path);
    static const QString prefix = u"/api/sessions/"_s;
    if (path != "/api/sessions"_L1 && !path.startsWith(prefix))
        return false;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (!get)
        AdminApi::fail(exchange, 405, u"%1 accepts GET only"_s.arg(path));
    else if (!m_reader)
        AdminApi::fail(exchange, 503, u"the request log is not open"_s);
    else if (path == "/api/sessions"_L1)
        list(exchange);
    else if (const QString id = QUrl::fromPercentEncoding(path.mid(prefix.size()).toUtf8()); !id.isEmpty() && !id.contains(u'/'))
        show(exchange, id);
    else
        AdminApi::fail(exchange, 404, u"no such session resource: %1"_s.arg(path), u"not_found"_s);
    return true;
}

void SessionsApi::list(HttpExchange *exchange)
{
    const QUrlQuery query(QString::fromUtf8(exchange->request().query));
    auto item = [&](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    SessionFilter filter;
    filter.sinceMs = QDateTime::currentMSecsSinceEpoch() - 24LL * 3600 * 1000; // the last day unless told
    if (!item("since").isEmpty()) {
        const std::optional<qint64> since = AdminApi::parseTime(item("since"));
        if (!since)
            return AdminApi::fail(exchange, 400, u"since must be an ISO-8601 time or milliseconds since the epoch"_s);
        filter.sinceMs = *since;
    }
    bool ok = true;
    if (!item("limit").isEmpty())
        filter.limit = item("limit").toInt(&ok);
    if (!ok || filter.limit < 1 || filter.limit > 1000)
        return AdminApi::fail(exchange, 400, u"limit must be an integer from 1 to 1000"_s);
    filter.client = item("client");
    filter.project = item("project");
    const PriceTable prices = pricesOf(m_backend);
    m_reader->query<Result<QList<SessionSummary>>>(
        exchange, [filter](LogQueries &q) { return SessionQueries::list(q, filter); },
        [exchange, prices](const Result<QList<SessionSummary>> &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, u"reading the request log failed: "_s + result.error().message);
            QJsonArray sessions;
            for (const SessionSummary &s : result.value())
                sessions.append(SessionJson::summary(s, prices));
            exchange->respondJson(200, QJsonDocument(QJsonObject{{u"sessions"_s, sessions}}).toJson(QJsonDocument::Compact));
        });
}

void SessionsApi::show(HttpExchange *exchange, const QString &id)
{
    const PriceTable prices = pricesOf(m_backend);
    // Bodies are read and diagnosed on the reader's thread; only the JSON comes back.
    m_reader->query<Result<QByteArray>>(
        exchange,
        [id, prices](LogQueries &q) -> Result<QByteArray> {
            SessionTimeline::Builder timeline;
            const Result<qint64> total = SessionQueries::forEachCall(q, id, SessionTimeline::MaxTurns,
                                                                     [&timeline](const CallRecord &c) { timeline.add(c); });
            if (!total)
                return total.error();
            if (total.value() == 0)
                return QByteArray();
            QJsonObject detail = SessionJson::detail(id, timeline.take(), prices);
            // A long session shows its latest turns; the sums of GET /api/sessions cover them all.
            detail.insert(u"turns_total"_s, total.value());
            return QJsonDocument(detail).toJson(QJsonDocument::Compact);
        },
        [exchange, id](const Result<QByteArray> &result) {
            if (!result)
                return AdminApi::fail(exchange, 500, u"reading the request log failed: "_s + result.error().message);
            if (result.value().isEmpty())
                return AdminApi::fail(exchange, 404, u"no session %1 in the log"_s.arg(id), u"not_found"_s);
            exchange->respondJson(200, result.value());
        });
}

} // namespace Switchyard
