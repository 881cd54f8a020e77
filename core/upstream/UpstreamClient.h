// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/upstream/ProxyEnvironment.h"
#include "core/upstream/UpstreamRequest.h"
#include <QHash>
#include <QSslCertificate>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Switchyard {

class UpstreamCall;

// HTTP/1.1 client for upstream providers on plain sockets (QTcpSocket / QSslSocket) and
// llhttp, with a keep-alive pool per scheme, host and port and no cap on connections per
// host. Bodies pass through untouched: no decompression, no redirects. One per thread.
class UpstreamClient final : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;

    // A new call, a child of the client: connect to its signals, then start() it. The
    // caller deletes it (deleteLater) after finished() or failed(), or after abort().
    UpstreamCall *createCall(const UpstreamRequest &request);

    int idleConnectionCount() const;
    void setProxyEnvironment(const ProxyEnvironment &environment) { m_proxies = environment; }
    // Certificates trusted besides the system's, e.g. a gateway's own self-signed one.
    void trustCertificates(const QList<QSslCertificate> &certificates) { m_trusted = certificates; }

private:
    friend class UpstreamCall;
    static QString poolKey(const QUrl &url);
    QTcpSocket *takeIdle(const QString &key);
    QTcpSocket *openSocket(const QUrl &url);
    void release(const QString &key, QTcpSocket *socket);
    void dropIdle(QTcpSocket *socket);
    void expireIdle();

    QHash<QString, QList<QTcpSocket *>> m_idle;
    ProxyEnvironment m_proxies;
    QList<QSslCertificate> m_trusted;
    QTimer m_sweep;
};

} // namespace Switchyard
