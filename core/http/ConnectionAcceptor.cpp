// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/ConnectionAcceptor.h"
#include "core/http/HttpServer.h"
#include <QTcpSocket>
#include <unistd.h>

namespace Switchyard {

Result<bool> ConnectionAcceptor::listenOn(const QString &host, int port)
{
    const Result<QHostAddress> address = HttpServer::resolve(host, port);
    if (!address)
        return address.error();
    // Qt's default backlog of 50 overflows when an agent fleet connects at once; the kernel caps
    // it at net.core.somaxconn.
    setListenBacklogSize(4096);
    if (!listen(address.value(), quint16(port)))
        return Error{QStringLiteral("cannot listen on %1:%2: %3").arg(host).arg(port).arg(errorString())};
    return true;
}

HttpServer *ConnectionAcceptor::leastBusy()
{
    // Starting from a rotating index, so equal loads (the common case) take turns.
    HttpServer *best = nullptr;
    const int count = int(m_servers.size());
    for (int i = 0; i < count; ++i) {
        HttpServer *server = m_servers.at((m_turn + i) % count);
        if (!best || server->openConnections() < best->openConnections())
            best = server;
    }
    m_turn = (m_turn + 1) % count;
    return best;
}

void ConnectionAcceptor::incomingConnection(qintptr descriptor)
{
    Q_ASSERT(!m_servers.isEmpty());
    int open = 0;
    for (const HttpServer *server : std::as_const(m_servers))
        open += server->openConnections();
    if (open >= m_limits.maxConnections) {
        auto *socket = new QTcpSocket(this);
        if (socket->setSocketDescriptor(descriptor)) {
            HttpServer::refuseBusy(socket, m_limits.maxConnections);
        } else {
            delete socket;
            ::close(int(descriptor));
        }
        return;
    }
    HttpServer *server = leastBusy();
    server->noteHandedOver();
    const quint64 id = m_nextId++;
    QMetaObject::invokeMethod(
        server, [server, descriptor, id, limits = m_limits, tls = m_tls] { server->adopt(descriptor, id, limits, tls); },
        Qt::QueuedConnection);
}

} // namespace Switchyard
