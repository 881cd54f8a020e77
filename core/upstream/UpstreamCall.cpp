// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include <QPointer>
#include <QSslSocket>

namespace Switchyard {

UpstreamCall::UpstreamCall(UpstreamClient *client, UpstreamRequest request)
    : QObject(client)
    , m_client(client)
    , m_request(std::move(request))
    , m_poolKey(UpstreamClient::poolKey(m_request.url))
{
    m_phaseTimer.setSingleShot(true);
    m_totalTimer.setSingleShot(true);
    connect(&m_phaseTimer, &QTimer::timeout, this, &UpstreamCall::onPhaseTimeout);
    connect(&m_totalTimer, &QTimer::timeout, this, &UpstreamCall::onTotalTimeout);
    if (m_request.method == "HEAD")
        m_parser.expectNoBody();
}

UpstreamCall::~UpstreamCall()
{
    discardSocket();
}

void UpstreamCall::start()
{
    m_clock.start();
    m_totalTimer.start(m_request.timeouts.totalMs);
    m_socket = m_client->takeIdle(m_poolKey);
    if (m_socket) {
        m_reusedConnection = true;
        attachSocket();
        sendRequest();
    } else {
        connectNew();
    }
}

void UpstreamCall::connectNew()
{
    m_reusedConnection = false;
    m_socket = m_client->openSocket(m_request.url);
    attachSocket();
    m_phase = Phase::Connecting;
    m_phaseTimer.start(m_request.timeouts.connectMs);
    const QUrl &url = m_request.url;
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) {
        connect(tls, &QSslSocket::encrypted, this, &UpstreamCall::sendRequest);
        tls->setPeerVerifyName(url.host());
        tls->connectToHostEncrypted(url.host(), quint16(url.port(443)));
    } else {
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamCall::sendRequest);
        m_socket->connectToHost(url.host(), quint16(url.port(80)));
    }
}

void UpstreamCall::attachSocket()
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamCall::readResponse);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamCall::onSocketClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamCall::onSocketClosed);
}

void UpstreamCall::sendRequest()
{
    const QUrl &url = m_request.url;
    const bool tls = url.scheme() == QLatin1String("https");
    const int port = url.port(tls ? 443 : 80);
    QByteArray message;
    message.reserve(512 + m_request.body.size());
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    message += m_request.method + ' ' + target + " HTTP/1.1\r\nHost: " + url.host(QUrl::FullyEncoded).toLatin1();
    if (port != (tls ? 443 : 80))
        message += ':' + QByteArray::number(port);
    message += "\r\n";
    for (const auto &[name, value] : m_request.headers)
        message += name + ": " + value + "\r\n";
    message += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n\r\n";
    message += m_request.body;
    if (!m_reusedConnection) // set once a connection exists (Qt ignores it before); a pooled one keeps it
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_phase = Phase::Waiting;
    m_phaseTimer.start(m_request.timeouts.firstByteMs);
    // Out now, in one segment, rather than when the event loop next finds the socket writable.
    m_socket->write(message);
    m_socket->flush();
}

void UpstreamCall::readResponse()
{
    if (m_phase != Phase::Waiting && m_phase != Phase::Receiving)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    if (m_phase == Phase::Waiting) {
        m_phase = Phase::Receiving;
        m_firstByteMs = m_clock.elapsed();
    }
    m_phaseTimer.start(m_request.timeouts.idleMs);
    if (!m_parser.feed(data.constData(), data.size())) {
        fail(ErrorClass::BadUpstreamResponse, m_parser.errorMessage());
        return;
    }
    QPointer<UpstreamCall> self(this); // a slot may abort or delete this call
    if (m_parser.headComplete() && !m_headEmitted) {
        m_headEmitted = true;
        Q_EMIT responseHead(m_parser.status(), m_parser.headers());
        if (!self || m_phase == Phase::Done)
            return;
    }
    const QByteArray body = m_parser.takeBody();
    if (!body.isEmpty()) {
        Q_EMIT responseData(body);
        if (!self || m_phase == Phase::Done)
            return;
    }
    if (m_parser.messageComplete())
        complete();
}

void UpstreamCall::onSocketClosed()
{
    if (m_phase == Phase::Done || !m_socket)
        return;
    if (m_phase == Phase::Waiting && m_reusedConnection && !m_firstByteMs) {
        // The server closed a pooled connection just as it was reused: try a fresh one.
        discardSocket();
        connectNew();
        return;
    }
    if (m_phase == Phase::Connecting) {
        fail(ErrorClass::ConnectFailed, QStringLiteral("cannot connect to %1: %2").arg(m_request.url.authority(), m_socket->errorString()));
        return;
    }
    if (m_phase == Phase::Receiving && m_socket->bytesAvailable() > 0)
        readResponse();
    if (m_phase == Phase::Done)
        return;
    if (m_parser.headComplete() && m_parser.finish()) { // a body that ends when the connection does
        const QByteArray body = m_parser.takeBody();
        if (!body.isEmpty())
            Q_EMIT responseData(body);
        complete();
        return;
    }
    if (!m_headEmitted)
        fail(ErrorClass::BadUpstreamResponse, QStringLiteral("%1 closed the connection without a complete response head").arg(m_request.url.authority()));
    else
        fail(ErrorClass::StreamInterrupted, QStringLiteral("%1 closed the connection in the middle of the response body").arg(m_request.url.authority()));
}

ErrorClass UpstreamCall::timeoutClass() const
{
    switch (m_phase) {
    case Phase::Connecting: return ErrorClass::TimeoutConnect;
    case Phase::Waiting: return ErrorClass::TimeoutFirstByte;
    default: break;
    }
    return ErrorClass::TimeoutIdle;
}

void UpstreamCall::onPhaseTimeout()
{
    static const char *const limits[] = {"", "connect_ms", "first_byte_ms", "idle_ms", ""};
    const int ms = m_phase == Phase::Connecting ? m_request.timeouts.connectMs
                   : m_phase == Phase::Waiting  ? m_request.timeouts.firstByteMs
                                                : m_request.timeouts.idleMs;
    fail(timeoutClass(), QStringLiteral("%1 did not answer within %2 (%3 ms)")
                             .arg(m_request.url.authority(), QLatin1String(limits[int(m_phase)])).arg(ms));
}

void UpstreamCall::onTotalTimeout()
{
    fail(timeoutClass(), QStringLiteral("%1: the call exceeded total_ms (%2 ms)").arg(m_request.url.authority()).arg(m_request.timeouts.totalMs));
}

void UpstreamCall::complete()
{
    m_phase = Phase::Done;
    m_phaseTimer.stop();
    m_totalTimer.stop();
    if (m_parser.keepAlive() && m_socket && m_socket->state() == QAbstractSocket::ConnectedState
        && m_socket->bytesAvailable() == 0) {
        m_socket->disconnect(this);
        m_client->release(m_poolKey, std::exchange(m_socket, nullptr));
    } else {
        discardSocket();
    }
    Q_EMIT finished();
}

void UpstreamCall::fail(ErrorClass errorClass, const QString &message)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_phaseTimer.stop();
    m_totalTimer.stop();
    discardSocket();
    Q_EMIT failed(errorClass, message);
}

void UpstreamCall::abort()
{
    m_phase = Phase::Done;
    m_phaseTimer.stop();
    m_totalTimer.stop();
    discardSocket();
}

void UpstreamCall::discardSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

} // namespace Switchyard
