// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QObject>
#include <QThread>

namespace Switchyard {
class LogReader;
class LogWriter;
class ProxyEngine;
}

namespace Switchyard::Test {

// The real ProxyEngine on its own thread, listening on 127.0.0.1 at a port the OS picks,
// the way the app runs it. Finished call records are collected on the creating thread.
class EngineThread final : public QObject
{
    Q_OBJECT
public:
    // With a database path, the request log is written there (a LogWriter on its own
    // thread, as in the app) and the admin API reads it; with a config path, PUT
    // /api/config saves there. `workers`: proxy worker threads (0: one per core).
    explicit EngineThread(Config config, const QString &dbPath = QString(), const QString &configPath = QString(),
                          int workers = 0);
    ~EngineThread() override;

    quint16 port() const { return m_port; }
    // The address the engine announced (http:// or https://), or empty with startFailure() set.
    QString url() const { return m_url; }
    QString startFailure() const { return m_startFailure; }
    // For connecting a window's EngineLink (queued connections only: it lives on another thread).
    ProxyEngine *engine() const { return m_engine; }
    void applyConfig(const Config &config);
    const QList<CallRecord> &records() const { return m_records; }
    // Spins the event loop until `count` records arrived in total.
    bool waitForRecords(int count, int timeoutMs = 10000);
    // With a log: spins until `count` records were committed to the database in total.
    bool waitForWritten(int count, int timeoutMs = 10000);

private:
    void collect(const QList<Switchyard::CallRecord> &records);

    QThread m_thread;
    QThread m_writerThread;
    ProxyEngine *m_engine;
    LogWriter *m_writer = nullptr;
    LogReader *m_reader = nullptr;
    int m_written = 0;
    quint16 m_port = 0;
    QString m_url;
    QString m_startFailure;
    QList<CallRecord> m_records;
};

} // namespace Switchyard::Test
