// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/TlsContext.h"
#include "core/util/Result.h"
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <atomic>

class QTcpServer;
class QTcpSocket;

namespace Switchyard {

class HttpConnection;
class HttpHandler;

// The inbound HTTP/1.1 server. Lives on one thread with all its connections; parsing is done
// by llhttp, answering by the handler. Either it listens itself (plain HTTP), or a
// ConnectionAcceptor on another thread hands it accepted connections (one server per proxy
// worker), which speak TLS when listen.tls_cert is set.
class HttpServer final : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpHandler *handler, QObject *parent = nullptr);
    ~HttpServer() override;

    static Result<QHostAddress> resolve(const QString &host, int port);
    // Answers 503 on a connection over the limit, then closes it.
    static void refuseBusy(QTcpSocket *socket, int maxConnections);

    Result<bool> listen(const QString &host, int port);
    // On this server's thread: serves a connection another thread accepted (and counted, see
    // noteHandedOver); `id` is unique across the servers of one gateway.
    // With `tls`, the connection speaks TLS (the handshake starts at once).
    void adopt(qintptr descriptor, quint64 id, const ServerLimits &limits, const TlsServerConfig &tls = {});
    // From the acceptor's thread: a connection is on its way here.
    void noteHandedOver() { m_open.fetch_add(1, std::memory_order_relaxed); }
    // Open and handed-over connections, readable from any thread.
    int openConnections() const { return m_open.load(std::memory_order_relaxed); }
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    int connectionCount() const { return int(m_connections.size()); }

    // Applies to connections accepted from now on.
    void setLimits(const ServerLimits &limits) { m_limits = limits; }

Q_SIGNALS:
    void connectionCountChanged(int count);
    void connectionClosed(quint64 id);

private:
    void acceptPending();
    void serve(QTcpSocket *socket, quint64 id, const ServerLimits &limits);
    QTcpSocket *takeOver(qintptr descriptor, const TlsServerConfig &tls);
    void forgetConnection(quint64 id);

    HttpHandler *m_handler;
    QTcpServer *m_server;
    ServerLimits m_limits;
    QHash<quint64, HttpConnection *> m_connections;
    quint64 m_nextId = 1;
    std::atomic<int> m_open{0};
};

} // namespace Switchyard
