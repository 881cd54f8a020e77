// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RequestForwarder.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpHandler.h"
#include <memory>

namespace Switchyard {

RequestForwarder::RequestForwarder(HttpHandler *handler, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
{
}

void RequestForwarder::forward(HttpExchange *exchange, QObject *replyContext)
{
    // Both pointers are created here, on the worker's thread. `origin` is only dereferenced
    // back there; `context` is checked on the coordinator, which is safe because a worker's
    // objects are deleted only while the coordinator is blocked waiting for it.
    const QPointer<HttpExchange> origin(exchange);
    const QPointer<QObject> context(replyContext);
    // The sink, once made; only touched on the coordinator's thread.
    const auto sinkHolder = std::make_shared<QPointer<HttpExchange>>();
    // A long answer (GET /api/events) learns that its client left.
    connect(exchange, &HttpExchange::clientGone, this, [sinkHolder] {
        if (HttpExchange *sink = sinkHolder->data())
            sink->noteClientGone();
    });
    QMetaObject::invokeMethod(
        this,
        [this, request = exchange->request(), origin, context, sinkHolder] {
            auto *sink = new HttpExchange(request, nullptr, this);
            *sinkHolder = sink;
            sink->captureResponse();
            // A streamed answer goes out part by part, as it is written here.
            connect(sink, &HttpExchange::captured, this, [sink, origin, context] {
                if (!context)
                    return;
                QMetaObject::invokeMethod(
                    context.data(),
                    [origin, status = sink->status(), bytes = sink->takeCaptured()] {
                        if (origin)
                            origin->relayCaptured(status, bytes);
                    },
                    Qt::QueuedConnection);
            });
            connect(sink, &HttpExchange::finished, this, [sink, origin, context] {
                sink->deleteLater();
                if (!context)
                    return;
                QMetaObject::invokeMethod(
                    context.data(),
                    [origin, status = sink->status(), bytes = sink->takeCaptured(), close = sink->closesConnection()] {
                        if (origin)
                            origin->respondCaptured(status, bytes, close);
                    },
                    Qt::QueuedConnection);
            });
            m_handler->handle(sink);
        },
        Qt::QueuedConnection);
}

} // namespace Switchyard
