// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/HttpHandler.h"
#include <QObject>

namespace Switchyard {

class HttpServer;

// The gateway: the inbound server and everything behind it. Lives on its own thread;
// other threads talk to it only through queued signals and slots carrying values.
class ProxyEngine final : public QObject, private HttpHandler
{
    Q_OBJECT
public:
    explicit ProxyEngine(QObject *parent = nullptr);
    ~ProxyEngine() override;

public Q_SLOTS:
    void start(const Switchyard::Config &config);
    void applyConfig(const Switchyard::Config &config);
    void stop();

Q_SIGNALS:
    void started(const QString &url);
    void startFailed(const QString &message);
    void configApplied();

private:
    void handle(HttpExchange *exchange) override;

    HttpServer *m_server = nullptr;
    Config m_config;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::Config)
