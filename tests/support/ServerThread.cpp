// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/ServerThread.h"
#include "core/http/HttpServer.h"
#include "tests/support/EchoHandler.h"

namespace Switchyard::Test {

ServerThread::ServerThread(const ServerLimits &limits)
{
    m_handler = new EchoHandler;
    m_server = new HttpServer(m_handler, m_handler);
    m_server->setLimits(limits);
    m_handler->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_handler, [this] {
        if (m_server->listen(QStringLiteral("127.0.0.1"), 0))
            m_port = m_server->port();
    }, Qt::BlockingQueuedConnection);
}

ServerThread::~ServerThread()
{
    QMetaObject::invokeMethod(m_handler, [this] { delete m_handler; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

int ServerThread::connectionCount() const
{
    int count = 0;
    QMetaObject::invokeMethod(m_handler, [this, &count] { count = m_server->connectionCount(); },
                              Qt::BlockingQueuedConnection);
    return count;
}

} // namespace Switchyard::Test
