// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QObject>
#include <memory>

class QThread;

namespace Switchyard {

class MainWindow;
class ProxyEngine;

// The one place that knows both the engine and the window: starts the engine on its own
// thread and connects it to the window (or to the terminal when headless).
class AppWiring final : public QObject
{
    Q_OBJECT
public:
    AppWiring(const Config &config, const QString &configPath, bool headless, QObject *parent = nullptr);
    ~AppWiring() override;

    void start();

Q_SIGNALS:
    void startFailed(const QString &message);

private:
    void reportListening(const QString &url);
    void reportFailure(const QString &message);

    Config m_config;
    QString m_configPath;
    bool m_headless;
    QThread *m_engineThread;
    ProxyEngine *m_engine;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace Switchyard
