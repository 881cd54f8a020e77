// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/proxy/CallRecord.h"
#include <QObject>
#include <QTimer>
#include <memory>

class QSqlQuery;

namespace Switchyard {

// The only writer of the request log. Lives on the "log-writer" thread, where it opens,
// uses and closes its connection. Records are queued and committed together, one WAL
// transaction per CommitIntervalMs or MaxBatchRows, so a crash loses at most that much.
class LogWriter final : public QObject
{
    Q_OBJECT
public:
    static constexpr int CommitIntervalMs = 100;
    static constexpr int MaxBatchRows = 500;
    static constexpr int RetentionIntervalMs = 10 * 60 * 1000;
    static constexpr int TrimDelayMs = 1000;

    LogWriter(const QString &path, const LogConfig &config, QObject *parent = nullptr);
    ~LogWriter() override;

    // Call on the writer's thread (BlockingQueuedConnection from elsewhere).
    Q_INVOKABLE bool open();
    Q_INVOKABLE QString errorString() const { return m_error; }

public Q_SLOTS:
    void append(const QList<Switchyard::CallRecord> &records);
    void setLogConfig(const Switchyard::LogConfig &config);
    void flush();
    void applyRetention();
    void close();

Q_SIGNALS:
    // After each commit: the ids written, newest last.
    void written(const QStringList &ids);
    void failed(const QString &message);

private:
    bool prepareStatements();
    bool insert(const CallRecord &record);
    void addToRollups(const CallRecord &record);
    bool writeRollups();
    void returnFreedMemory();

    QString m_path;
    QString m_connectionName;
    LogConfig m_config;
    QString m_error;
    QList<CallRecord> m_queue;
    QTimer *m_commitTimer;
    QTimer *m_retentionTimer;
    QTimer *m_trimTimer; // runs once a burst of full batches is over
    struct Statements;
    std::unique_ptr<Statements> m_statements;
    struct RollupDelta;
    QHash<QString, std::shared_ptr<RollupDelta>> m_rollups;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::LogConfig)
