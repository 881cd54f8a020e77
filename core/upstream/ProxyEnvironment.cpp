// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/upstream/ProxyEnvironment.h"
#include "core/config/Config.h"

namespace Switchyard {

namespace {
QString env(const char *lower, const char *upper)
{
    const QString value = qEnvironmentVariable(lower);
    return value.isEmpty() ? qEnvironmentVariable(upper) : value;
}

QUrl proxyUrl(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QUrl::fromUserInput(text.contains(QLatin1String("://")) ? text : QStringLiteral("http://") + text);
}
} // namespace

ProxyEnvironment ProxyEnvironment::fromEnvironment()
{
    return ProxyEnvironment(env("http_proxy", "HTTP_PROXY"), env("https_proxy", "HTTPS_PROXY"), env("no_proxy", "NO_PROXY"));
}

ProxyEnvironment::ProxyEnvironment(const QString &httpProxy, const QString &httpsProxy, const QString &noProxy)
    : m_http(proxyUrl(httpProxy))
    , m_https(proxyUrl(httpsProxy))
{
    for (const QString &entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts))
        m_noProxy.append(entry.trimmed().toLower());
}

bool ProxyEnvironment::bypasses(const QString &host) const
{
    const QString h = host.toLower();
    if (isLoopbackHost(h))
        return true;
    for (QString entry : m_noProxy) {
        if (entry == QLatin1String("*"))
            return true;
        if (entry.startsWith(QLatin1Char('.')))
            entry.remove(0, 1);
        if (h == entry || h.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

QNetworkProxy ProxyEnvironment::proxyFor(const QUrl &url) const
{
    const QUrl &proxy = url.scheme() == QLatin1String("https") ? m_https : m_http;
    if (!proxy.isValid() || proxy.host().isEmpty() || bypasses(url.host()))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    // Without a port curl uses 1080, so the same variables reach the same proxy here.
    QNetworkProxy result(QNetworkProxy::HttpProxy, proxy.host(), quint16(proxy.port(1080)), proxy.userName(), proxy.password());
    return result;
}

} // namespace Switchyard
