// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/HttpRequestParser.h"
#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace Switchyard {

class HttpExchange;
class HttpHandler;

// One client connection: reads requests in order, hands each to the handler, writes its
// response, then reads the next (pipelined requests wait in the socket buffer meanwhile).
// Times out idle keep-alive connections and clients that send too slowly.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, quint64 id, const ServerLimits &limits, HttpHandler *handler, QObject *parent);
    ~HttpConnection() override;

    quint64 id() const { return m_id; }
    // Begins reading; call after connecting to closed().
    void start();

Q_SIGNALS:
    void closed(quint64 id);

private:
    void readAvailable();
    void process();
    void dispatch();
    void exchangeFinished();
    void rejectAndClose(int status, const QString &message);
    void onTimeout();
    void onDisconnected();
    void close();
    void disconnectSocket();

    QTcpSocket *m_socket;
    quint64 m_id;
    ServerLimits m_limits;
    HttpHandler *m_handler;
    HttpRequestParser m_parser;
    QByteArray m_buffer; // bytes read but not yet parsed
    QPointer<HttpExchange> m_exchange;
    QTimer m_timer;
    QDeadlineTimer m_lingerEnd;
    bool m_closing = false;
    bool m_lingering = false; // answered an error; dropping what the client still sends
    bool m_gone = false;
    bool m_headComplete = false;
};

} // namespace Switchyard
