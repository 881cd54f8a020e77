// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/log/LogQueue.h"
#include "core/log/LogStore.h"
#include "core/record/CallRecord.h"
#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>

namespace Switchyard {

// The only writer of the request log in this process. Lives on the "log-writer" thread, where
// its store (a SQLite file, or a PostgreSQL database shared with other instances: LogStore)
// opens, uses and closes its connection. Records are queued and committed together, one
// transaction per CommitIntervalMs or MaxBatchRows, so a crash loses at most that much.
// The queue in front of it is bounded (LogQueue): the proxy hands calls over without waiting,
// and a writer that falls behind sheds bodies first, then rows. When the database cannot be
// reached the batch goes back to the queue and the writer reconnects, waiting 0.25 s, then
// twice as long each time up to ReconnectMaxMs; serving goes on meanwhile (LogStats says the
// store is down). Closing commits what it can within a deadline (ExitBudgetMs) and drops the
// calls not committed by then.
class LogWriter final : public QObject
{
    Q_OBJECT
public:
    static constexpr int CommitIntervalMs = 100;
    static constexpr int MaxBatchRows = 500;
    static constexpr int RetentionIntervalMs = 10 * 60 * 1000;
    static constexpr int TrimDelayMs = 1000;
    // What close() may take when no stopBy() came first: SIGTERM must end the process in 2 s.
    static constexpr int ExitBudgetMs = 1000;
    // Less time than this left at close(): the WAL is left for the next start to replay.
    static constexpr int CheckpointReserveMs = 500;
    static constexpr int ReconnectMaxMs = 5000;

    // `location`: a SQLite file, or a postgresql:// address.
    LogWriter(const QString &location, const LogConfig &config, QObject *parent = nullptr);
    ~LogWriter() override;

    // Call on the writer's thread (BlockingQueuedConnection from elsewhere).
    Q_INVOKABLE bool open();
    Q_INVOKABLE QString errorString() const { return m_error; }

    // Any thread: from now on, commit nothing after `deadline`; calls not committed by then
    // are dropped (and counted in LogStats). Set before asking a busy writer to close().
    void stopBy(QDeadlineTimer deadline);
    // Any thread: the bounds of the queue in front of the writer.
    void setQueueLimits(LogQueue::Limits limits) { m_queue.setLimits(limits); }
    qint64 queued() const { return m_queue.size(); }
    // For tests of a writer that falls behind (a slow disk): each row takes this much longer.
    void setRowDelayForTesting(int microseconds) { m_rowDelayUs = microseconds; }

public Q_SLOTS:
    // Any thread, and never waits on the writer: the engine calls it directly (DirectConnection).
    // Queues the calls (bounded, see LogQueue) and wakes the writer.
    void append(const QList<Switchyard::CallRecord> &records);
    void setLogConfig(const Switchyard::LogConfig &config);
    // Commits every call queued, in one transaction, stopping at the deadline if one is set.
    void flush();
    void applyRetention();
    void close();

Q_SIGNALS:
    // After each commit: the ids written, newest last.
    void written(const QStringList &ids);
    void failed(const QString &message);

private:
    void wake();
    bool pastDeadline() const;
    void returnFreedMemory();
    void reconnect();
    void markReachable(bool reachable);

    std::unique_ptr<LogStore> m_store;
    LogConfig m_config;
    QString m_error;
    LogQueue m_queue;
    int m_rowDelayUs = 0;
    std::atomic<qint64> m_deadlineMs; // QDeadlineTimer::deadline(): no deadline while it is max
    QTimer *m_commitTimer;
    QTimer *m_retentionTimer;
    QTimer *m_trimTimer; // runs once a burst of full batches is over
    QTimer *m_reconnectTimer;
    int m_reconnectDelayMs = 0;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::LogConfig)
