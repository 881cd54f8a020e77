// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>

namespace Switchyard {

class HttpExchange;
class HttpHandler;
struct HttpRequest;

// Serves on the coordinator's thread what a proxy worker leaves to it (the admin API,
// /metrics, /v1/models, /api/route, preflights): the request is answered by a socket-less
// exchange here, and the bytes of its answer go back to the worker's connection. One
// gateway's state answers, whichever worker the client's connection landed on.
class RequestForwarder final : public QObject
{
    Q_OBJECT
public:
    RequestForwarder(HttpHandler *handler, QObject *parent = nullptr);

    // On a worker's thread. `replyContext` lives there and is deleted only while the
    // coordinator waits for that worker to stop.
    void forward(HttpExchange *exchange, QObject *replyContext);

private:
    HttpHandler *m_handler;
};

} // namespace Switchyard
