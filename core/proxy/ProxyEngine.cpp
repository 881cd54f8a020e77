// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyEngine.h"
#include "core/http/ConnectionAcceptor.h"
#include "core/proxy/CallFinisher.h"
#include "core/proxy/EndpointDispatcher.h"
#include "core/proxy/EvaluationRunner.h"
#include "core/proxy/ProxyWorker.h"
#include "core/proxy/ReplayRunner.h"
#include "core/proxy/RequestForwarder.h"
#include "core/routing/RoutePlanner.h"
#include "core/secrets/ProviderKeys.h"
#include "core/upstream/UpstreamClient.h"
#include <QCoreApplication>
#include <QThread>

namespace Switchyard {

ProxyEngine::ProxyEngine(QObject *parent)
    : WindowGateway(parent)
    , m_applier([this](const Config &config) { applyConfig(config); })
    , m_finisher(new CallFinisher(&m_state, this))
    , m_dispatcher(new EndpointDispatcher(&m_state, m_finisher, this))
    , m_replays(new ReplayRunner(m_dispatcher, m_finisher, this))
    , m_evaluations(new EvaluationRunner(&m_state, m_finisher, this))
    , m_keys(new ProviderKeys(this))
    , m_forwarder(new RequestForwarder(m_dispatcher, this))
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
    qRegisterMetaType<QList<Switchyard::ConfigVersion>>();
    static_assert(BatchIntervalMs == CallFinisher::BatchIntervalMs);
    connect(m_finisher, &CallFinisher::callsStarted, this, &ProxyEngine::callsStarted);
    connect(m_finisher, &CallFinisher::callsFinished, this, &ProxyEngine::callsFinished);
    connect(m_replays, &ReplayRunner::replayFinished, this, &ProxyEngine::replayFinished);
    connect(m_replays, &ReplayRunner::routeTested, this, &ProxyEngine::routeTested);
    connect(m_evaluations, &EvaluationRunner::evaluationChanged, this, &ProxyEngine::evaluationChanged);
    connect(m_keys, &ProviderKeys::keysChanged, this, [this] { publish(); });
    connect(m_keys, &ProviderKeys::keychainFailed, this, [](const QString &provider, const QString &message) {
        qWarning("switchyard: provider %s has no key: %s", qPrintable(provider), qPrintable(message));
    });
}

ProxyEngine::~ProxyEngine()
{
    stop();
}

void ProxyEngine::setLogReader(LogReader *reader)
{
    m_reader = reader;
    m_replays->setLogReader(reader);
    m_evaluations->setLogReader(reader);
}

