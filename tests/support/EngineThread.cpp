// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/EngineThread.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "core/proxy/ProxyEngine.h"
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QTest>

namespace Switchyard::Test {

EngineThread::EngineThread(Config config, const QString &dbPath, const QString &configPath, int workers)
    : m_engine(new ProxyEngine)
{
    m_engine->setWorkers(workers);
    config.listen.host = QStringLiteral("127.0.0.1");
    config.listen.port = 0;
    if (!dbPath.isEmpty()) {
        m_writer = new LogWriter(dbPath, config.log);
        m_writer->moveToThread(&m_writerThread);
        m_writerThread.start();
        bool opened = false;
        QMetaObject::invokeMethod(m_writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
        if (!opened)
            qFatal("EngineThread: cannot open the log %s", qPrintable(dbPath));
        m_reader = new LogReader(dbPath);
        m_engine->setLogReader(m_reader);
        connect(m_engine, &ProxyEngine::callsFinished, m_writer, &LogWriter::append, Qt::DirectConnection); // as AppWiring does
        connect(m_writer, &LogWriter::written, this, [this](const QStringList &ids) { m_written += int(ids.size()); },
                Qt::QueuedConnection);
    }
    m_engine->setConfigPath(configPath);
    if (!dbPath.isEmpty()) // as the app keeps it: beside the log
        m_engine->setHistoryPath(QFileInfo(dbPath).absoluteDir().filePath(QStringLiteral("config-history.jsonl")));
    m_engine->moveToThread(&m_thread);
    connect(m_engine, &ProxyEngine::callsFinished, this, &EngineThread::collect, Qt::QueuedConnection);
    connect(m_engine, &ProxyEngine::started, this, [this](const QString &url) {
            m_url = url;
            m_port = quint16(url.section(QLatin1Char(':'), -1).toInt());
        }, Qt::DirectConnection);
    connect(m_engine, &ProxyEngine::startFailed, this, [this](const QString &why) { m_startFailure = why; },
            Qt::DirectConnection);
    m_thread.start();
    QMetaObject::invokeMethod(m_engine, "start", Qt::BlockingQueuedConnection, Q_ARG(Switchyard::Config, config));
}

EngineThread::~EngineThread()
{
    QMetaObject::invokeMethod(m_engine, [this] { delete m_engine; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_reader;
    if (m_writer) {
        QMetaObject::invokeMethod(m_writer, [this] { delete m_writer; }, Qt::BlockingQueuedConnection);
        m_writerThread.quit();
        m_writerThread.wait();
    }
}

bool EngineThread::waitForWritten(int count, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_written < count && !deadline.hasExpired())
        QTest::qWait(10);
    return m_written >= count;
}

void EngineThread::applyConfig(const Config &config)
{
    QMetaObject::invokeMethod(m_engine, "applyConfig", Qt::BlockingQueuedConnection, Q_ARG(Switchyard::Config, config));
}

bool EngineThread::waitForRecords(int count, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_records.size() < count && !deadline.hasExpired())
        QTest::qWait(10);
    return m_records.size() >= count;
}

void EngineThread::collect(const QList<CallRecord> &records)
{
    m_records += records;
}

} // namespace Switchyard::Test
