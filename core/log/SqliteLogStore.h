// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogStore.h"
#include <memory>

namespace Switchyard {

// The request log in a SQLite file, the one writer of it: one WAL transaction per batch, its
// inserts bound straight on the SQLite handle (SqliteStatement), bodies as segments
// (BodyStore), roll-ups, sessions (SessionGrouper), and retention with the size cap.
class SqliteLogStore final : public LogStore
{
public:
    explicit SqliteLogStore(const QString &path);
    ~SqliteLogStore() override;

    bool open(QString *error) override;
    bool isOpen() const override { return bool(m_statements); }
    qint64 maxBatchRows() const override;
    Outcome write(QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config) override;
    void afterCommit(const LogConfig &config) override;
    void applyRetention(const LogConfig &config, qint64 nowMs) override;
    void close(bool hurried) override;
    QString name() const override { return m_path; }

private:
    bool prepareStatements(QString *error);
    bool insert(const CallRecord &record, const LogConfig &config);

    QString m_path;
    QString m_connectionName;
    QString m_error;
    struct Statements;
    std::unique_ptr<Statements> m_statements;
};

} // namespace Switchyard
