// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/stream/SseParser.h"
#include <QHostAddress>
#include <QJsonObject>
#include <QTcpSocket>

namespace Switchyard::Test {

// A blocking HTTP/1.1 client for tests: sends exactly the bytes given, parses responses
// with the real response parser. The server under test must run on another thread.
class RawHttpClient final
{
public:
    struct Response
    {
        int status = 0;
        HttpHeaders headers;
        QByteArray body;
        bool complete = false;
        QString error;
        QJsonObject json() const;
    };

    // A streamed response: each server-sent event with the time it arrived.
    struct Stream
    {
        int status = 0;
        HttpHeaders headers;
        QList<std::pair<qint64, SseEvent>> events; // (ms since readStream() began, event)
        QByteArray body;                           // the whole de-chunked body
        bool complete = false;
        QString error;
    };

    explicit RawHttpClient(quint16 port, const QHostAddress &host = QHostAddress::LocalHost);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &bytes);
    Response readResponse(int timeoutMs = 5000, bool headRequest = false);
    Stream readStream(int timeoutMs = 10000);
    // True if the server closed the connection within the time.
    bool waitForClosed(int timeoutMs);
    QTcpSocket &socket() { return m_socket; }

    static QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &body = QByteArray(),
                              const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    // One request on a fresh connection.
    static Response fetch(quint16 port, const QByteArray &method, const QByteArray &path,
                          const QByteArray &body = QByteArray(), const QList<std::pair<QByteArray, QByteArray>> &headers = {});

private:
    QTcpSocket m_socket;
    QByteArray m_pending; // bytes after the end of the previous response
};

} // namespace Switchyard::Test
