// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/EvaluationsApi.h"
#include "core/admin/AdminApi.h"
#include "core/eval/Evaluations.h"
#include "core/http/HttpExchange.h"
#include "core/log/LogReader.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrlQuery>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

Result<EvaluationProposal> readProposal(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return Error{u"the body must be a JSON object: {\"baseline\", \"alias\": {\"targets\": [...]}}"_s};
    const QJsonObject o = doc.object();
    EvaluationProposal p;
    p.baseline = o.value("baseline"_L1).toString();
    if (p.baseline.isEmpty())
        return Error{u"baseline: the name of a baseline is needed"_s};
    if (!o.value("alias"_L1).isObject())
        return Error{u"alias: an alias object as in the config is needed ({\"targets\": [{\"provider\", \"model\"}]})"_s};
    p.alias = o.value("alias"_L1).toObject();
    if (o.contains("concurrency"_L1))
        p.concurrency = o.value("concurrency"_L1).toInt(0);
    return p;
}

void refuse(HttpExchange *exchange, const EvaluationRefusal &refusal)
{
    AdminApi::fail(exchange, refusal.status, refusal.messages.join(u"; "_s));
}

QJsonObject withoutResults(QJsonObject report)
{
    report.remove("results"_L1);
    return report;
}

} // namespace

EvaluationsApi::EvaluationsApi(AdminBackend *backend, LogReader *reader)
    : m_backend(backend)
    , m_reader(reader)
{
}

bool EvaluationsApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QString path = QString::fromUtf8(request.path);
    static const QString prefix = u"/api/evaluations/"_s;
    if (path != "/api/evaluations"_L1 && !path.startsWith(prefix))
        return false;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const QString id = QUrl::fromPercentEncoding(path.mid(prefix.size()).toUtf8());
    if (path == "/api/evaluations"_L1 && request.method == "POST")
        start(exchange, false);
    else if (path == "/api/evaluations/estimate"_L1 && request.method == "POST")
        start(exchange, true);
    else if (path == "/api/evaluations"_L1 && get)
        list(exchange);
    else if (path == "/api/evaluations"_L1 || path == "/api/evaluations/estimate"_L1)
        AdminApi::fail(exchange, 405, u"%1 does not accept %2"_s.arg(path, QString::fromLatin1(request.method)));
    else if (id.isEmpty() || id.contains(u'/'))
        AdminApi::fail(exchange, 404, u"no such evaluation resource: %1"_s.arg(path), u"not_found"_s);
    else if (get)
        show(exchange, id);
    else if (request.method == "DELETE")
        cancel(exchange, id);
    else
        AdminApi::fail(exchange, 405, u"%1 accepts GET and DELETE"_s.arg(path));
    return true;
}

void EvaluationsApi::start(HttpExchange *exchange, bool estimateOnly)
{
    const Result<EvaluationProposal> proposal = readProposal(exchange->request().body);
    if (!proposal)
        return AdminApi::fail(exchange, 400, proposal.error().message);
    Evaluations &evaluations = m_backend->evaluations();
    if (estimateOnly) {
        evaluations.estimate(proposal.value(), exchange, [exchange](const Result<CostEstimate, EvaluationRefusal> &estimate) {
            if (!estimate)
                return refuse(exchange, estimate.error());
            AdminApi::reply(exchange, 200, {{u"estimate"_s, estimate.value().toJson()}});
        });
        return;
    }
    evaluations.start(proposal.value(), exchange, [exchange](const Result<QJsonObject, EvaluationRefusal> &started) {
        if (!started)
            return refuse(exchange, started.error());
        AdminApi::reply(exchange, 202, started.value());
    });
}

void EvaluationsApi::list(HttpExchange *exchange)
{
    const QList<QJsonObject> recent = m_backend->evaluations().recent();
    if (!m_reader) {
        QJsonArray list;
        for (const QJsonObject &r : recent)
            list.append(r);
        return AdminApi::reply(exchange, 200, {{u"evaluations"_s, list}});
    }
    m_reader->edit<Result<QList<QByteArray>>>(
        exchange, [](LogQueries &, BaselineStore &store) { return store.evaluations(50); },
        [exchange, recent](const Result<QList<QByteArray>> &stored) {
            if (!stored)
                return AdminApi::fail(exchange, 500, stored.error().message);
            QJsonArray list;
            QSet<QString> listed;
            for (const QJsonObject &r : recent) {
                list.append(r);
                listed.insert(r.value("id"_L1).toString());
            }
            for (const QByteArray &report : stored.value()) {
                const QJsonObject r = QJsonDocument::fromJson(report).object();
                if (!listed.contains(r.value("id"_L1).toString()))
                    list.append(withoutResults(r));
            }
            AdminApi::reply(exchange, 200, {{u"evaluations"_s, list}});
        });
}

void EvaluationsApi::show(HttpExchange *exchange, const QString &id)
{
    const QUrlQuery query(QString::fromUtf8(exchange->request().query));
    const QString results = query.queryItemValue(u"results"_s);
    if (!results.isEmpty() && results != "true"_L1 && results != "false"_L1)
        return AdminApi::fail(exchange, 400, u"results must be true or false"_s);
    const bool withResults = results != "false"_L1;
    if (const std::optional<QJsonObject> known = m_backend->evaluations().report(id, withResults))
        return AdminApi::reply(exchange, 200, *known);
    if (!m_reader)
        return AdminApi::fail(exchange, 404, u"no evaluation %1"_s.arg(id), u"not_found"_s);
    m_reader->edit<Result<QByteArray>>(
        exchange, [id](LogQueries &, BaselineStore &store) { return store.evaluation(id); },
        [exchange, id, withResults](const Result<QByteArray> &stored) {
            if (!stored)
                return AdminApi::fail(exchange, 500, stored.error().message);
            if (stored.value().isEmpty())
                return AdminApi::fail(exchange, 404, u"no evaluation %1"_s.arg(id), u"not_found"_s);
            const QJsonObject report = QJsonDocument::fromJson(stored.value()).object();
            AdminApi::reply(exchange, 200, withResults ? report : withoutResults(report));
        });
}

void EvaluationsApi::cancel(HttpExchange *exchange, const QString &id)
{
    Evaluations &evaluations = m_backend->evaluations();
    if (evaluations.cancel(id))
        return AdminApi::reply(exchange, 200, evaluations.report(id, false).value_or(QJsonObject()));
    if (evaluations.report(id, false))
        return AdminApi::fail(exchange, 409, u"evaluation %1 is not running"_s.arg(id));
    AdminApi::fail(exchange, 404, u"no running evaluation %1"_s.arg(id), u"not_found"_s);
}

} // namespace Switchyard
