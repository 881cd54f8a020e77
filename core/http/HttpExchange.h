// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpRequest.h"
#include <QObject>
#include <QPointer>
#include <utility>

class QTcpSocket;

namespace Switchyard {

// One request and its response on a client connection. A handler answers either at once
// (respond) or as a stream (startStream, writeChunk..., endStream). If the client goes away
// first, clientGone() is emitted and later writes are ignored.
class HttpExchange final : public QObject
{
    Q_OBJECT
public:
    HttpExchange(HttpRequest request, QTcpSocket *socket, QObject *parent);

    const HttpRequest &request() const { return m_request; }
    // Fields every response carries, added by respond() and startStream().
    void addResponseHeader(const QByteArray &name, const QByteArray &value);
    QByteArray responseHeader(const QByteArray &name) const { return m_extraHeaders.value(name); }

    void respond(int status, const HttpHeaders &headers, const QByteArray &body);
    void respondJson(int status, const QByteArray &json);
    void startStream(int status, const HttpHeaders &headers);
    void writeChunk(const QByteArray &data);
    void endStream();

    bool isClientConnected() const;
    bool hasStarted() const { return m_state != State::Idle; }
    bool isFinished() const { return m_state == State::Finished; }
    int status() const { return m_status; }
    // Close the connection after this response instead of keeping it alive.
    void setCloseAfterResponse() { m_closeAfter = true; }

    // Without a socket: keep the response's bytes instead of dropping them (a request served
    // on another thread than its connection's). takeCaptured() hands them over.
    void captureResponse() { m_capturing = true; }
    QByteArray takeCaptured() { return std::exchange(m_captured, {}); }
    // Sends a response another exchange captured for this request, as if answered here; with
    // relayCaptured() first, the parts of a streamed one as they come (the rest at the end).
    void respondCaptured(int status, const QByteArray &bytes, bool closeAfter);
    void relayCaptured(int status, const QByteArray &bytes);
    // A capturing exchange learns that the client of the one it answers for has gone.
    void noteClientGone() { markClientGone(); }
    bool closesConnection() const { return m_closeAfter || !m_request.keepAlive; }

    // A relayed stream that falls this far behind its client is cut: the reader is too slow.
    static constexpr qint64 MaxRelayBacklog = 8 * 1024 * 1024;

Q_SIGNALS:
    void clientGone();
    void finished();
    // Capturing a streamed response: more of it is ready in takeCaptured().
    void captured();

private:
    friend class HttpConnection;
    void markClientGone();
    QByteArray head(int status, const HttpHeaders &headers, const QByteArray &framing) const;
    void send(const QByteArray &bytes);

    enum class State { Idle, Streaming, Finished };
    HttpRequest m_request;
    QPointer<QTcpSocket> m_socket;
    HttpHeaders m_extraHeaders;
    State m_state = State::Idle;
    int m_status = 0;
    bool m_closeAfter = false;
    bool m_clientGone = false;
    bool m_chunked = true;
    bool m_capturing = false;
    QByteArray m_captured;
};

} // namespace Switchyard
