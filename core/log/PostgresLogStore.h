// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogStore.h"
#include "core/log/PostgresRows.h"
#include "core/sessions/SessionGrouper.h"
#include <QHash>
#include <memory>
#include <optional>

class QSqlError;

namespace Switchyard {

// The request log in a PostgreSQL database that several instances write at once (team mode).
// Request ids are unique across instances, so rows never collide; a batch whose commit was cut
// off is written again, and rows already there are skipped (their roll-ups too), so a row is
// never counted twice. New body segments are committed on their own before the batch that uses
// them (a content-addressed segment nobody uses is harmless), so two instances storing the same
// segment never wait on each other's transactions. When the database cannot be reached the
// batch is handed back (`retry`), and the writer keeps it queued until the connection returns.
// Retention runs in one instance at a time, under an advisory lock.
class PostgresLogStore final : public LogStore
{
public:
    static constexpr qint64 BatchRows = 1000;

    explicit PostgresLogStore(const QString &url);
    ~PostgresLogStore() override;

    bool open(QString *error) override;
    bool isOpen() const override { return m_open; }
    qint64 maxBatchRows() const override { return BatchRows; }
    Outcome write(QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config) override;
    void applyRetention(const LogConfig &config, qint64 nowMs) override;
    void close(bool hurried) override;
    QString name() const override;

private:
    struct State;
    // Outside the transaction: each row's session, and the batch's bodies stored as segments.
    bool prepareRows(const QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config,
                     QList<PostgresRows::Row> *rows);
    bool failed(const QSqlError &error);
    // Whether the failure of the last batch may pass if it is written again.
    bool transient() const;
    // After a failed statement: whether the connection still answers (else isOpen() says so).
    bool stillConnected();

    QString m_url;
    QString m_connectionName;
    bool m_open = false;
    QString m_error;
    QString m_sqlState;
    std::unique_ptr<State> m_state;
    // Outlives connections: a reconnect does not split a session.
    SessionGrouper m_sessions;
    // The sessions given to the rows of a batch not committed yet, kept for its next try.
    QHash<QString, std::optional<SessionGrouper::Assignment>> m_pendingSessions;
};

} // namespace Switchyard
