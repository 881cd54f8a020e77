// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LatencyHistogram.h"
#include "core/log/SqliteStatement.h"
#include "core/record/CallRecord.h"
#include <QMap>

class QSqlDatabase;
class QSqlError;

namespace Switchyard {

// The hourly roll-ups of one log transaction: counts each call into its hour and group, then
// adds the sums to its table (rollup_hour, or evaluation_rollup_hour for evaluation calls) in
// one upsert per group, in the order of their keys (two instances writing the same groups of a
// shared PostgreSQL log lock them in the same order). Used by the log stores on their connection.
class RollupWriter final
{
public:
    bool prepare(sqlite3 *db, const QString &table = QStringLiteral("rollup_hour"));
    void add(const CallRecord &record);
    // Upserts what was added since the last write() or clear(); false with error() on failure.
    bool write();
    // The same on a PostgreSQL connection, into `table`; on failure, why in `error`.
    bool write(const QSqlDatabase &db, const QString &table, QSqlError *error);
    void clear() { m_deltas.clear(); }
    QString error() const { return m_statement.error(); }

private:
    struct Delta
    {
        qint64 hour = 0;
        QString alias, provider, model, client, project;
        qint64 requests = 0, errors = 0, promptTokens = 0, completionTokens = 0, cachedTokens = 0, unpriced = 0;
        double costUsd = 0;
        LatencyHistogram::Counts latency{};
    };
    SqliteStatement m_statement;
    QMap<QString, Delta> m_deltas;
};

} // namespace Switchyard
