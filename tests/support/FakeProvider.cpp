// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/FakeProvider.h"
#include "tests/support/FakeProviderConnection.h"
#include "tests/support/FakeProviderState.h"
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace Switchyard::Test {

using Behaviour = FakeProvider::Behaviour;

Behaviour Behaviour::answer()
{
    return {};
}

Behaviour Behaviour::slowFirstByte(int ms)
{
    Behaviour b;
    b.firstByteDelayMs = ms;
    return b;
}

Behaviour Behaviour::httpError(int status, const QString &message, const QByteArray &retryAfter)
{
    Behaviour b;
    b.fault = Fault::HttpError;
    b.status = status;
    b.message = message;
    b.retryAfter = retryAfter;
    return b;
}

Behaviour Behaviour::stall(int afterPieces, int ms)
{
    Behaviour b;
    b.fault = Fault::StallMidStream;
    b.afterPieces = afterPieces;
    b.pauseMs = ms;
    return b;
}

Behaviour Behaviour::cut(int afterPieces)
{
    Behaviour b;
    b.fault = Fault::CutMidStream;
    b.afterPieces = afterPieces;
    return b;
}

Behaviour Behaviour::resetMidBody(int afterPieces)
{
    Behaviour b;
    b.fault = Fault::ResetMidBody;
    b.afterPieces = afterPieces;
    return b;
}

Behaviour Behaviour::oversized(qint64 bytes)
{
    Behaviour b;
    b.fault = Fault::Oversized;
    b.bytes = bytes;
    return b;
}

namespace {
Behaviour withFault(FakeProvider::Fault fault)
{
    Behaviour b;
    b.fault = fault;
    return b;
}
} // namespace

Behaviour Behaviour::reset() { return withFault(Fault::ResetBeforeHeaders); }
Behaviour Behaviour::malformedJson() { return withFault(Fault::MalformedJson); }
Behaviour Behaviour::malformedSse() { return withFault(Fault::MalformedSse); }
Behaviour Behaviour::wrongContentType() { return withFault(Fault::WrongContentType); }
Behaviour Behaviour::neverAnswer() { return withFault(Fault::NeverAnswer); }

FakeProvider::FakeProvider(QObject *parent)
    : QObject(parent)
    , m_state(std::make_unique<FakeProviderState>())
{
    m_thread.setObjectName(QStringLiteral("fake-provider"));
    m_server = new QTcpServer;
    m_server->setMaxPendingConnections(4096);
    m_server->setListenBacklogSize(4096); // hundreds of clients may connect at once
    m_server->moveToThread(&m_thread);
    connect(m_server, &QTcpServer::newConnection, m_server, [this] { acceptPending(); });
    m_thread.start();
    QMetaObject::invokeMethod(m_server, [this] {
        if (m_server->listen(QHostAddress::LocalHost, 0))
            m_port = m_server->serverPort();
        else
            qWarning("FakeProvider: cannot listen on 127.0.0.1: %s", qPrintable(m_server->errorString()));
    }, Qt::BlockingQueuedConnection);
}

FakeProvider::~FakeProvider()
{
    // The connections are the server's children; each detaches from its socket before dying.
    QMetaObject::invokeMethod(m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

// Runs on the server thread.
void FakeProvider::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new FakeProviderConnection(socket, m_nextConnectionId++, m_state.get(), m_server);
        connect(connection, &FakeProviderConnection::requestReceived, this, &FakeProvider::requestReceived,
                Qt::QueuedConnection);
        connect(connection, &FakeProviderConnection::clientDisconnected, this, &FakeProvider::clientDisconnected,
                Qt::QueuedConnection);
    }
}

QByteArray FakeProvider::baseUrl() const
{
    return "http://127.0.0.1:" + QByteArray::number(m_port);
}

void FakeProvider::setReply(const Reply &reply)
{
    const QMutexLocker lock(&m_state->mutex);
    m_state->reply = reply;
}

void FakeProvider::enqueue(const Behaviour &behaviour)
{
    const QMutexLocker lock(&m_state->mutex);
    m_state->script.enqueue(behaviour);
}

int FakeProvider::pendingBehaviours() const
{
    const QMutexLocker lock(&m_state->mutex);
    return int(m_state->script.size());
}

void FakeProvider::stopListening()
{
    QMetaObject::invokeMethod(m_server, [this] { m_server->close(); }, Qt::BlockingQueuedConnection);
}

quint16 FakeProvider::unusedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 found = probe.serverPort();
    probe.close();
    return found;
}

int FakeProvider::requestCount() const
{
    const QMutexLocker lock(&m_state->mutex);
    return int(m_state->requests.size());
}

QList<HttpRequest> FakeProvider::requests() const
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->requests;
}

int FakeProvider::inFlight() const
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->inFlight;
}

int FakeProvider::maxInFlight() const
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->maxInFlight;
}

int FakeProvider::clientDisconnects() const
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->clientDisconnects;
}

bool FakeProvider::waitForRequests(int count, int timeoutMs)
{
    return waitUntil(&FakeProvider::requestCount, &FakeProvider::requestReceived, count, timeoutMs);
}

bool FakeProvider::waitForClientDisconnects(int count, int timeoutMs)
{
    return waitUntil(&FakeProvider::clientDisconnects, &FakeProvider::clientDisconnected, count, timeoutMs);
}

// Runs this thread's event loop until the counter reaches `count`; every change to it is
// followed by a queued signal, which wakes the loop to look again.
bool FakeProvider::waitUntil(int (FakeProvider::*counter)() const, void (FakeProvider::*signal)(), int count,
                             int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(this, signal, &loop, &QEventLoop::quit);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    while ((this->*counter)() < count) {
        if (deadline.hasExpired())
            return false;
        timer.start(int(qMax<qint64>(1, deadline.remainingTime())));
        loop.exec();
    }
    return true;
}

} // namespace Switchyard::Test
