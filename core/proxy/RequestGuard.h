// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/HttpRequest.h"
#include <optional>

namespace Switchyard {

// Decides whether a request may use the gateway at all, before routing: a web page must
// not be able to spend the user's keys or read the log, and a remote client must hold the
// access token. Checks, in order: DNS rebinding (Host), cross-site browsers (Origin), token.
class RequestGuard final
{
public:
    struct Rejection
    {
        int status = 403;
        QString message;
    };

    // `boundHost`/`boundPort`: where the server listens.
    static std::optional<Rejection> check(const HttpRequest &request, const ListenConfig &listen, const QString &boundHost,
                                          quint16 boundPort);
    // Access-Control-* headers for an allowed Origin (empty when none applies).
    static HttpHeaders corsHeaders(const HttpRequest &request, const ListenConfig &listen);
    static bool isPreflight(const HttpRequest &request);

private:
    static bool hostAllowed(const QByteArray &host, const QString &boundHost, quint16 boundPort);
    static bool tokenPresented(const HttpRequest &request, const QString &token);
};

} // namespace Switchyard
