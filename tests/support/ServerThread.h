// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QThread>

namespace Switchyard {
class HttpServer;
}

namespace Switchyard::Test {

class EchoHandler;

// Runs an HttpServer with EchoHandler on its own thread, on a port the OS picks, the way
// the app runs it; tests then talk to it with blocking clients.
//   /echo            200, JSON describing the request (method, path, query, headers, body)
//   /delay?ms=N      the same after N ms (pipelining order)
//   /stream?chunks=N&interval_ms=M   a chunked stream of N "chunk i\n" pieces
class ServerThread final
{
public:
    explicit ServerThread(const ServerLimits &limits = ServerLimits());
    ~ServerThread();
    quint16 port() const { return m_port; }
    int connectionCount() const;

private:
    QThread m_thread;
    EchoHandler *m_handler = nullptr;
    HttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace Switchyard::Test
