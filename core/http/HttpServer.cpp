// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpServer.h"
#include "core/http/HttpConnection.h"
#include "core/http/HttpExchange.h"
#include "core/http/JsonErrors.h"
#include <QHostInfo>
#include <QTcpServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <unistd.h>

namespace Switchyard {

HttpServer::HttpServer(HttpHandler *handler, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::acceptPending);
}

HttpServer::~HttpServer()
{
    // Connections hold sockets whose destruction emits signals: end them before members go.
    const auto connections = m_connections;
    m_connections.clear();
    for (HttpConnection *c : connections) {
        c->disconnect(this);
        delete c;
    }
}

Result<QHostAddress> HttpServer::resolve(const QString &host, int port)
{
    QHostAddress address;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        address = QHostAddress::LocalHost;
    } else if (!address.setAddress(host)) {
        const QHostInfo info = QHostInfo::fromName(host);
        if (info.addresses().isEmpty())
            return Error{QStringLiteral("cannot listen on %1:%2: unknown host").arg(host).arg(port)};
        address = info.addresses().constFirst();
    }
    return address;
}

void HttpServer::refuseBusy(QTcpSocket *socket, int maxConnections)
{
    HttpExchange busy(HttpRequest{}, socket, nullptr);
    busy.setCloseAfterResponse();
    busy.respondJson(503, JsonErrors::openAi(503, QStringLiteral("too many connections (limit %1)").arg(maxConnections)));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

Result<bool> HttpServer::listen(const QString &host, int port)
{
    const Result<QHostAddress> resolved = resolve(host, port);
    if (!resolved)
        return resolved.error();
    const QHostAddress address = resolved.value();
    if (!m_server->listen(address, quint16(port)))
        return Error{QStringLiteral("cannot listen on %1:%2: %3").arg(host).arg(port).arg(m_server->errorString())};
    return true;
}

void HttpServer::close()
{
    m_server->close();
}

bool HttpServer::isListening() const
{
    return m_server->isListening();
}

QHostAddress HttpServer::address() const
{
    return m_server->serverAddress();
}

quint16 HttpServer::port() const
{
    return m_server->serverPort();
}

void HttpServer::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= m_limits.maxConnections) {
            refuseBusy(socket, m_limits.maxConnections);
            continue;
        }
        noteHandedOver();
        serve(socket, m_nextId++, m_limits);
    }
}

QTcpSocket *HttpServer::takeOver(qintptr descriptor, const TlsServerConfig &tls)
{
    QTcpSocket *socket = nullptr;
    QSslSocket *secure = nullptr;
    if (tls) {
        secure = new QSslSocket(this);
        secure->setSslConfiguration(*tls);
        socket = secure;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(descriptor)) {
        qWarning("switchyard: cannot take over an accepted connection: %s", qPrintable(socket->errorString()));
        delete socket;
        ::close(int(descriptor));
        return nullptr;
    }
    if (secure) // a failed handshake closes the socket, and the connection goes with it
        secure->startServerEncryption();
    return socket;
}

void HttpServer::adopt(qintptr descriptor, quint64 id, const ServerLimits &limits, const TlsServerConfig &tls)
{
    QTcpSocket *socket = takeOver(descriptor, tls);
    if (!socket) {
        m_open.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    serve(socket, id, limits);
}

void HttpServer::serve(QTcpSocket *socket, quint64 id, const ServerLimits &limits)
{
    auto *connection = new HttpConnection(socket, id, limits, m_handler, this);
    m_connections.insert(id, connection);
    connect(connection, &HttpConnection::closed, this, &HttpServer::forgetConnection);
    Q_EMIT connectionCountChanged(int(m_connections.size()));
    connection->start();
}

void HttpServer::forgetConnection(quint64 id)
{
    if (m_connections.remove(id)) {
        m_open.fetch_sub(1, std::memory_order_relaxed);
        Q_EMIT connectionClosed(id);
        Q_EMIT connectionCountChanged(int(m_connections.size()));
    }
}

} // namespace Switchyard
