// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/TlsContext.h"
#include "core/util/Result.h"
#include <QList>
#include <QTcpServer>

namespace Switchyard {

class HttpServer;

// The one listening socket of a gateway with several proxy workers. Each accepted connection
// goes, as a bare descriptor, to the worker server with the fewest open connections (ties
// taken in turn), which serves it on its own thread from then on. Past
// limits.maxConnections across all workers, the acceptor answers 503 itself.
//
// Chosen over one SO_REUSEPORT socket per worker: the kernel's hash would keep sending
// connections to a worker busy with big bodies, and a second instance started by mistake
// would share the port silently instead of failing to start.
class ConnectionAcceptor final : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;

    Result<bool> listenOn(const QString &host, int port);
    // Before the first connection is accepted. They live on their own threads and outlive the acceptor.
    void setServers(QList<HttpServer *> servers) { m_servers = std::move(servers); }
    void setLimits(const ServerLimits &limits) { m_limits = limits; }
    // Connections accepted from now on speak TLS with this configuration (null: plain HTTP).
    void setTls(TlsServerConfig tls) { m_tls = std::move(tls); }
    bool hasTls() const { return bool(m_tls); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    HttpServer *leastBusy();

    QList<HttpServer *> m_servers;
    ServerLimits m_limits;
    TlsServerConfig m_tls;
    quint64 m_nextId = 1;
    int m_turn = 0;
};

} // namespace Switchyard
