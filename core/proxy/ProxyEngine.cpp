// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyEngine.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpServer.h"
#include "core/http/JsonErrors.h"

namespace Switchyard {

ProxyEngine::ProxyEngine(QObject *parent)
    : QObject(parent)
{
}

ProxyEngine::~ProxyEngine()
{
    delete m_server;
}

void ProxyEngine::start(const Config &config)
{
    m_config = config;
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
    m_config = config;
    if (m_server)
        m_server->setLimits(config.limits);
    Q_EMIT configApplied();
}

void ProxyEngine::stop()
{
    delete m_server;
    m_server = nullptr;
}

void ProxyEngine::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    if (request.path == "/health") {
        if (request.method != "GET" && request.method != "HEAD") {
            exchange->respondJson(405, JsonErrors::openAi(405, QStringLiteral("/health accepts GET only")));
            return;
        }
        exchange->respondJson(200, QByteArrayLiteral(R"({"status":"ok"})"));
        return;
    }
    exchange->respondJson(404, JsonErrors::openAi(404, QStringLiteral("no endpoint %1 %2; see the README for the API")
                                                           .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path)),
                                                  QStringLiteral("unknown_endpoint")));
}

} // namespace Switchyard
