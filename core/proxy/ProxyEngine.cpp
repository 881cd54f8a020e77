// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyEngine.h"
#include "core/log/LogStats.h"
#include "core/telemetry/TelemetryStats.h"
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/admin/RequestJson.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpServer.h"
#include "core/http/JsonErrors.h"
#include "core/proxy/ProxyCall.h"
#include "core/proxy/RequestGuard.h"
#include "core/secrets/ProviderKeys.h"
#include "core/upstream/UpstreamClient.h"
#include "core/util/SecretMasker.h"
#include "core/log/LogReader.h"
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

// An inbound endpoint that is proxied: the client's dialect, and the path an OpenAI-kind
// target is asked on (Anthropic-kind targets get theirs from AttemptCodec).
struct ProxiedEndpoint
{
    Dialect dialect = Dialect::OpenAi;
    QString upstreamPath;
};

std::optional<ProxiedEndpoint> proxiedEndpoint(QByteArrayView path)
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

QByteArray errorBody(Dialect dialect, int status, const QString &message, const QString &code = QString())
{
    return dialect == Dialect::Anthropic ? JsonErrors::anthropic(status, message) : JsonErrors::openAi(status, message, code);
}

// A documented estimate for count_tokens when the target is not Anthropic: about four
// characters of text per token, the usual rule of thumb for English prose and code.
qint64 estimateTokens(const QJsonValue &value)
{
    if (value.isString())
        return (value.toString().size() + 3) / 4;
    qint64 sum = 0;
    if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            sum += estimateTokens(v);
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != QLatin1String("model") && it.key() != QLatin1String("type"))
                sum += estimateTokens(it.value());
        }
    }
    return sum;
}

} // namespace

ProxyEngine::ProxyEngine(QObject *parent)
    : QObject(parent)
    , m_lookups(new ProcessLookupQueue(this))
    , m_builtInPrices(PriceTable::builtIn())
    , m_random(QRandomGenerator::securelySeeded())
    , m_batchTimer(new QTimer(this))
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
    m_batchTimer->setSingleShot(true);
    connect(m_batchTimer, &QTimer::timeout, this, &ProxyEngine::flushRecords);
    m_keys = new ProviderKeys(this);
    connect(m_keys, &ProviderKeys::keysChanged, this, [this] { m_apiKeys = m_keys->keys(); });
    connect(m_keys, &ProviderKeys::keychainFailed, this, [](const QString &provider, const QString &message) {
        qWarning("switchyard: provider %s has no key: %s", qPrintable(provider), qPrintable(message));
    });
    connect(m_lookups, &ProcessLookupQueue::found, this,
            [this](quint64 connectionId, const ClientProcess &process) { m_processes.insert(connectionId, process); });
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
    if (!m_admin)
        m_admin = new AdminApi(this, m_reader, this);
    if (!m_server) {
        m_server = new HttpServer(this, this);
        connect(m_server, &HttpServer::connectionClosed, this, [this](quint64 id) { m_processes.remove(id); });
    }
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
    m_keys->apply(config.providers); // keychain keys follow a moment later, through keysChanged
    m_prices = m_builtInPrices;
    m_prices.applyOverrides(config.pricing);
    if (m_server)
        m_server->setLimits(config.limits);
    Q_EMIT configApplied(config);
}

void ProxyEngine::reloadKeys()
{
    m_keys->reloadKeychain();
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
    c.maxLoggedBodyBytes = qint64(m_config->log.maxBodyKib) * 1024;
    return c;
}

