// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpExchange.h"
#include "core/http/HttpStatus.h"
#include <QTcpSocket>

namespace Switchyard {

namespace {
// A response to HEAD carries the head a GET would get, and no body.
bool isHead(const HttpRequest &request)
{
    return request.method == "HEAD";
}
} // namespace

HttpExchange::HttpExchange(HttpRequest request, QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_socket(socket)
{
}

void HttpExchange::addResponseHeader(const QByteArray &name, const QByteArray &value)
{
    m_extraHeaders.set(name, value);
}

bool HttpExchange::isClientConnected() const
{
    return !m_clientGone && (m_capturing || (m_socket && m_socket->state() == QAbstractSocket::ConnectedState));
}

QByteArray HttpExchange::head(int status, const HttpHeaders &headers, const QByteArray &framing) const
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    for (const auto &[name, value] : m_extraHeaders) {
        if (!headers.contains(name))
            out += name + ": " + value + "\r\n";
    }
    out += framing;
    if (closesConnection())
        out += "Connection: close\r\n";
    out += "\r\n";
    return out;
}

void HttpExchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_state != State::Idle)
        return;
    m_status = status;
    m_state = State::Finished;
    if (isClientConnected()) {
        QByteArray out = head(status, headers, "Content-Length: " + QByteArray::number(body.size()) + "\r\n");
        if (!isHead(m_request))
            out += body;
        send(out);
    }
    Q_EMIT finished();
}

void HttpExchange::respondCaptured(int status, const QByteArray &bytes, bool closeAfter)
{
    if (m_state == State::Finished)
        return;
    m_status = status;
    m_state = State::Finished;
    m_closeAfter = m_closeAfter || closeAfter;
    if (isClientConnected())
        send(bytes);
    Q_EMIT finished();
}

void HttpExchange::relayCaptured(int status, const QByteArray &bytes)
{
    if (m_state == State::Finished)
        return;
    m_status = status;
    m_state = State::Streaming;
    if (!isClientConnected())
        return;
    if (m_socket->bytesToWrite() > MaxRelayBacklog) {
        m_socket->abort(); // the connection notices, and tells whoever produces the stream
        return;
    }
    send(bytes);
}

void HttpExchange::respondJson(int status, const QByteArray &json)
{
    HttpHeaders headers;
    headers.add(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    respond(status, headers, json);
}

void HttpExchange::startStream(int status, const HttpHeaders &headers)
{
    if (m_state != State::Idle)
        return;
    m_status = status;
    m_state = State::Streaming;
    // HTTP/1.0 clients know no chunked encoding: their stream ends when the connection closes.
    m_chunked = m_request.httpMinor >= 1;
    if (!m_chunked)
        m_closeAfter = true;
    if (isClientConnected())
        send(head(status, headers, m_chunked ? QByteArrayLiteral("Transfer-Encoding: chunked\r\n") : QByteArray()));
}

void HttpExchange::writeChunk(const QByteArray &data)
{
    if (m_state != State::Streaming || data.isEmpty() || !isClientConnected() || isHead(m_request))
        return;
    if (m_chunked)
        send(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    else
        send(data);
}

void HttpExchange::endStream()
{
    if (m_state != State::Streaming)
        return;
    m_state = State::Finished;
    if (m_chunked && isClientConnected() && !isHead(m_request))
        send(QByteArrayLiteral("0\r\n\r\n"));
    Q_EMIT finished();
}

void HttpExchange::send(const QByteArray &bytes)
{
    // Written now rather than when the event loop next finds the socket writable: a streamed
    // event reaches the client the moment it is forwarded, and the loop has one pass less to make.
    if (m_capturing) {
        m_captured += bytes;
        if (m_state == State::Streaming)
            Q_EMIT captured();
        return;
    }
    m_socket->write(bytes);
    m_socket->flush();
}

void HttpExchange::markClientGone()
{
    if (m_clientGone)
        return;
    m_clientGone = true;
    if (m_state != State::Finished)
        Q_EMIT clientGone();
}

} // namespace Switchyard
