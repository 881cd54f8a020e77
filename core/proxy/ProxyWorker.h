// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QHostAddress>
#include <QObject>
#include <functional>

class QThread;

namespace Switchyard {

class CallFinisher;
class EndpointDispatcher;
class EngineState;
class HttpServer;
class RequestForwarder;
class UpstreamClient;

// One proxy thread: its own event loop, inbound connections (handed over by the
// ConnectionAcceptor), upstream keep-alive pool and dispatcher. Finished calls go to the
// coordinator's CallFinisher; what is not a call goes to its RequestForwarder.
// Created and stopped by the coordinator; its parts live and die on the worker's thread.
class ProxyWorker final
{
public:
    static constexpr int MaxCount = 64; // workers of one gateway at most

    ProxyWorker(int index, EngineState *state, CallFinisher *finisher, RequestForwarder *forwarder);
    ~ProxyWorker(); // stops the thread: connections close, their calls cancel and are finished
    ProxyWorker(const ProxyWorker &) = delete;
    ProxyWorker &operator=(const ProxyWorker &) = delete;

    using ThreadStarter = std::function<void(QThread *)>;
    // Starts the thread with `startThread` and builds the parts there; returns once they exist.
    void start(const QHostAddress &address, quint16 port, const ThreadStarter &startThread);
    HttpServer *server() const { return m_server; }

private:
    int m_index;
    EngineState *m_state;
    CallFinisher *m_finisher;
    RequestForwarder *m_forwarder;
    QThread *m_thread;
    QObject *m_home = nullptr; // parent of the parts, on the worker's thread
    HttpServer *m_server = nullptr;
};

} // namespace Switchyard
