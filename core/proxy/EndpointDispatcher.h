// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHandler.h"
#include "core/proxy/CallRecord.h"
#include "core/proxy/Dialect.h"
#include "core/routing/ErrorClass.h"
#include <QObject>
#include <functional>
#include <optional>

namespace Switchyard {

class AdminApi;
class CallFinisher;
class HttpServer;
class UpstreamClient;
struct EngineState;
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
// call through routing, /health, /v1/models, /api/route, /metrics or the admin API.
class EndpointDispatcher final : public QObject, public HttpHandler
{
    Q_OBJECT
public:
    using Done = std::function<void(const CallRecord &)>;

    EndpointDispatcher(EngineState *state, CallFinisher *finisher, QObject *parent = nullptr);
    void setServer(HttpServer *server) { m_server = server; }
    void setClient(UpstreamClient *client) { m_client = client; }
    void setAdmin(AdminApi *admin) { m_admin = admin; }

    void handle(HttpExchange *exchange) override;
    // Sends a request through routing; `done` gets its finished record.
    void dispatch(HttpExchange *exchange, const ProxiedEndpoint &endpoint, CallRecord record, const Done &done);
    // A record for a new call: id, time, client and the request as logged (secrets masked).
    CallRecord newRecord(const HttpExchange *exchange) const;
    static QString newRequestId();

private:
    void handleModels(HttpExchange *exchange);
    void handleRoute(HttpExchange *exchange);
    void rejectCall(HttpExchange *exchange, Dialect dialect, CallRecord record, int status, ErrorClass errorClass,
                    const QString &message, const Done &done);
    ProxyContext context() const;

    EngineState *m_state;
    CallFinisher *m_finisher;
    HttpServer *m_server = nullptr;
    UpstreamClient *m_client = nullptr;
    AdminApi *m_admin = nullptr;
};

} // namespace Switchyard
