// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/EndpointDispatcher.h"
#include "core/admin/AdminApi.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpServer.h"
#include "core/http/JsonErrors.h"
#include "core/proxy/CallFinisher.h"
#include "core/sessions/SessionKey.h"
#include "core/proxy/EngineState.h"
#include "core/proxy/ProxyCall.h"
#include "core/proxy/RequestGuard.h"
#include "core/proxy/TokenEstimate.h"
#include "core/log/LogStats.h"
#include "core/telemetry/TelemetryStats.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrlQuery>

namespace Switchyard {

namespace {

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray errorBody(Dialect dialect, int status, const QString &message, const QString &code = QString())
{
    return dialect == Dialect::Anthropic ? JsonErrors::anthropic(status, message) : JsonErrors::openAi(status, message, code);
}

} // namespace

std::optional<ProxiedEndpoint> ProxiedEndpoint::forPath(QByteArrayView path)
{
    if (path == "/v1/chat/completions")
        return ProxiedEndpoint{Dialect::OpenAi, QStringLiteral("/chat/completions")};
    if (path == "/v1/embeddings")
        return ProxiedEndpoint{Dialect::OpenAi, QStringLiteral("/embeddings")};
    if (path == "/v1/responses")
        return ProxiedEndpoint{Dialect::OpenAi, QStringLiteral("/responses")};
    if (path == "/v1/messages")
        return ProxiedEndpoint{Dialect::Anthropic, QStringLiteral("/chat/completions")};
    if (path == "/v1/messages/count_tokens")
        return ProxiedEndpoint{Dialect::Anthropic, QStringLiteral("/messages/count_tokens")};
    return std::nullopt;
}

EndpointDispatcher::EndpointDispatcher(EngineState *state, CallFinisher *finisher, QObject *parent)
    : QObject(parent)
    , m_state(state)
    , m_finisher(finisher)
{
}

QString EndpointDispatcher::newRequestId()
{
    // Sortable by time: milliseconds, then randomness against collisions.
    return QStringLiteral("req_%1%2")
        .arg(QDateTime::currentMSecsSinceEpoch(), 12, 16, QLatin1Char('0'))
        .arg(QRandomGenerator::global()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
}

ProxyContext EndpointDispatcher::context() const
{
    ProxyContext c;
    c.config = m_state->config;
    c.client = m_client;
    c.health = &m_state->health;
    c.apiKeys = m_state->apiKeys;
    c.masker = m_state->masker;
    c.maxLoggedBodyBytes = qint64(m_state->config->log.maxBodyKib) * 1024;
    return c;
}

void EndpointDispatcher::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const Config &config = *m_state->config;
    exchange->addResponseHeader("x-switchyard-request-id", newRequestId().toLatin1());
    if (const auto rejection = RequestGuard::check(request, config.listen, m_server->address().toString(), m_server->port())) {
        const Dialect dialect = request.path.startsWith("/v1/messages") ? Dialect::Anthropic : Dialect::OpenAi;
        exchange->respondJson(rejection->status, errorBody(dialect, rejection->status, rejection->message));
        return;
    }
    for (const auto &[name, value] : RequestGuard::corsHeaders(request, config.listen))
        exchange->addResponseHeader(name, value);
    if (RequestGuard::isPreflight(request)) {
        exchange->respond(204, HttpHeaders(), QByteArray());
        return;
    }
    const bool get = request.method == "GET" || request.method == "HEAD";
    const QByteArray &path = request.path;
    const std::optional<ProxiedEndpoint> proxied = ProxiedEndpoint::forPath(path);
    if (proxied && request.method == "POST") {
        m_finisher->lookUpClient(request, m_server->address());
        dispatch(exchange, *proxied, newRecord(exchange), [this](const CallRecord &r) { m_finisher->finish(r); });
    } else if (path == "/health" && get) {
        exchange->respondJson(200, QByteArrayLiteral(R"({"status":"ok"})"));
    } else if (path == "/v1/models" && get) {
        handleModels(exchange);
    } else if (path == "/api/route" && get) {
        handleRoute(exchange);
    } else if (path == "/metrics" && get) {
        m_state->metrics.setInFlight(m_state->inFlight);
        HttpHeaders headers;
        headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange->respond(200, headers, m_state->metrics.prometheusText() + LogStats::instance().prometheusText()
                                            + TelemetryStats::instance().prometheusText());
    } else if (path.startsWith("/api/") && m_admin->handle(exchange)) {
        return;
    } else if (proxied || path == "/health" || path == "/v1/models" || path == "/api/route" || path == "/metrics") {
        exchange->respondJson(405, JsonErrors::openAi(405, QStringLiteral("%1 does not accept %2")
                                                               .arg(QString::fromUtf8(path), QString::fromLatin1(request.method))));
    } else {
        exchange->respondJson(404, JsonErrors::openAi(404, QStringLiteral("no endpoint %1 %2; see the README for the API")
                                                               .arg(QString::fromLatin1(request.method), QString::fromUtf8(path)),
                                                      QStringLiteral("unknown_endpoint")));
    }
}

CallRecord EndpointDispatcher::newRecord(const HttpExchange *exchange) const
{
    const HttpRequest &request = exchange->request();
    const qint64 cap = qint64(m_state->config->log.maxBodyKib) * 1024;
    CallRecord record;
    record.id = QString::fromLatin1(exchange->responseHeader("x-switchyard-request-id"));
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.endpoint = QString::fromUtf8(request.path);
    record.client = QString::fromUtf8(request.headers.value("user-agent"));
    record.connectionId = request.connectionId;
    record.requestHeaders = m_state->masker->masked(request.headers);
    record.requestBody = m_state->masker->masked(request.body.left(cap));
    record.requestBodyTruncated = request.body.size() > cap;
    return record;
}

void EndpointDispatcher::dispatch(HttpExchange *exchange, const ProxiedEndpoint &endpoint, CallRecord record, const Done &done)
{
    Result<OpenAiBody> body = OpenAiBody::parse(exchange->request().body);
    if (!body)
        return rejectCall(exchange, endpoint.dialect, record, 400, ErrorClass::BadRequest, body.error().message, done);
    record.requestedModel = body.value().model();
    record.stream = body.value().stream();
    Result<RoutePlan> plan = RoutePlanner::plan(*m_state->config, body.value().model(), m_state->health,
                                                QDateTime::currentMSecsSinceEpoch(), m_state->random);
    if (!plan)
        return rejectCall(exchange, endpoint.dialect, record, 404, ErrorClass::UnknownModel, plan.error().message, done);
    record.alias = plan.value().alias;
    // Sticky aliases: the session named in the headers (an O(1) look-up) stays where it was.
    const QByteArray session = plan.value().stickySession ? SessionKey::headerId(exchange->request().headers) : QByteArray();
    if (!session.isEmpty()) {
        if (const auto previous = m_state->affinity->target(session, QDateTime::currentMSecsSinceEpoch()))
            RoutePlanner::keepSessionOn(plan.value(), previous->provider, previous->model);
    }
    if (endpoint.upstreamPath.endsWith(QLatin1String("/count_tokens"))) {
        // Counted by Anthropic targets; anything else gets the estimate, which is not a call.
        const auto first = std::find_if(plan.value().candidates.cbegin(), plan.value().candidates.cend(),
                                        [](const RouteCandidate &c) { return !c.skip; });
        if (first == plan.value().candidates.cend() || first->provider.kind != ProviderKind::Anthropic) {
            exchange->addResponseHeader("x-switchyard-estimate", "chars/4");
            exchange->respondJson(200, json({{QStringLiteral("input_tokens"), TokenEstimate::ofMessages(exchange->request().body)}}));
            return;
        }
    }
    ++m_state->inFlight;
    m_finisher->noteStarted(record);
    auto *call = new ProxyCall(exchange, context(), std::move(plan).value(), endpoint.dialect, std::move(body).value(),
                               endpoint.upstreamPath, std::move(record), this);
    connect(call, &ProxyCall::progressed, m_finisher, &CallFinisher::noteStarted);
    connect(call, &ProxyCall::finished, this, [this, done, session](const CallRecord &r) {
        --m_state->inFlight;
        if (!session.isEmpty() && r.ok)
            m_state->affinity->remember(session, r.provider, r.model, QDateTime::currentMSecsSinceEpoch());
        done(r);
    });
    call->start();
}

void EndpointDispatcher::rejectCall(HttpExchange *exchange, Dialect dialect, CallRecord record, int status, ErrorClass errorClass,
                                    const QString &message, const Done &done)
{
    const QByteArray body = errorBody(dialect, status, message, errorClassName(errorClass));
    exchange->respondJson(status, body);
    record.status = status;
    record.errorClass = errorClass;
    record.errorMessage = message;
    record.responseBody = body;
    done(record);
}

void EndpointDispatcher::handleModels(HttpExchange *exchange)
{
    QJsonArray data;
    QSet<QString> seen;
    auto add = [&](const QString &id, const QString &owner) {
        if (seen.contains(id))
            return;
        seen.insert(id);
        data.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), 0}, {QStringLiteral("owned_by"), owner}});
    };
    for (const AliasConfig &a : m_state->config->aliases)
        add(a.name, QStringLiteral("switchyard"));
    for (const AliasConfig &a : m_state->config->aliases) {
        for (const TargetConfig &t : a.targets)
            add(t.provider + QLatin1Char('/') + t.model, t.provider);
    }
    exchange->respondJson(200, json({{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}}));
}

void EndpointDispatcher::handleRoute(HttpExchange *exchange)
{
    const QString model = QUrlQuery(QString::fromUtf8(exchange->request().query)).queryItemValue(QStringLiteral("model"), QUrl::FullyDecoded);
    if (model.isEmpty()) {
        exchange->respondJson(400, JsonErrors::openAi(400, QStringLiteral("give the model to explain: /api/route?model=NAME")));
        return;
    }
    // A copy of the generator: explaining a weighted route must not change the next draw.
    QRandomGenerator random = m_state->random;
    const Result<RoutePlan> plan = RoutePlanner::plan(*m_state->config, model, m_state->health, QDateTime::currentMSecsSinceEpoch(), random);
    if (!plan) {
        exchange->respondJson(404, JsonErrors::openAi(404, plan.error().message, errorClassName(ErrorClass::UnknownModel)));
        return;
    }
    exchange->respondJson(200, json(plan.value().toJson()));
}

} // namespace Switchyard
