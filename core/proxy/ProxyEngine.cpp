// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyEngine.h"
#include "core/http/HttpServer.h"
#include "core/proxy/CallFinisher.h"
#include "core/proxy/EndpointDispatcher.h"
#include "core/proxy/ReplayRunner.h"
#include "core/routing/RoutePlanner.h"
#include "core/secrets/ProviderKeys.h"
#include "core/upstream/UpstreamClient.h"

namespace Switchyard {

ProxyEngine::ProxyEngine(QObject *parent)
    : QObject(parent)
    , m_applier([this](const Config &config) { applyConfig(config); })
    , m_finisher(new CallFinisher(&m_state, this))
    , m_dispatcher(new EndpointDispatcher(&m_state, m_finisher, this))
    , m_replays(new ReplayRunner(m_dispatcher, m_finisher, this))
    , m_keys(new ProviderKeys(this))
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
    static_assert(BatchIntervalMs == CallFinisher::BatchIntervalMs);
    connect(m_finisher, &CallFinisher::callsStarted, this, &ProxyEngine::callsStarted);
    connect(m_finisher, &CallFinisher::callsFinished, this, &ProxyEngine::callsFinished);
    connect(m_replays, &ReplayRunner::replayFinished, this, &ProxyEngine::replayFinished);
    connect(m_replays, &ReplayRunner::routeTested, this, &ProxyEngine::routeTested);
    connect(m_keys, &ProviderKeys::keysChanged, this, [this] { m_state.setKeys(m_keys->keys()); });
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
}

void ProxyEngine::start(const Config &config)
{
    applyConfig(config);
    if (!m_client) {
        m_client = new UpstreamClient(this);
        m_dispatcher->setClient(m_client);
    }
    if (!m_admin) {
        m_admin = new AdminApi(this, m_reader, this);
        m_dispatcher->setAdmin(m_admin);
    }
    if (!m_server) {
        m_server = new HttpServer(m_dispatcher, this);
        m_dispatcher->setServer(m_server);
        connect(m_server, &HttpServer::connectionClosed, m_finisher, &CallFinisher::forgetConnection);
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
    m_state.config = std::make_shared<const Config>(config);
    m_keys->apply(config.providers); // keychain keys follow a moment later, through keysChanged
    m_state.prices = m_state.builtInPrices;
    m_state.prices.applyOverrides(config.pricing);
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
    m_finisher->flush();
    delete m_server; // closes client connections; their calls cancel their upstream requests
    m_server = nullptr;
    m_dispatcher->setServer(nullptr);
    delete m_client;
    m_client = nullptr;
    m_dispatcher->setClient(nullptr);
}

Result<Config, QStringList> ProxyEngine::replaceConfig(const QByteArray &json)
{
    const std::shared_ptr<const Config> inForce = m_state.config; // applying replaces it
    return m_applier.replace(json, *inForce);
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

void ProxyEngine::explainRoute(const QString &model, quint64 ticket)
{
    QRandomGenerator random = m_state.random; // a copy: explaining must not change the next draw
    const Result<RoutePlan> plan = RoutePlanner::plan(*m_state.config, model, m_state.health, QDateTime::currentMSecsSinceEpoch(), random);
    Q_EMIT routeExplained(ticket, plan ? plan.value().toJson() : QJsonObject(), plan ? QString() : plan.error().message);
}

void ProxyEngine::saveConfig(const Config &config, quint64 ticket)
{
    const std::shared_ptr<const Config> inForce = m_state.config;
    Q_EMIT configSaved(ticket, m_applier.save(config, *inForce));
}

} // namespace Switchyard
