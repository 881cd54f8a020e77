// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ReplayRunner.h"
#include "core/admin/RequestJson.h"
#include "core/http/HttpExchange.h"
#include "core/http/JsonErrors.h"
#include "core/log/LogReader.h"
#include "core/proxy/CallFinisher.h"
#include "core/proxy/EndpointDispatcher.h"
#include "core/secrets/SecretMasker.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

namespace Switchyard {

ReplayRunner::ReplayRunner(EndpointDispatcher *dispatcher, CallFinisher *finisher, QObject *parent)
    : QObject(parent)
    , m_dispatcher(dispatcher)
    , m_finisher(finisher)
{
}

void ReplayRunner::run(const QString &endpoint, const QByteArray &body, const HttpHeaders &headers, const CallRecord &seed,
                       const Done &done)
{
    send(m_dispatcher, m_finisher, this, endpoint, body, headers, seed, done);
}

HttpExchange *ReplayRunner::send(EndpointDispatcher *dispatcher, CallFinisher *finisher, QObject *parent,
                                 const QString &endpoint, const QByteArray &body, const HttpHeaders &headers,
                                 const CallRecord &seed, const Done &done)
{
    HttpRequest request;
    request.method = "POST";
    request.path = endpoint.toUtf8();
    request.target = request.path;
    request.body = body;
    for (const auto &[name, value] : headers) {
        if (!SecretMasker::isCredentialHeader(name) && name.compare("content-length", Qt::CaseInsensitive) != 0)
            request.headers.add(name, value);
    }
    auto *sink = new HttpExchange(std::move(request), nullptr, parent);
    sink->addResponseHeader("x-switchyard-request-id", EndpointDispatcher::newRequestId().toLatin1());
    CallRecord record = dispatcher->newRecord(sink);
    record.replayOf = seed.replayOf;
    record.evaluationId = seed.evaluationId;
    record.client = seed.client.isEmpty() ? QStringLiteral("switchyard") : seed.client;
    record.clientProcess = seed.clientProcess;
    record.project = seed.project;
    // `request` was moved into the sink: read the path back from there.
    const ProxiedEndpoint proxied = ProxiedEndpoint::forPath(sink->request().path).value_or(ProxiedEndpoint{});
    dispatcher->dispatch(sink, proxied, record, [finisher, sink, done](const CallRecord &r) {
        const CallRecord logged = finisher->finish(r);
        sink->deleteLater();
        done(logged);
    });
    return sink;
}

void ReplayRunner::replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body)
{
    if (!ProxiedEndpoint::forPath(original.endpoint.toUtf8())) {
        exchange->respondJson(400, JsonErrors::openAi(400, QStringLiteral("requests to %1 cannot be replayed").arg(original.endpoint)));
        return;
    }
    CallRecord seed = original;
    seed.replayOf = original.id;
    QPointer<HttpExchange> admin(exchange);
    run(original.endpoint, body, original.requestHeaders, seed, [admin](const CallRecord &logged) {
        if (admin)
            admin->respondJson(200, QJsonDocument(RequestJson::detail(logged)).toJson(QJsonDocument::Compact));
    });
}

void ReplayRunner::replayLogged(const QString &id, const QByteArray &body, quint64 ticket)
{
    if (!m_reader) {
        Q_EMIT replayFinished(ticket, CallRecord(), QStringLiteral("the request log is not open"));
        return;
    }
    m_reader->query<Result<CallRecord>>(
        this, [id](LogQueries &q) { return q.request(id); },
        [this, id, body, ticket](const Result<CallRecord> &found) {
            if (!found || found.value().id.isEmpty()) {
                Q_EMIT replayFinished(ticket, CallRecord(), found ? QStringLiteral("no request %1 in the log").arg(id) : found.error().message);
                return;
            }
            const CallRecord &original = found.value();
            if (!ProxiedEndpoint::forPath(original.endpoint.toUtf8())) {
                Q_EMIT replayFinished(ticket, CallRecord(), QStringLiteral("requests to %1 cannot be replayed").arg(original.endpoint));
                return;
            }
            CallRecord seed = original;
            seed.replayOf = original.id;
            run(original.endpoint, body.isEmpty() ? original.requestBody : body, original.requestHeaders, seed,
                [this, ticket](const CallRecord &logged) { Q_EMIT replayFinished(ticket, logged, QString()); });
        });
}

void ReplayRunner::testRoute(const QString &alias, quint64 ticket)
{
    const QJsonObject body{{QStringLiteral("model"), alias},
                           {QStringLiteral("max_tokens"), 8},
                           {QStringLiteral("messages"), QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                                               {QStringLiteral("content"), QStringLiteral("Reply with the word: ok")}}}}};
    CallRecord seed;
    seed.client = QStringLiteral("switchyard test route");
    run(QStringLiteral("/v1/chat/completions"), QJsonDocument(body).toJson(QJsonDocument::Compact), HttpHeaders(), seed,
        [this, ticket](const CallRecord &logged) { Q_EMIT routeTested(ticket, logged); });
}

} // namespace Switchyard
