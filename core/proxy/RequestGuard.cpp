// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RequestGuard.h"
#include <QHostAddress>

namespace Switchyard {

namespace {

// Compares without an early exit, so the time taken says nothing about the token.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const qsizetype n = qMax(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const char x = i < a.size() ? a.at(i) : 0;
        const char y = i < b.size() ? b.at(i) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

} // namespace

bool RequestGuard::isPreflight(const HttpRequest &request)
{
    return request.method == "OPTIONS" && request.headers.contains("access-control-request-method");
}

bool RequestGuard::hostAllowed(const QByteArray &hostHeader, const QString &boundHost, quint16 boundPort)
{
    QByteArray host = hostHeader.trimmed().toLower();
    // Only the characters of a name, an address literal and a port (RFC 3986): QHostAddress
    // is lenient, skipping the Unicode spaces Latin-1 0x85 and 0xA0 read as ("\x85" "127.4"
    // was 127.0.0.4) and signs inside numbers ("127.0.+0.1" was 127.0.0.1).
    for (const char c : std::as_const(host)) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'
                             || c == '[' || c == ']' || c == '%' || c == '_';
        if (!allowed)
            return false;
    }
    // A browser always names a non-default port, so a Host without one cannot come from a
    // rebound web page; only the name is checked then.
    const qsizetype colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith(']')) {
        bool ok = false;
        const int port = host.mid(colon + 1).toInt(&ok);
        if (!ok || port != boundPort)
            return false;
        host.truncate(colon);
    }
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    if (host == "localhost" || host == boundHost.toLower().toLatin1())
        return true;
    const QHostAddress address(QString::fromLatin1(host));
    return !address.isNull() && address.isLoopback();
}

bool RequestGuard::tokenPresented(const HttpRequest &request, const QString &token)
{
    const QByteArray expected = token.toUtf8();
    QByteArray presented = request.headers.value("authorization");
    if (presented.startsWith("Bearer ") || presented.startsWith("bearer "))
        presented = presented.mid(7).trimmed();
    if (presented.isEmpty())
        presented = request.headers.value("x-api-key").trimmed();
    return !presented.isEmpty() && constantTimeEquals(presented, expected);
}

std::optional<RequestGuard::Rejection> RequestGuard::check(const HttpRequest &request, const ListenConfig &listen,
                                                           const QString &boundHost, quint16 boundPort)
{
    // On loopback the Host must name this machine: a DNS name rebound to 127.0.0.1 by a
    // web page does not.
    if (isLoopbackHost(boundHost) && !hostAllowed(request.headers.value("host"), boundHost, boundPort))
        return Rejection{403, QStringLiteral("the Host header \"%1\" does not name this gateway (expected 127.0.0.1:%2 or "
                                             "localhost:%2); refused to protect against DNS rebinding")
                                  .arg(QString::fromLatin1(request.headers.value("host")))
                                  .arg(boundPort)};
    const QByteArray origin = request.headers.value("origin");
    if (!origin.isEmpty() && !listen.allowedOrigins.contains(QString::fromUtf8(origin)))
        return Rejection{403, QStringLiteral("requests from web pages (Origin %1) are refused; add the origin to "
                                             "listen.allowed_origins to allow it")
                                  .arg(QString::fromUtf8(origin))};
    if (!listen.token.isEmpty() && !isPreflight(request) && !tokenPresented(request, listen.token))
        return Rejection{401, QStringLiteral("this gateway needs its access token: send Authorization: Bearer <listen.token>")};
    return std::nullopt;
}

HttpHeaders RequestGuard::corsHeaders(const HttpRequest &request, const ListenConfig &listen)
{
    HttpHeaders headers;
    const QByteArray origin = request.headers.value("origin");
    if (origin.isEmpty() || !listen.allowedOrigins.contains(QString::fromUtf8(origin)))
        return headers;
    headers.add("Access-Control-Allow-Origin", origin);
    headers.add("Vary", "Origin");
    if (isPreflight(request)) {
        headers.add("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
        headers.add("Access-Control-Allow-Headers", "authorization, content-type, x-api-key, anthropic-version, anthropic-beta, openai-beta");
        headers.add("Access-Control-Max-Age", "600");
    }
    return headers;
}

} // namespace Switchyard