void ProxyEngine::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    exchange->addResponseHeader("x-switchyard-request-id", newRequestId().toLatin1());
    if (const auto rejection = RequestGuard::check(request, m_config->listen, m_server->address().toString(), m_server->port())) {
        const Dialect dialect = request.path.startsWith("/v1/messages") ? Dialect::Anthropic : Dialect::OpenAi;
        exchange->respondJson(rejection->status, errorBody(dialect, rejection->status, rejection->message));
        return;
    }
    for (const auto &[name, value] : RequestGuard::corsHeaders(request, m_config->listen))
        exchange->addResponseHeader(name, value);
    if (RequestGuard::isPreflight(request)) {
        exchange->respond(204, HttpHeaders(), QByteArray());
        return;
    }
    const bool get = request.method == "GET" || request.method == "HEAD";
    const QByteArray &path = request.path;
    const std::optional<ProxiedEndpoint> proxied = proxiedEndpoint(path);
    if (proxied && request.method == "POST") {
        lookUpClient(exchange);
        dispatch(exchange, proxied->dialect, proxied->upstreamPath, newRecord(exchange), [this](const CallRecord &r) { recordFinished(r); });
    } else if (path == "/health" && get) {
        exchange->respondJson(200, QByteArrayLiteral(R"({"status":"ok"})"));
    } else if (path == "/v1/models" && get) {
        handleModels(exchange);
    } else if (path == "/api/route" && get) {
        handleRoute(exchange);
    } else if (path == "/metrics" && get) {
        m_metrics.setInFlight(m_inFlight);
        HttpHeaders headers;
        headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange->respond(200, headers, m_metrics.prometheusText() + LogStats::instance().prometheusText()
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

void ProxyEngine::lookUpClient(const HttpExchange *exchange)
{
    const HttpRequest &r = exchange->request();
    if (m_processes.contains(r.connectionId) || r.peerAddress.isNull())
        return;
    m_processes.insert(r.connectionId, ClientProcess()); // asked once per connection
    m_lookups->request(r.connectionId, r.peerAddress, r.peerPort, m_server->address(), r.localPort);
}

CallRecord ProxyEngine::newRecord(const HttpExchange *exchange) const
{
    const HttpRequest &request = exchange->request();
    const qint64 cap = qint64(m_config->log.maxBodyKib) * 1024;
    CallRecord record;
    record.id = QString::fromLatin1(exchange->responseHeader("x-switchyard-request-id"));
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.endpoint = QString::fromUtf8(request.path);
    record.client = QString::fromUtf8(request.headers.value("user-agent"));
    record.connectionId = request.connectionId;
    SecretMasker masker(m_apiKeys.values());
    record.requestHeaders = masker.masked(request.headers);
    record.requestBody = masker.masked(request.body.left(cap));
    record.requestBodyTruncated = request.body.size() > cap;
    return record;
}

void ProxyEngine::dispatch(HttpExchange *exchange, Dialect dialect, const QString &upstreamPath, CallRecord record, Done done)
{
    Result<OpenAiBody> body = OpenAiBody::parse(exchange->request().body);
    if (!body)
        return rejectCall(exchange, dialect, record, 400, ErrorClass::BadRequest, body.error().message, done);
    record.requestedModel = body.value().model();
    record.stream = body.value().stream();
    Result<RoutePlan> plan = RoutePlanner::plan(*m_config, body.value().model(), m_health,
                                                QDateTime::currentMSecsSinceEpoch(), m_random);
    if (!plan)
        return rejectCall(exchange, dialect, record, 404, ErrorClass::UnknownModel, plan.error().message, done);
    record.alias = plan.value().alias;
    if (upstreamPath.endsWith(QLatin1String("/count_tokens"))) {
        // Counted by Anthropic targets; anything else gets the estimate, which is not a call.
        const auto first = std::find_if(plan.value().candidates.cbegin(), plan.value().candidates.cend(),
                                        [](const RouteCandidate &c) { return !c.skip; });
        if (first == plan.value().candidates.cend() || first->provider.kind != ProviderKind::Anthropic) {
            const QJsonObject request = QJsonDocument::fromJson(exchange->request().body).object();
            exchange->addResponseHeader("x-switchyard-estimate", "chars/4");
            exchange->respondJson(200, json({{QStringLiteral("input_tokens"),
                                              estimateTokens(request.value(QLatin1String("system"))) + estimateTokens(request.value(QLatin1String("messages")))
                                                  + estimateTokens(request.value(QLatin1String("tools")))}}));
            return;
        }
    }
    ++m_inFlight;
    noteStarted(record);
    auto *call = new ProxyCall(exchange, context(), std::move(plan).value(), dialect, std::move(body).value(), upstreamPath,
                               std::move(record), this);
    connect(call, &ProxyCall::finished, this, [this, done](const CallRecord &r) {
        --m_inFlight;
        done(r);
    });
    call->start();
}

void ProxyEngine::rejectCall(HttpExchange *exchange, Dialect dialect, CallRecord record, int status, ErrorClass errorClass,
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

CallRecord ProxyEngine::recordFinished(const CallRecord &finished)
{
    CallRecord record = finished;
    const ClientProcess process = m_processes.value(record.connectionId);
    if (record.clientProcess.isEmpty() && process.pid) {
        record.clientProcess = process.executable;
        record.clientPid = process.pid;
        record.project = process.workingDirectory;
    }
    // A known key can reach a record past newRecord(): pasted into a prompt (the body sent
    // upstream) or echoed by an upstream error. Mask it before the record is logged or shown.
    const SecretMasker masker(m_apiKeys.values());
    record.responseBody = masker.masked(record.responseBody);
    record.responseHeaders = masker.masked(record.responseHeaders);
    record.errorMessage = QString::fromUtf8(masker.masked(record.errorMessage.toUtf8()));
    for (Attempt &attempt : record.attempts) {
        attempt.requestBody = masker.masked(attempt.requestBody);
        attempt.message = QString::fromUtf8(masker.masked(attempt.message.toUtf8()));
    }
    if (record.ok)
        record.costUsd = m_prices.cost(record.provider, record.model, record.usage);
    m_metrics.record(record, record.costUsd);
    m_pending.append(record);
    if (!m_batchTimer->isActive())
        m_batchTimer->start(BatchIntervalMs);
    return record;
}

void ProxyEngine::noteStarted(const CallRecord &record)
{
    CallRecord started; // what a list of calls in flight shows: no bodies or headers to copy
    started.id = record.id;
    started.startedAt = record.startedAt;
    started.endpoint = record.endpoint;
    started.requestedModel = record.requestedModel;
    started.alias = record.alias;
    started.stream = record.stream;
    started.client = record.client;
    started.replayOf = record.replayOf;
    const ClientProcess process = m_processes.value(record.connectionId);
    started.clientProcess = record.clientProcess.isEmpty() ? process.executable : record.clientProcess;
    m_started.append(started);
    if (!m_batchTimer->isActive())
        m_batchTimer->start(BatchIntervalMs);
}

void ProxyEngine::flushRecords()
{
    m_batchTimer->stop();
    if (!m_started.isEmpty())
        Q_EMIT callsStarted(std::exchange(m_started, {}));
    if (m_pending.isEmpty())
        return;
    Q_EMIT callsFinished(std::exchange(m_pending, {}));
}

Result<Config, QStringList> ProxyEngine::replaceConfig(const QByteArray &json)
{
    const QString name = m_configPath.isEmpty() ? QStringLiteral("config") : m_configPath;
    Result<Config, QStringList> parsed = ConfigParser::parse(json);
    if (!parsed) {
        QStringList messages;
        for (const QString &m : parsed.error())
            messages << name + QStringLiteral(": ") + m;
        return messages;
    }
    Config config = parsed.value();
    // "***" is what GET /api/config shows for a key: keep the key in force.
    for (ProviderConfig &p : config.providers) {
        if (p.apiKey == ConfigWriter::MaskedKey)
            p.apiKey = m_config->provider(p.name) ? m_config->provider(p.name)->apiKey : QString();
    }
    if (config.listen.token == ConfigWriter::MaskedKey)
        config.listen.token = m_config->listen.token;
    for (auto &[name, value] : config.telemetry.headers) {
        if (value != ConfigWriter::MaskedKey)
            continue;
        for (const auto &[oldName, oldValue] : m_config->telemetry.headers) {
            if (oldName == name)
                value = oldValue;
        }
    }
    if (!m_configPath.isEmpty()) {
        const Result<bool> saved = ConfigFile::save(m_configPath, ConfigWriter::toBytes(config, ConfigWriter::Keys::Clear));
        if (!saved)
            return QStringList{saved.error().message};
    }
    // The listen address in use changes only with a restart.
    const ListenConfig inUse = m_config->listen;
    config.listen.host = inUse.host;
    config.listen.port = inUse.port;
    applyConfig(config);
    return config;
}

void ProxyEngine::runDetached(const QString &endpoint, const QByteArray &body, const HttpHeaders &headers,
                              CallRecord seed, const Done &done)
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
    auto *sink = new HttpExchange(std::move(request), nullptr, this);
    sink->addResponseHeader("x-switchyard-request-id", newRequestId().toLatin1());
    CallRecord record = newRecord(sink);
    record.replayOf = seed.replayOf;
    record.client = seed.client.isEmpty() ? QStringLiteral("switchyard") : seed.client;
    record.clientProcess = seed.clientProcess;
    record.project = seed.project;
    // `request` was moved into the sink: read the path back from there.
    const ProxiedEndpoint endpointInfo = proxiedEndpoint(sink->request().path).value_or(ProxiedEndpoint{});
    dispatch(sink, endpointInfo.dialect, endpointInfo.upstreamPath, record, [this, sink, done](const CallRecord &r) {
        const CallRecord logged = recordFinished(r);
        sink->deleteLater();
        done(logged);
    });
}

void ProxyEngine::replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body)
{
    if (!proxiedEndpoint(original.endpoint.toUtf8())) {
        exchange->respondJson(400, JsonErrors::openAi(400, QStringLiteral("requests to %1 cannot be replayed").arg(original.endpoint)));
        return;
    }
    CallRecord seed = original;
    seed.replayOf = original.id;
    QPointer<HttpExchange> admin(exchange);
    runDetached(original.endpoint, body, original.requestHeaders, seed, [this, admin](const CallRecord &logged) {
        if (admin)
            admin->respondJson(200, json(RequestJson::detail(logged)));
    });
}

void ProxyEngine::replayRequest(const QString &id, const QByteArray &body, quint64 ticket)
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
            if (!proxiedEndpoint(original.endpoint.toUtf8())) {
                Q_EMIT replayFinished(ticket, CallRecord(), QStringLiteral("requests to %1 cannot be replayed").arg(original.endpoint));
                return;
            }
            CallRecord seed = original;
            seed.replayOf = original.id;
            runDetached(original.endpoint, body.isEmpty() ? original.requestBody : body, original.requestHeaders, seed,
                        [this, ticket](const CallRecord &logged) { Q_EMIT replayFinished(ticket, logged, QString()); });
        });
}

