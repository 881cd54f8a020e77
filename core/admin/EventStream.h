// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Switchyard {

class HttpExchange;

// GET /api/events: what happens in the gateway, as server-sent events, for a window attached
// from elsewhere and for scripts (`curl -N`). Each finished call is a `request` event whose data
// is the call as an item of GET /api/requests; a config that takes effect is a `config` event.
// A comment every 15 s keeps proxies and load balancers from closing a quiet stream. Nothing is
// built while nobody listens.
class EventStream final : public QObject
{
    Q_OBJECT
public:
    static constexpr int HeartbeatMs = 15000;

    explicit EventStream(QObject *parent = nullptr);

    // Answers `exchange` with the stream; it stays open until the client leaves.
    void subscribe(HttpExchange *exchange);
    int subscriberCount() const { return int(m_subscribers.size()); }

    void publishFinished(const QList<Switchyard::CallRecord> &records);
    void publishConfig(const Switchyard::Config &config);

private:
    void broadcast(const QByteArray &events);
    void unsubscribe(HttpExchange *exchange);

    QList<QPointer<HttpExchange>> m_subscribers;
    QTimer m_heartbeat;
};

} // namespace Switchyard
