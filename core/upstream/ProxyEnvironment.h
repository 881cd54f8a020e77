// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QNetworkProxy>
#include <QStringList>
#include <QUrl>

namespace Switchyard {

// The proxy a connection to a URL should use, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// (either case), as curl reads them. Loopback hosts never go through a proxy.
class ProxyEnvironment final
{
public:
    static ProxyEnvironment fromEnvironment();
    ProxyEnvironment(const QString &httpProxy, const QString &httpsProxy, const QString &noProxy);

    QNetworkProxy proxyFor(const QUrl &url) const;

private:
    bool bypasses(const QString &host) const;
    QUrl m_http;
    QUrl m_https;
    QStringList m_noProxy;
};

} // namespace Switchyard