void ProxyEngine::testRoute(const QString &alias, quint64 ticket)
{
    const QJsonObject body{{QStringLiteral("model"), alias},
                           {QStringLiteral("max_tokens"), 8},
                           {QStringLiteral("messages"), QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                                               {QStringLiteral("content"), QStringLiteral("Reply with the word: ok")}}}}};
    CallRecord seed;
    seed.client = QStringLiteral("switchyard test route");
    runDetached(QStringLiteral("/v1/chat/completions"), json(body), HttpHeaders(), seed,
                [this, ticket](const CallRecord &logged) { Q_EMIT routeTested(ticket, logged); });
}

void ProxyEngine::explainRoute(const QString &model, quint64 ticket)
{
    QRandomGenerator random = m_random;
    const Result<RoutePlan> plan = RoutePlanner::plan(*m_config, model, m_health, QDateTime::currentMSecsSinceEpoch(), random);
    Q_EMIT routeExplained(ticket, plan ? plan.value().toJson() : QJsonObject(), plan ? QString() : plan.error().message);
}

void ProxyEngine::saveConfig(const Config &config, quint64 ticket)
{
    Config toSave = config;
    // The window edits the config in use, whose address may come from --host/--port: the
    // file keeps its own address unless the window changed it.
    if (!m_configPath.isEmpty() && toSave.listen.host == m_config->listen.host && toSave.listen.port == m_config->listen.port) {
        const Result<Config, QStringList> onDisk = ConfigFile::load(m_configPath);
        if (onDisk) {
            toSave.listen.host = onDisk.value().listen.host;
            toSave.listen.port = onDisk.value().listen.port;
        }
    }
    const Result<Config, QStringList> saved = replaceConfig(ConfigWriter::toBytes(toSave, ConfigWriter::Keys::Clear));
    Q_EMIT configSaved(ticket, saved ? QStringList() : saved.error());
}

} // namespace Switchyard
