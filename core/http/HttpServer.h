// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <QHash>
#include <QHostAddress>
#include <QObject>

class QTcpServer;

namespace Switchyard {

class HttpConnection;
class HttpHandler;

// The inbound HTTP/1.1 server. Lives on one thread (the proxy thread) with all its
// connections; parsing is done by llhttp, answering by the handler.
class HttpServer final : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpHandler *handler, QObject *parent = nullptr);
    ~HttpServer() override;

    Result<bool> listen(const QString &host, int port);
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
    void forgetConnection(quint64 id);

    HttpHandler *m_handler;
    QTcpServer *m_server;
    ServerLimits m_limits;
    QHash<quint64, HttpConnection *> m_connections;
    quint64 m_nextId = 1;
};

} // namespace Switchyard
