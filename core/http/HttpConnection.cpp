// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpConnection.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpHandler.h"
#include "core/http/JsonErrors.h"
#include <QTcpSocket>

namespace Switchyard {

namespace {
// After an error answer, what the client still sends is read and dropped until it pauses this
// long, closes, or LingerMaxMs have passed (a "lingering close").
constexpr int LingerIdleMs = 250;
constexpr int LingerMaxMs = 2000;

HttpRequestParser::Limits parserLimits(const ServerLimits &limits)
{
    HttpRequestParser::Limits l;
    l.maxBodyBytes = limits.maxBodyBytes;
    l.maxHeaderBytes = limits.maxHeaderBytes;
    return l;
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, quint64 id, const ServerLimits &limits, HttpHandler *handler,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_id(id)
    , m_limits(limits)
    , m_handler(handler)
    , m_parser(parserLimits(limits))
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // While a response is pending nothing is parsed; a bounded buffer lets TCP push back
    // on a client that keeps pipelining instead of growing memory.
    m_socket->setReadBufferSize(256 * 1024);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::onDisconnected);
}

void HttpConnection::start()
{
    m_timer.start(m_limits.requestTimeoutMs); // the first request must arrive promptly
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        onDisconnected();
    else
        readAvailable();
}

HttpConnection::~HttpConnection()
{
    // Sockets emit disconnected() while being destroyed; nothing here may react to that.
    m_socket->disconnect(this);
}

void HttpConnection::readAvailable()
{
    if (m_lingering) {
        m_socket->skip(m_socket->bytesAvailable());
        if (m_lingerEnd.hasExpired())
            disconnectSocket();
        else
            m_timer.start(int(qMin<qint64>(LingerIdleMs, m_lingerEnd.remainingTime())));
        return;
    }
    if (m_exchange || m_closing)
        return; // a response is pending: later requests wait in the socket buffer
    const QByteArray data = m_socket->readAll();
    if (!data.isEmpty()) {
        m_buffer.append(data);
        // Slow clients: the head must be complete within the timeout; a body must keep moving.
        if (!m_timer.isActive() || m_headComplete || !m_parser.inRequest())
            m_timer.start(m_limits.requestTimeoutMs);
    }
    process();
}

void HttpConnection::process()
{
    while (!m_exchange && !m_closing && !m_buffer.isEmpty()) {
        const auto result = m_parser.feed(m_buffer.constData(), m_buffer.size());
        if (result.status == HttpRequestParser::Status::Failed) {
            rejectAndClose(m_parser.errorStatus(), m_parser.errorMessage());
            return;
        }
        m_buffer.remove(0, result.consumed);
        m_headComplete = m_parser.inBody();
        if (m_parser.takeContinueRequest())
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        if (result.status == HttpRequestParser::Status::RequestComplete)
            dispatch();
    }
}

void HttpConnection::dispatch()
{
    m_timer.stop();
    m_headComplete = false;
    HttpRequest request = m_parser.takeRequest();
    request.connectionId = m_id;
    request.peerAddress = m_socket->peerAddress();
    request.peerPort = m_socket->peerPort();
    request.localPort = m_socket->localPort();
    auto *exchange = new HttpExchange(std::move(request), m_socket, this);
    m_exchange = exchange;
    connect(exchange, &HttpExchange::finished, this, &HttpConnection::exchangeFinished, Qt::QueuedConnection);
    m_handler->handle(exchange);
}

void HttpConnection::exchangeFinished()
{
    HttpExchange *exchange = m_exchange;
    if (!exchange)
        return;
    m_exchange = nullptr;
    const bool closeAfter = exchange->closesConnection();
    exchange->deleteLater();
    if (closeAfter) {
        close();
        return;
    }
    m_timer.start(m_buffer.isEmpty() && m_socket->bytesAvailable() == 0 ? m_limits.keepAliveTimeoutMs
                                                                         : m_limits.requestTimeoutMs);
    process();
    readAvailable();
}

void HttpConnection::rejectAndClose(int status, const QString &message)
{
    if (m_closing)
        return;
    HttpExchange exchange(HttpRequest{}, m_socket, nullptr);
    exchange.setCloseAfterResponse();
    exchange.respondJson(status, JsonErrors::openAi(status, message));
    // The client may still be sending (a body we refused). Closing with unread bytes makes the
    // kernel reset the connection, which can destroy this answer before the client reads it;
    // so drop what arrives for a while first, keeping none of it.
    m_closing = true;
    m_lingering = true;
    m_lingerEnd.setRemainingTime(LingerMaxMs);
    m_buffer.clear();
    readAvailable();
}

void HttpConnection::onTimeout()
{
    if (m_lingering) {
        disconnectSocket();
        return;
    }
    if (m_exchange)
        return;
    if (m_parser.inRequest() || !m_buffer.isEmpty())
        rejectAndClose(408, QStringLiteral("the request did not arrive within %1 ms").arg(m_limits.requestTimeoutMs));
    else
        close();
}

void HttpConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    if (m_exchange)
        m_exchange->markClientGone();
    m_closing = true;
    m_timer.stop();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    Q_EMIT closed(m_id);
    deleteLater();
}

void HttpConnection::close()
{
    if (m_closing)
        return;
    m_closing = true;
    disconnectSocket();
}

void HttpConnection::disconnectSocket()
{
    m_lingering = false;
    m_timer.stop();
    // disconnectFromHost() flushes what is buffered, then disconnected() cleans up.
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        onDisconnected();
}

} // namespace Switchyard
