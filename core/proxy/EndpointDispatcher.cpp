// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/EndpointDispatcher.h"
#include "core/admin/AdminApi.h"
#include "core/http/HttpExchange.h"
#include "core/http/JsonErrors.h"
#include "core/proxy/CallFinisher.h"
#include "core/sessions/SessionKey.h"
#include "core/proxy/EngineState.h"
#include "core/proxy/ProxyCall.h"
#include "core/proxy/RequestForwarder.h"
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

ProxyContext EndpointDispatcher::context(const std::shared_ptr<const EngineSnapshot> &snapshot) const
{
    ProxyContext c;
    c.config = snapshot->config;
    c.client = m_client;
    c.health = &m_state->health;
    c.apiKeys = snapshot->apiKeys;
    c.masker = snapshot->masker;
    c.maxLoggedBodyBytes = qint64(snapshot->config->log.maxBodyKib) * 1024;
    return c;
}

void EndpointDispatcher::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const std::optional<ProxiedEndpoint> proxied = ProxiedEndpoint::forPath(request.path);
    // A worker serves calls and /health itself; the coordinator answers the rest for the gateway.
    if (m_forwarder && !(proxied && request.method == "POST") && request.path != "/health") {
        m_forwarder->forward(exchange, this);
        return;
    }
    const std::shared_ptr<const EngineSnapshot> snapshot = m_state->snapshot();
    const Config &config = *snapshot->config;
    exchange->addResponseHeader("x-switchyard-request-id", newRequestId().toLatin1());
    if (const auto rejection = RequestGuard::check(request, config.listen, m_address.toString(), m_port)) {
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
    if (proxied && request.method == "POST") {
        if (m_workerIndex >= 0)
            m_state->callsByWorker.at(size_t(m_workerIndex)).fetch_add(1, std::memory_order_relaxed);
        m_finisher->lookUpClient(request, m_address);
        dispatch(exchange, *proxied, newRecord(exchange), [this](const CallRecord &r) { m_finisher->submit(r); });
    } else if (path == "/health" && get) {
        // Serving goes on while the log's database is away: the status stays ok, the log says why.
        exchange->respondJson(200, QByteArrayLiteral(R"({"status":"ok","log":)") + LogStats::instance().healthJson() + '}');
    } else if (path == "/v1/models" && get) {
        handleModels(exchange);
    } else if (path == "/api/route" && get) {
        handleRoute(exchange);
    } else if (path == "/metrics" && get) {
        handleMetrics(exchange);
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
    const std::shared_ptr<const EngineSnapshot> snapshot = m_state->snapshot();
    const qint64 cap = qint64(snapshot->config->log.maxBodyKib) * 1024;
    CallRecord record;
    record.id = QString::fromLatin1(exchange->responseHeader("x-switchyard-request-id"));
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.endpoint = QString::fromUtf8(request.path);
    record.client = QString::fromUtf8(request.headers.value("user-agent"));
    record.connectionId = request.connectionId;
    record.requestHeaders = snapshot->masker->masked(request.headers);
    record.requestBody = snapshot->masker->masked(request.body.left(cap));
    record.requestBodyTruncated = request.body.size() > cap;
    return record;
}

void EndpointDispatcher::dispatch(HttpExchange *exchange, const ProxiedEndpoint &endpoint, CallRecord record, const Done &done)
{
    const std::shared_ptr<const EngineSnapshot> snapshot = m_state->snapshot();
    Result<OpenAiBody> body = OpenAiBody::parse(exchange->request().body);
    if (!body)
        return rejectCall(exchange, endpoint.dialect, record, 400, ErrorClass::BadRequest, body.error().message, done);
    record.requestedModel = body.value().model();
    record.stream = body.value().stream();
    Result<RoutePlan> plan = RoutePlanner::plan(*snapshot->config, body.value().model(), m_state->health,
                                                QDateTime::currentMSecsSinceEpoch(), m_random);
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
    m_state->inFlight.fetch_add(1, std::memory_order_relaxed);
    m_finisher->noteStarted(record);
    auto *call = new ProxyCall(exchange, context(snapshot), std::move(plan).value(), endpoint.dialect, std::move(body).value(),
                               endpoint.upstreamPath, std::move(record), this);
    connect(call, &ProxyCall::progressed, m_finisher, &CallFinisher::noteStarted);
    if (!session.isEmpty()) {
        // Remembered before the client sees the answer, so its next turn (perhaps on another
        // worker) already finds where this one went.
        connect(call, &ProxyCall::progressed, this, [this, session](const CallRecord &r) {
            if (r.ttftMs)
                m_state->affinity->remember(session, r.provider, r.model, QDateTime::currentMSecsSinceEpoch());
        });
    }
    connect(call, &ProxyCall::finished, this, [this, done](const CallRecord &r) {
        m_state->inFlight.fetch_sub(1, std::memory_order_relaxed);
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
    const std::shared_ptr<const EngineSnapshot> snapshot = m_state->snapshot();
    for (const AliasConfig &a : snapshot->config->aliases)
        add(a.name, QStringLiteral("switchyard"));
    for (const AliasConfig &a : snapshot->config->aliases) {
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
    const Result<RoutePlan> plan = explain(model);
    if (!plan) {
        exchange->respondJson(404, JsonErrors::openAi(404, plan.error().message, errorClassName(ErrorClass::UnknownModel)));
        return;
    }
    exchange->respondJson(200, json(plan.value().toJson()));
}

Result<RoutePlan> EndpointDispatcher::explain(const QString &model) const
{
    QRandomGenerator random = m_random; // a copy: explaining must not change the next draw
    return RoutePlanner::plan(*m_state->snapshot()->config, model, m_state->health, QDateTime::currentMSecsSinceEpoch(), random);
}

void EndpointDispatcher::handleMetrics(HttpExchange *exchange)
{
    Q_ASSERT(!m_forwarder); // the coordinator's: the metrics are counted on its thread
    Metrics &metrics = m_finisher->metrics();
    metrics.setInFlight(m_state->inFlight.load(std::memory_order_relaxed));
    QByteArray text = metrics.prometheusText();
    text += "# HELP switchyard_worker_calls_total Proxied calls taken on by each proxy worker thread.\n"
            "# TYPE switchyard_worker_calls_total counter\n";
    for (int i = 0; i < m_state->workers.load(); ++i) {
        text += "switchyard_worker_calls_total{worker=\"" + QByteArray::number(i) + "\"} "
                + QByteArray::number(m_state->callsByWorker.at(size_t(i)).load(std::memory_order_relaxed)) + '\n';
    }
    HttpHeaders headers;
    headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange->respond(200, headers, text + LogStats::instance().prometheusText() + TelemetryStats::instance().prometheusText());
}

} // namespace Switchyard
