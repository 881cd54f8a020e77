// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/AppWiring.h"
#include "app/QtDispatcher.h"
#include "core/config/ConfigWatcher.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "core/log/PostgresLocation.h"
#include "core/cli/CommandLine.h"
#include "core/proxy/ProxyEngine.h"
#include "core/telemetry/OtlpExporter.h"
#include "ui/EngineLink.h"
#include "ui/EngineLinkWiring.h"
#include "ui/MainWindow.h"
#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace Switchyard {

namespace {

// The exporter gives way to the proxy threads when both want a core: serving comes first.
// Linux gives each thread its own nice value; the process's other threads keep theirs. (Not
// the log writer: at nice 10 a saturated machine starved it past the one second of rows a
// kill -9 may lose, PRODUCT.md.)
void yieldToServing()
{
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
}

} // namespace

AppWiring::AppWiring(const Config &config, const QString &configPath, const QString &dbPath,
                     const ListenConfig &listenOverride, bool headless, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_configPath(configPath)
    , m_listen(listenOverride)
    , m_headless(headless)
    , m_dbPath(dbPath)
    , m_engineThread(new QThread(this))
    , m_writerThread(new QThread(this))
    , m_telemetryThread(new QThread(this))
    , m_exporter(new OtlpExporter)
    , m_writer(new LogWriter(dbPath, config.log))
    , m_reader(new LogReader(dbPath, this))
    , m_engine(new ProxyEngine)
    , m_link(new EngineLink(m_reader, this))
    , m_watcher(new ConfigWatcher(configPath, this))
{
    m_fileListen = m_config.listen;
    m_config.listen = m_listen;
    connect(m_watcher, &ConfigWatcher::configChanged, this, &AppWiring::applyReloaded);
    connect(m_watcher, &ConfigWatcher::configRejected, this, &AppWiring::reportRejected);
    // Only tests set them (tests/crash/tst_ExitWithBacklog): a writer slowed down as by a slow
    // disk, and a queue that sheds bodies sooner, so a slow (sanitized) build reaches it too.
    if (const int delayUs = qEnvironmentVariableIntValue("SWITCHYARD_TEST_LOG_ROW_DELAY_US"); delayUs > 0)
        m_writer->setRowDelayForTesting(delayUs);
    if (const int kib = qEnvironmentVariableIntValue("SWITCHYARD_TEST_LOG_QUEUE_BODY_KIB"); kib > 0) {
        LogQueue::Limits limits;
        limits.maxBodyBytes = qint64(kib) * 1024;
        m_writer->setQueueLimits(limits);
    }
    m_writerThread->setObjectName(QStringLiteral("log-writer"));
    m_writer->moveToThread(m_writerThread);
    connect(m_writerThread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_engine->setLogReader(m_reader);
    m_engine->setConfigPath(configPath);
    // Beside the request log: the history of configs belongs with the data, not the config dir
    // (with a shared PostgreSQL log, in this machine's data folder: configs are per instance).
    const QString dataFile = PostgresLocation::isPostgres(dbPath) ? CommandLine::defaultDbPath() : dbPath;
    QDir().mkpath(QFileInfo(dataFile).absolutePath());
    m_engine->setHistoryPath(QFileInfo(dataFile).absoluteDir().filePath(QStringLiteral("config-history.jsonl")));
    m_engine->setThreadStarter(startWithQtDispatcher); // workers, like the engine thread, skip GLib
    // Direct: append() only queues (bounded) and wakes the writer, so the proxy never waits on
    // it, and a writer that falls behind sheds bodies instead of piling up queued events.
    connect(m_engine, &ProxyEngine::callsFinished, m_writer, &LogWriter::append, Qt::DirectConnection);
    connect(m_writer, &LogWriter::failed, this, [](const QString &message) {
        std::fprintf(stderr, "switchyard: %s\n", qPrintable(message)); // the proxy keeps serving
    }, Qt::QueuedConnection);
    // Traces go to an OpenTelemetry collector from their own thread: a slow collector never
    // touches the proxy or the log.
    m_telemetryThread->setObjectName(QStringLiteral("telemetry"));
    m_exporter->moveToThread(m_telemetryThread);
    connect(m_telemetryThread, &QThread::finished, m_exporter, &QObject::deleteLater);
    connect(m_engine, &ProxyEngine::configApplied, m_exporter, &OtlpExporter::applyConfig, Qt::QueuedConnection);
    connect(m_engine, &ProxyEngine::callsFinished, m_exporter, &OtlpExporter::append, Qt::QueuedConnection);
    m_engineThread->setObjectName(QStringLiteral("proxy"));
    m_engine->moveToThread(m_engineThread);
    connect(m_engineThread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &ProxyEngine::started, this, &AppWiring::reportListening, Qt::QueuedConnection);
    connect(m_engine, &ProxyEngine::startFailed, this, &AppWiring::reportFailure, Qt::QueuedConnection);
    wireEngineLink(m_engine, m_link);
    m_link->onConfigFileLoaded(m_fileListen);
}

AppWiring::~AppWiring()
{
    // SIGTERM ends the process in 2 s whatever the log's backlog: the writer commits until
    // this deadline and drops the calls not committed by then (README, "Request log").
    m_writer->stopBy(QDeadlineTimer(LogWriter::ExitBudgetMs));
    // The engine and its sockets are destroyed on their own thread, before the window.
    QMetaObject::invokeMethod(m_engine, &ProxyEngine::stop, Qt::BlockingQueuedConnection);
    m_engineThread->quit();
    m_engineThread->wait();
    if (m_telemetryThread->isRunning()) {
        m_telemetryThread->quit(); // spans not yet exported are not waited for
        m_telemetryThread->wait();
    } else {
        delete m_exporter;
    }
    // The engine's last records are queued to the writer; close() commits them.
    if (m_writerThread->isRunning()) {
        QMetaObject::invokeMethod(m_writer, &LogWriter::close, Qt::QueuedConnection);
        m_writerThread->quit();
        m_writerThread->wait();
    } else {
        delete m_writer;
    }
}

bool AppWiring::start()
{
    startWithQtDispatcher(m_writerThread);
    bool opened = false;
    QMetaObject::invokeMethod(m_writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
    if (!opened) {
        QString error;
        QMetaObject::invokeMethod(m_writer, &LogWriter::errorString, Qt::BlockingQueuedConnection, &error);
        std::fprintf(stderr, "switchyard: %s\n", qPrintable(error));
        return false;
    }
    startWithQtDispatcher(m_telemetryThread);
    QMetaObject::invokeMethod(m_exporter, &yieldToServing, Qt::QueuedConnection);
    // The window reads the log from its first moment: it opens once the writer has created
    // the database, so a fresh data folder shows an empty log rather than a read error.
    if (!m_headless) {
        m_window = std::make_unique<MainWindow>(m_link, m_configPath, m_dbPath);
        connect(m_engine, &ProxyEngine::started, m_window.get(), &MainWindow::showListening, Qt::QueuedConnection);
        connect(m_engine, &ProxyEngine::startFailed, m_window.get(), &MainWindow::showStartFailure, Qt::QueuedConnection);
    }
    startWithQtDispatcher(m_engineThread);
    QMetaObject::invokeMethod(m_engine, "start", Qt::QueuedConnection, Q_ARG(Switchyard::Config, m_config));
    if (m_window)
        m_window->show();
    return true;
}

void AppWiring::setWorkers(int count)
{
    m_engine->setWorkers(count); // not started yet, so not yet on its thread
}

void AppWiring::reportListening(const QString &url)
{
    std::fprintf(stdout, "switchyard: listening on %s (config %s)\n", qPrintable(url), qPrintable(m_configPath));
    std::fflush(stdout);
}

void AppWiring::reportFailure(const QString &message)
{
    std::fprintf(stderr, "switchyard: %s\n", qPrintable(message));
    Q_EMIT startFailed(message);
}

} // namespace Switchyard

namespace Switchyard {

void AppWiring::applyReloaded(const Config &reloaded)
{
    Config config = reloaded;
    if (config.listen.host != m_fileListen.host || config.listen.port != m_fileListen.port
        || config.listen.tls() != m_fileListen.tls())
        std::fprintf(stderr, "switchyard: %s: the listen address or TLS on/off changes after a restart; the rest is applied now\n",
                     qPrintable(m_configPath));
    m_fileListen = config.listen;
    m_link->onConfigFileLoaded(m_fileListen);
    // The address in use stays until restart; the token and allowed origins apply now.
    config.listen.host = m_listen.host;
    config.listen.port = m_listen.port;
    m_config = config;
    QMetaObject::invokeMethod(m_engine, "applyConfig", Qt::QueuedConnection, Q_ARG(Switchyard::Config, config));
    QMetaObject::invokeMethod(m_writer, "setLogConfig", Qt::QueuedConnection, Q_ARG(Switchyard::LogConfig, config.log));
    std::fprintf(stdout, "switchyard: applied the changed config %s\n", qPrintable(m_configPath));
    std::fflush(stdout);
}

void AppWiring::reportRejected(const QStringList &messages)
{
    m_link->onConfigFileRejected(messages); // Routes shows them and will not overwrite the file unasked
    std::fprintf(stderr, "switchyard: the changed config was not applied; still running on the previous one:\n");
    for (const QString &message : messages)
        std::fprintf(stderr, "  %s\n", qPrintable(message));
}

} // namespace Switchyard
