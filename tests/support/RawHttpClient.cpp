// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/RawHttpClient.h"
#include "core/http/HttpResponseParser.h"
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>

namespace Switchyard::Test {

QJsonObject RawHttpClient::Response::json() const
{
    return QJsonDocument::fromJson(body).object();
}

RawHttpClient::RawHttpClient(quint16 port, const QHostAddress &host)
{
    m_socket.connectToHost(host, port);
    m_socket.waitForConnected(5000);
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.waitForBytesWritten(5000);
}

RawHttpClient::Response RawHttpClient::readResponse(int timeoutMs, bool headRequest)
{
    Response response;
    HttpResponseParser parser;
    if (headRequest)
        parser.expectNoBody();
    QDeadlineTimer deadline(timeoutMs);
    QByteArray data = std::exchange(m_pending, QByteArray());
    for (;;) {
        if (!data.isEmpty()) {
            // Feed one byte at a time once the message may end, so the rest stays for the next read.
            for (qsizetype i = 0; i < data.size(); ++i) {
                if (!parser.feed(data.constData() + i, 1)) {
                    response.error = parser.errorMessage();
                    return response;
                }
                if (parser.messageComplete()) {
                    m_pending = data.mid(i + 1);
                    break;
                }
            }
            response.body += parser.takeBody();
            data.clear();
        }
        if (parser.messageComplete())
            break;
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_socket.state() != QAbstractSocket::ConnectedState && parser.finish())
                break;
            response.error = m_socket.state() == QAbstractSocket::ConnectedState ? QStringLiteral("timed out")
                                                                                 : QStringLiteral("connection closed");
            response.status = parser.status();
            response.headers = parser.headers();
            response.body += parser.takeBody();
            return response;
        }
        data = m_socket.readAll();
    }
    response.body += parser.takeBody();
    response.status = parser.status();
    response.headers = parser.headers();
    response.complete = true;
    return response;
}

RawHttpClient::Stream RawHttpClient::readStream(int timeoutMs)
{
    Stream stream;
    HttpResponseParser parser;
    SseParser sse;
    QElapsedTimer clock;
    clock.start();
    QDeadlineTimer deadline(timeoutMs);
    QByteArray data = std::exchange(m_pending, QByteArray());
    for (;;) {
        if (!data.isEmpty() && !parser.feed(data.constData(), data.size())) {
            stream.error = parser.errorMessage();
            break;
        }
        const QByteArray body = parser.takeBody();
        stream.body += body;
        for (const SseEvent &event : sse.feed(body))
            stream.events.append({clock.elapsed(), event});
        if (parser.messageComplete()) {
            stream.complete = true;
            break;
        }
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_socket.state() != QAbstractSocket::ConnectedState && parser.finish()) {
                stream.complete = true;
                break;
            }
            stream.error = m_socket.state() == QAbstractSocket::ConnectedState ? QStringLiteral("timed out")
                                                                               : QStringLiteral("connection closed");
            break;
        }
        data = m_socket.readAll();
    }
    stream.status = parser.status();
    stream.headers = parser.headers();
    return stream;
}

bool RawHttpClient::waitForClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            m_socket.readAll();
    }
    return m_socket.state() != QAbstractSocket::ConnectedState;
}

QByteArray RawHttpClient::request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                  const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
        hasLength = hasLength || name.compare("content-length", Qt::CaseInsensitive) == 0
                    || name.compare("transfer-encoding", Qt::CaseInsensitive) == 0;
    }
    if (!hasLength && (!body.isEmpty() || method == "POST" || method == "PUT"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    return out;
}

RawHttpClient::Response RawHttpClient::fetch(quint16 port, const QByteArray &method, const QByteArray &path,
                                             const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    RawHttpClient client(port);
    client.send(request(method, path, body, headers));
    return client.readResponse(10000, method == "HEAD");
}

} // namespace Switchyard::Test
