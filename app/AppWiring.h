// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QObject>
#include <memory>

class QThread;

namespace Switchyard {

class ConfigWatcher;
class LogReader;
class LogWriter;
class EngineLink;
class MainWindow;
class OtlpExporter;
class ProxyEngine;

// The one place that knows both the engine and the window: starts the engine on its own
// thread and connects it to the window (or to the terminal when headless).
class AppWiring final : public QObject
{
    Q_OBJECT
public:
    // `listenOverride` is what --host/--port set; it survives reloads of the config file.
    AppWiring(const Config &config, const QString &configPath, const QString &dbPath, const ListenConfig &listenOverride,
              bool headless, QObject *parent = nullptr);
    ~AppWiring() override;

    // Opens the request log, then starts the engine; false (with a message printed) when
    // the log cannot be opened.
    bool start();
    // Before start(): proxy threads (0: one per core).
    void setWorkers(int count);

Q_SIGNALS:
    void startFailed(const QString &message);

private:
    void reportListening(const QString &url);
    void reportFailure(const QString &message);
    void applyReloaded(const Switchyard::Config &config);
    void reportRejected(const QStringList &messages);

    Config m_config;
    QString m_configPath;
    ListenConfig m_listen;     // in use: the file's, or what --host/--port said
    ListenConfig m_fileListen; // as the config file last said
    bool m_headless;
    QString m_dbPath;
    QThread *m_engineThread;
    QThread *m_writerThread;
    QThread *m_telemetryThread;
    OtlpExporter *m_exporter;
    LogWriter *m_writer;
    LogReader *m_reader;
    ProxyEngine *m_engine;
    EngineLink *m_link;
    ConfigWatcher *m_watcher;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace Switchyard
