// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyWorker.h"
#include "core/http/HttpServer.h"
#include "core/proxy/CallFinisher.h"
#include "core/proxy/EndpointDispatcher.h"
#include "core/upstream/UpstreamClient.h"
#include <QThread>

namespace Switchyard {

ProxyWorker::ProxyWorker(int index, EngineState *state, CallFinisher *finisher, RequestForwarder *forwarder)
    : m_index(index)
    , m_state(state)
    , m_finisher(finisher)
    , m_forwarder(forwarder)
    , m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("proxy-worker-%1").arg(index));
}

void ProxyWorker::start(const QHostAddress &address, quint16 port, const ThreadStarter &startThread)
{
    m_home = new QObject;
    m_home->moveToThread(m_thread);
    startThread(m_thread);
    // Built on the worker's thread, so their sockets and timers belong to it from birth.
    QMetaObject::invokeMethod(
        m_home,
        [this, address, port] {
            auto *dispatcher = new EndpointDispatcher(m_state, m_finisher, m_home);
            auto *client = new UpstreamClient(m_home);
            dispatcher->setClient(client);
            dispatcher->setListenAddress(address, port);
            dispatcher->setWorker(m_index, m_forwarder);
            m_server = new HttpServer(dispatcher, m_home);
            QObject::connect(m_server, &HttpServer::connectionClosed, m_finisher, &CallFinisher::forgetConnection);
        },
        Qt::BlockingQueuedConnection);
}

ProxyWorker::~ProxyWorker()
{
    if (m_home) {
        QMetaObject::invokeMethod(
            m_home,
            [this] {
                // The server first: closing its connections cancels their calls, whose records
                // still reach the finisher; then the dispatcher (and calls), then the pool.
                delete m_server;
                m_server = nullptr;
                delete m_home;
                m_home = nullptr;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

} // namespace Switchyard
