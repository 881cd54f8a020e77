// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/upstream/UpstreamClient.h"
#include "core/upstream/UpstreamCall.h"
#include <QDateTime>
#include <QSslConfiguration>
#include <QSslSocket>

namespace Switchyard {

namespace {
constexpr int IdleLifetimeMs = 30000;
constexpr char IdleSinceProperty[] = "switchyardIdleSince";
} // namespace

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
    , m_proxies(ProxyEnvironment::fromEnvironment())
{
    m_sweep.setInterval(IdleLifetimeMs / 3);
    connect(&m_sweep, &QTimer::timeout, this, &UpstreamClient::expireIdle);
    m_sweep.start();
}

UpstreamClient::~UpstreamClient()
{
    for (const QList<QTcpSocket *> &sockets : std::as_const(m_idle)) {
        for (QTcpSocket *socket : sockets) {
            socket->disconnect(this);
            delete socket;
        }
    }
}

UpstreamCall *UpstreamClient::createCall(const UpstreamRequest &request)
{
    return new UpstreamCall(this, request);
}

int UpstreamClient::idleConnectionCount() const
{
    int count = 0;
    for (const QList<QTcpSocket *> &sockets : m_idle)
        count += int(sockets.size());
    return count;
}

QString UpstreamClient::poolKey(const QUrl &url)
{
    const bool tls = url.scheme() == QLatin1String("https");
    return url.scheme() + QLatin1Char(':') + url.host().toLower() + QLatin1Char(':')
           + QString::number(url.port(tls ? 443 : 80));
}

QTcpSocket *UpstreamClient::takeIdle(const QString &key)
{
    auto it = m_idle.find(key);
    while (it != m_idle.end() && !it->isEmpty()) {
        QTcpSocket *socket = it->takeLast();
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0)
            return socket;
        socket->deleteLater();
    }
    return nullptr;
}

QTcpSocket *UpstreamClient::openSocket(const QUrl &url)
{
    QTcpSocket *socket = nullptr;
    if (url.scheme() == QLatin1String("https")) {
        auto *tls = new QSslSocket(this);
        if (!m_trusted.isEmpty()) {
            QSslConfiguration config = tls->sslConfiguration();
            config.addCaCertificates(m_trusted);
            tls->setSslConfiguration(config);
        }
        socket = tls;
    } else {
        socket = new QTcpSocket(this);
    }
    socket->setProxy(m_proxies.proxyFor(url));
    return socket;
}

void UpstreamClient::release(const QString &key, QTcpSocket *socket)
{
    socket->setParent(this);
    socket->setProperty(IdleSinceProperty, QDateTime::currentMSecsSinceEpoch());
    // An idle connection that the server closes, or that receives stray bytes, is useless.
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropIdle(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { dropIdle(socket); });
    m_idle[key].append(socket);
}

void UpstreamClient::dropIdle(QTcpSocket *socket)
{
    for (QList<QTcpSocket *> &sockets : m_idle) {
        if (sockets.removeOne(socket)) {
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
            return;
        }
    }
}

void UpstreamClient::expireIdle()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (QList<QTcpSocket *> &sockets : m_idle) {
        sockets.removeIf([&](QTcpSocket *socket) {
            if (now - socket->property(IdleSinceProperty).toLongLong() < IdleLifetimeMs)
                return false;
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
            return true;
        });
    }
}

} // namespace Switchyard
