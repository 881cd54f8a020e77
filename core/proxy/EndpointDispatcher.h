// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHandler.h"
#include "core/record/CallRecord.h"
#include "core/record/Dialect.h"
#include "core/routing/ErrorClass.h"
#include "core/routing/RoutePlanner.h"
#include "core/util/Result.h"
#include <QHostAddress>
#include <QObject>
#include <QRandomGenerator>
#include <functional>
#include <optional>

namespace Switchyard {

class AdminApi;
class CallFinisher;
class EngineState;
class RequestForwarder;
class UpstreamClient;
struct EngineSnapshot;
struct ProxyContext;

// An inbound endpoint that is proxied: the client's dialect, and the path an OpenAI-kind
// target is asked on (Anthropic-kind targets get theirs from AttemptCodec).
struct ProxiedEndpoint
{
    Dialect dialect = Dialect::OpenAi;
    QString upstreamPath;

    static std::optional<ProxiedEndpoint> forPath(QByteArrayView path);
};

// Answers each inbound request: the guard (Host, Origin, token), then the endpoint — a proxied
// call through routing, /health, /v1/models, /api/route, /metrics or the admin API. The
// coordinator has one (for replays and what workers forward); each proxy worker has its own,
// which serves proxied calls and /health and forwards the rest.
class EndpointDispatcher final : public QObject, public HttpHandler
{
    Q_OBJECT
public:
    using Done = std::function<void(const CallRecord &)>;

    EndpointDispatcher(EngineState *state, CallFinisher *finisher, QObject *parent = nullptr);
    // The address clients reach the gateway at (for the Host check and client lookups).
    void setListenAddress(const QHostAddress &address, quint16 port)
    {
        m_address = address;
        m_port = port;
    }
    void setClient(UpstreamClient *client) { m_client = client; }
    void setAdmin(AdminApi *admin) { m_admin = admin; }
    // Makes this a worker's dispatcher: number `index`, leaving to `forwarder` what it does not serve.
    void setWorker(int index, RequestForwarder *forwarder)
    {
        m_workerIndex = index;
        m_forwarder = forwarder;
    }

    void handle(HttpExchange *exchange) override;
    // Sends a request through routing; `done` gets its finished record.
    void dispatch(HttpExchange *exchange, const ProxiedEndpoint &endpoint, CallRecord record, const Done &done);
    // A record for a new call: id, time, client and the request as logged (secrets masked).
    CallRecord newRecord(const HttpExchange *exchange) const;
    static QString newRequestId();
    // The plan a request for `model` would get now, without changing the next weighted draw.
    Result<RoutePlan> explain(const QString &model) const;

private:
    void handleModels(HttpExchange *exchange);
    void handleRoute(HttpExchange *exchange);
    void rejectCall(HttpExchange *exchange, Dialect dialect, CallRecord record, int status, ErrorClass errorClass,
                    const QString &message, const Done &done);
    void handleMetrics(HttpExchange *exchange);
    ProxyContext context(const std::shared_ptr<const EngineSnapshot> &snapshot) const;

    EngineState *m_state;
    CallFinisher *m_finisher;
    QHostAddress m_address;
    quint16 m_port = 0;
    UpstreamClient *m_client = nullptr;
    AdminApi *m_admin = nullptr;
    RequestForwarder *m_forwarder = nullptr;
    int m_workerIndex = -1;
    QRandomGenerator m_random = QRandomGenerator::securelySeeded(); // weighted draws, per thread
};

} // namespace Switchyard