void ProxyEngine::start(const Config &config)
{
    m_nextSource = QStringLiteral("start");
    applyConfig(config);
    if (!m_client) { // the coordinator's own pool, for replays and route tests
        m_client = new UpstreamClient(this);
        m_dispatcher->setClient(m_client);
        m_evaluations->setClient(m_client);
    }
    if (!m_admin) {
        m_admin = new AdminApi(this, m_reader, this);
        m_dispatcher->setAdmin(m_admin);
        connect(this, &ProxyEngine::callsFinished, m_admin->events(), &EventStream::publishFinished);
        connect(this, &ProxyEngine::configApplied, m_admin->events(), &EventStream::publishConfig);
    }
    if (m_acceptor)
        return;
    const Result<bool> listening = startWorkers(config);
    if (!listening) {
        stopWorkers();
        Q_EMIT startFailed(listening.error().message);
        return;
    }
    QString host = m_acceptor->serverAddress().toString();
    if (m_acceptor->serverAddress().protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    const QString scheme = config.listen.tls() ? QStringLiteral("https") : QStringLiteral("http");
    Q_EMIT started(QStringLiteral("%1://%2:%3").arg(scheme, host).arg(m_acceptor->serverPort()));
}

Result<bool> ProxyEngine::startWorkers(const Config &config)
{
    const int count = qBound(1, m_workerCount > 0 ? m_workerCount : QThread::idealThreadCount(), ProxyWorker::MaxCount);
    TlsServerConfig tls;
    if (config.listen.tls()) { // a broken certificate stops the start: never fall back to plain HTTP
        Result<TlsServerConfig> loaded = TlsContext::load(config.listen.tlsCert, config.listen.tlsKey);
        if (!loaded)
            return loaded.error();
        tls = loaded.value();
    }
    // Listen first: a port of 0 becomes a real one, which every worker's Host check needs.
    auto *acceptor = new ConnectionAcceptor(this);
    m_acceptor = acceptor;
    const Result<bool> listening = acceptor->listenOn(config.listen.host, config.listen.port);
    if (!listening)
        return listening;
    const QHostAddress address = acceptor->serverAddress();
    const quint16 port = acceptor->serverPort();
    m_dispatcher->setListenAddress(address, port);
    QList<HttpServer *> servers;
    for (int i = 0; i < count; ++i) {
        m_workers.push_back(std::make_unique<ProxyWorker>(i, &m_state, m_finisher, m_forwarder));
        m_workers.back()->start(address, port, m_threadStarter);
        servers << m_workers.back()->server();
    }
    m_state.workers = count;
    // Nothing was accepted meanwhile: that happens in this thread's event loop, after return.
    acceptor->setServers(servers);
    acceptor->setLimits(config.limits);
    acceptor->setTls(tls);
    return true;
}

void ProxyEngine::stopWorkers()
{
    delete m_acceptor; // no new connections
    m_acceptor = nullptr;
    m_workers.clear(); // each closes its connections; their calls are cancelled and finished
    // The records the workers sent on their way out are queued here: finish them now.
    QCoreApplication::sendPostedEvents(m_finisher, QEvent::MetaCall);
}

void ProxyEngine::applyConfig(const Config &config)
{
    m_config = std::make_shared<const Config>(config);
    m_prices = m_builtInPrices;
    m_prices.applyOverrides(config.pricing);
    m_keys->apply(config.providers); // keychain keys follow a moment later, through keysChanged
    publish();
    const QString source = std::exchange(m_nextSource, QStringLiteral("file"));
    if (const Result<int> kept = m_history.record(config, source, std::exchange(m_nextClient, QString())); !kept)
        qWarning("switchyard: %s", qPrintable(kept.error().message));
    if (m_acceptor) {
        m_acceptor->setLimits(config.limits);
        reloadTls(config.listen);
    }
    Q_EMIT configApplied(config);
}

void ProxyEngine::reloadTls(const ListenConfig &listen)
{
    // Certificates are renewed in place: read them again on every apply. Turning TLS on or off
    // changes the scheme clients use, which takes a restart (the reload message says so).
    if (!listen.tls() || !m_acceptor->hasTls())
        return;
    const Result<TlsServerConfig> loaded = TlsContext::load(listen.tlsCert, listen.tlsKey);
    if (loaded)
        m_acceptor->setTls(loaded.value());
    else
        qWarning("switchyard: keeping the TLS certificate in use: %s", qPrintable(loaded.error().message));
}

void ProxyEngine::publish()
{
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->config = m_config;
    snapshot->apiKeys = m_keys->keys();
    snapshot->masker = std::make_shared<const SecretMasker>(snapshot->apiKeys.values());
    snapshot->prices = m_prices;
    m_state.publish(std::move(snapshot));
}

void ProxyEngine::reloadKeys()
{
    m_keys->reloadKeychain();
}

void ProxyEngine::stop()
{
    stopWorkers(); // closes client connections; their calls cancel their upstream requests
    m_evaluations->cancelAll();
    m_finisher->flush();
    delete m_client;
    m_client = nullptr;
    m_dispatcher->setClient(nullptr);
    m_evaluations->setClient(nullptr);
}

Result<Config, QStringList> ProxyEngine::replaceConfig(const QByteArray &json, const QString &source, const QString &client)
{
    const std::shared_ptr<const Config> inForce = m_config; // applying replaces it
    return fromSource(source, client, [&] { return m_applier.replace(json, *inForce); });
}

void ProxyEngine::replay(HttpExchange *exchange, const CallRecord &original, const QByteArray &body)
{
    m_replays->replay(exchange, original, body);
}

void ProxyEngine::replayRequest(const QString &id, const QByteArray &body, quint64 ticket)
{
    m_replays->replayLogged(id, body, ticket);
}

void ProxyEngine::testRoute(const QString &alias, quint64 ticket)
{
    m_replays->testRoute(alias, ticket);
}

Evaluations &ProxyEngine::evaluations()
{
    return *m_evaluations;
}

void ProxyEngine::estimateEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket)
{
    m_evaluations->estimate({baseline, alias}, this, [this, ticket](const Result<CostEstimate, EvaluationRefusal> &estimate) {
        Q_EMIT evaluationEstimated(ticket, estimate ? estimate.value().toJson() : QJsonObject(),
                                   estimate ? QStringList() : estimate.error().messages);
    });
}

void ProxyEngine::startEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket)
{
    m_evaluations->start({baseline, alias}, this, [this, ticket](const Result<QJsonObject, EvaluationRefusal> &started) {
        Q_EMIT evaluationStarted(ticket, started ? started.value().value(QLatin1String("id")).toString() : QString(),
                                 started ? QStringList() : started.error().messages);
    });
}

void ProxyEngine::cancelEvaluation(const QString &id)
{
    m_evaluations->cancel(id);
}

void ProxyEngine::explainRoute(const QString &model, quint64 ticket)
{
    const Result<RoutePlan> plan = m_dispatcher->explain(model);
    Q_EMIT routeExplained(ticket, plan ? plan.value().toJson() : QJsonObject(), plan ? QString() : plan.error().message);
}

void ProxyEngine::saveConfig(const Config &config, quint64 ticket)
{
    const std::shared_ptr<const Config> inForce = m_config;
    Q_EMIT configSaved(ticket, fromSource(QStringLiteral("window"), QString(), [&] { return m_applier.save(config, *inForce); }));
}

void ProxyEngine::listConfigHistory(quint64 ticket)
{
    Q_EMIT configHistoryListed(ticket, m_history.versions());
}

void ProxyEngine::restoreConfigVersion(int number, quint64 ticket)
{
    const Result<Config, QStringList> restored = restoreConfig(number, QStringLiteral("window"));
    Q_EMIT configSaved(ticket, restored ? QStringList() : restored.error());
}

Result<Config, QStringList> ProxyEngine::restoreConfig(int number, const QString &client)
{
    const std::optional<ConfigVersion> version = m_history.version(number);
    if (!version)
        return QStringList{QStringLiteral("there is no config version %1").arg(number)};
    const std::shared_ptr<const Config> inForce = m_config; // applying replaces it
    return fromSource(QStringLiteral("restore of version %1").arg(number), client,
                      [&] { return m_applier.restore(version->config, *inForce); });
}

} // namespace Switchyard
