// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/FakeProviderConnection.h"
#include "core/http/HttpStatus.h"
#include "core/http/JsonErrors.h"
#include "tests/support/FakeProviderState.h"
#include <QTcpSocket>
#include <sys/socket.h>

namespace Switchyard::Test {

FakeProviderConnection::FakeProviderConnection(QTcpSocket *socket, quint64 id, FakeProviderState *state, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_id(id)
    , m_state(state)
    , m_parser(HttpRequestParser::Limits())
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FakeProviderConnection::advance);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeProviderConnection::readAvailable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &FakeProviderConnection::advance);
    connect(m_socket, &QTcpSocket::disconnected, this, &FakeProviderConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &FakeProviderConnection::onDisconnected);
}

FakeProviderConnection::~FakeProviderConnection()
{
    // Sockets emit disconnected() while being destroyed; nothing here may react to that.
    m_socket->disconnect(this);
}

void FakeProviderConnection::readAvailable()
{
    // Read even while replying, so a client that goes away is noticed at once.
    m_buffer.append(m_socket->readAll());
    process();
}

void FakeProviderConnection::process()
{
    while (!m_replying && !m_closing && !m_buffer.isEmpty()) {
        const auto result = m_parser.feed(m_buffer.constData(), m_buffer.size());
        if (result.status == HttpRequestParser::Status::Failed) {
            const int status = m_parser.errorStatus();
            const QByteArray body = JsonErrors::openAi(status, m_parser.errorMessage());
            m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status)
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                            + "\r\nConnection: close\r\n\r\n" + body);
            m_closing = true;
            m_socket->disconnectFromHost();
            return;
        }
        m_buffer.remove(0, result.consumed);
        if (m_parser.takeContinueRequest())
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        if (result.status != HttpRequestParser::Status::RequestComplete)
            continue;
        HttpRequest request = m_parser.takeRequest();
        request.connectionId = m_id;
        request.peerAddress = m_socket->peerAddress();
        request.peerPort = m_socket->peerPort();
        request.localPort = m_socket->localPort();
        const FakeProviderState::Assignment assignment = m_state->accept(request);
        m_plan = FakeProviderReplies::plan(request, assignment.behaviour, assignment.reply);
        m_nextStep = 0;
        m_waited = false;
        m_replying = true;
        Q_EMIT requestReceived();
        advance();
    }
}

// Writes the plan's steps up to the next pause. Once all are written, the reply ends when
// the socket has handed the last byte to the system (bytesWritten() calls this again).
void FakeProviderConnection::advance()
{
    if (!m_replying || m_timer.isActive())
        return;
    while (m_nextStep < m_plan.steps.size()) {
        const ReplyStep &step = m_plan.steps.at(m_nextStep);
        if (step.delayMs > 0 && !m_waited) {
            m_waited = true;
            m_timer.start(step.delayMs);
            return;
        }
        m_waited = false;
        ++m_nextStep;
        if (!step.bytes.isEmpty())
            m_socket->write(step.bytes);
    }
    if (m_plan.ending != ReplyPlan::Ending::Hold && m_socket->bytesToWrite() == 0)
        finishReply(); // Hold: in flight until the client goes away
}

void FakeProviderConnection::finishReply()
{
    m_replying = false;
    m_state->finish(false);
    if (m_plan.ending == ReplyPlan::Ending::Abort) {
        closeAbruptly();
    } else if (m_plan.closeAfter) {
        m_closing = true;
        m_socket->disconnectFromHost();
    } else {
        process(); // the next request on this connection, if it is already here
    }
}

void FakeProviderConnection::closeAbruptly()
{
    m_closing = true;
    m_timer.stop();
    if (m_plan.reset) {
        // A zero linger time makes close() send RST rather than FIN: the peer sees "connection reset".
        const linger immediately{1, 0};
        ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &immediately, sizeof immediately);
    }
    m_socket->abort(); // nothing is left to write: advance() waited for that
}

void FakeProviderConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_closing = true;
    m_timer.stop();
    if (m_replying) {
        m_replying = false;
        m_state->finish(true);
        Q_EMIT clientDisconnected();
    }
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    deleteLater();
}

} // namespace Switchyard::Test
