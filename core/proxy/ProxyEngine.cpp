// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyEngine.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpServer.h"
#include "core/http/JsonErrors.h"
#include "core/proxy/ProxyCall.h"
#include "core/upstream/UpstreamClient.h"
#include "core/util/SecretMasker.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrlQuery>

namespace Switchyard {

namespace {

QString newRequestId()
{
    // Sortable by time: milliseconds, then randomness against collisions.
    return QStringLiteral("req_%1%2")
        .arg(QDateTime::currentMSecsSinceEpoch(), 12, 16, QLatin1Char('0'))
        .arg(QRandomGenerator::global()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

ProxyEngine::ProxyEngine(QObject *parent)
    : QObject(parent)
    , m_random(QRandomGenerator::securelySeeded())
    , m_batchTimer(new QTimer(this))
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
    m_batchTimer->setSingleShot(true);
    connect(m_batchTimer, &QTimer::timeout, this, &ProxyEngine::flushRecords);
}

ProxyEngine::~ProxyEngine()
{
    stop();
}

void ProxyEngine::start(const Config &config)
{
    applyConfig(config);
    if (!m_client)
        m_client = new UpstreamClient(this);
    if (!m_server)
        m_server = new HttpServer(this, this);
    m_server->setLimits(config.limits);
    const Result<bool> listening = m_server->listen(config.listen.host, config.listen.port);
    if (!listening) {
        Q_EMIT startFailed(listening.error().message);
        return;
    }
    QString host = m_server->address().toString();
    if (m_server->address().protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    Q_EMIT started(QStringLiteral("http://%1:%2").arg(host).arg(m_server->port()));
}

void ProxyEngine::applyConfig(const Config &config)
{
    m_config = std::make_shared<const Config>(config);
    m_apiKeys.clear();
    for (const ProviderConfig &p : config.providers) {
        const QByteArray key = p.apiKey.isEmpty() ? qgetenv(p.apiKeyEnv.toLocal8Bit().constData()) : p.apiKey.toUtf8();
        if (!key.isEmpty())
            m_apiKeys.insert(p.name, key);
    }
    if (m_server)
        m_server->setLimits(config.limits);
    Q_EMIT configApplied();
}

void ProxyEngine::stop()
{
    flushRecords();
    delete m_server; // closes client connections; their calls cancel their upstream requests
    m_server = nullptr;
    delete m_client;
    m_client = nullptr;
}

ProxyContext ProxyEngine::context() const
{
    ProxyContext c;
    c.config = m_config;
    c.client = m_client;
    c.health = const_cast<TargetHealth *>(&m_health);
    c.apiKeys = m_apiKeys;
    return c;
}

void ProxyEngine::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    exchange->addResponseHeader("x-switchyard-request-id", newRequestId().toLatin1());
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    const QByteArray &path = request.path;
    if (path == "/health" && get) {
        exchange->respondJson(200, QByteArrayLiteral(R"({"status":"ok"})"));
    } else if (path == "/v1/chat/completions" && post) {
        handleProxied(exchange, QStringLiteral("/chat/completions"));
    } else if (path == "/v1/embeddings" && post) {
        handleProxied(exchange, QStringLiteral("/embeddings"));
    } else if (path == "/v1/models" && get) {
        handleModels(exchange);
    } else if (path == "/api/route" && get) {
        handleRoute(exchange);
    } else if (path == "/health" || path == "/v1/chat/completions" || path == "/v1/embeddings" || path == "/v1/models"
               || path == "/api/route") {
        exchange->respondJson(405, JsonErrors::openAi(405, QStringLiteral("%1 does not accept %2")
                                                               .arg(QString::fromUtf8(path), QString::fromLatin1(request.method))));
    } else {
        exchange->respondJson(404, JsonErrors::openAi(404, QStringLiteral("no endpoint %1 %2; see the README for the API")
                                                               .arg(QString::fromLatin1(request.method), QString::fromUtf8(path)),
                                                      QStringLiteral("unknown_endpoint")));
    }
}

CallRecord ProxyEngine::newRecord(const HttpExchange *exchange) const
{
    const HttpRequest &request = exchange->request();
    CallRecord record;
    record.id = QString::fromLatin1(exchange->responseHeader("x-switchyard-request-id"));
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.endpoint = QString::fromUtf8(request.path);
    record.client = QString::fromUtf8(request.headers.value("user-agent"));
    SecretMasker masker(m_apiKeys.values());
    record.requestHeaders = masker.masked(request.headers);
    record.requestBody = masker.masked(request.body.left(256 * 1024));
    record.requestBodyTruncated = request.body.size() > 256 * 1024;
    return record;
}

void ProxyEngine::handleProxied(HttpExchange *exchange, const QString &upstreamPath)
{
    CallRecord record = newRecord(exchange);
    Result<OpenAiBody> body = OpenAiBody::parse(exchange->request().body);
    if (!body) {
        rejectCall(exchange, record, 400, ErrorClass::BadRequest, body.error().message);
        return;
    }
    record.requestedModel = body.value().model();
    record.stream = body.value().stream();
    Result<RoutePlan> plan = RoutePlanner::plan(*m_config, body.value().model(), m_health,
                                                QDateTime::currentMSecsSinceEpoch(), m_random);
    if (!plan) {
        rejectCall(exchange, record, 404, ErrorClass::UnknownModel, plan.error().message);
        return;
    }
    record.alias = plan.value().alias;
    auto *call = new ProxyCall(exchange, context(), std::move(plan).value(), std::move(body).value(), upstreamPath,
                               std::move(record), this);
    connect(call, &ProxyCall::finished, this, &ProxyEngine::recordFinished);
    call->start();
}

void ProxyEngine::rejectCall(HttpExchange *exchange, CallRecord record, int status, ErrorClass errorClass, const QString &message)
{
    const QByteArray body = JsonErrors::openAi(status, message, errorClassName(errorClass));
    exchange->respondJson(status, body);
    record.status = status;
    record.errorClass = errorClass;
    record.errorMessage = message;
    record.responseBody = body;
    recordFinished(record);
}

void ProxyEngine::handleModels(HttpExchange *exchange)
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
    for (const AliasConfig &a : m_config->aliases)
        add(a.name, QStringLiteral("switchyard"));
    for (const AliasConfig &a : m_config->aliases) {
        for (const TargetConfig &t : a.targets)
            add(t.provider + QLatin1Char('/') + t.model, t.provider);
    }
    exchange->respondJson(200, json({{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}}));
}

void ProxyEngine::handleRoute(HttpExchange *exchange)
{
    const QString model = QUrlQuery(QString::fromUtf8(exchange->request().query)).queryItemValue(QStringLiteral("model"), QUrl::FullyDecoded);
    if (model.isEmpty()) {
        exchange->respondJson(400, JsonErrors::openAi(400, QStringLiteral("give the model to explain: /api/route?model=NAME")));
        return;
    }
    // A copy of the generator: explaining a weighted route must not change the next draw.
    QRandomGenerator random = m_random;
    const Result<RoutePlan> plan = RoutePlanner::plan(*m_config, model, m_health, QDateTime::currentMSecsSinceEpoch(), random);
    if (!plan) {
        exchange->respondJson(404, JsonErrors::openAi(404, plan.error().message, errorClassName(ErrorClass::UnknownModel)));
        return;
    }
    exchange->respondJson(200, json(plan.value().toJson()));
}

void ProxyEngine::recordFinished(const CallRecord &record)
{
    m_pending.append(record);
    if (!m_batchTimer->isActive())
        m_batchTimer->start(BatchIntervalMs);
}

void ProxyEngine::flushRecords()
{
    m_batchTimer->stop();
    if (m_pending.isEmpty())
        return;
    Q_EMIT callsFinished(std::exchange(m_pending, {}));
}

} // namespace Switchyard
