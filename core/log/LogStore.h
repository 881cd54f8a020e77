// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QStringList>
#include <functional>

namespace Switchyard {

// Where LogWriter commits its batches: a SQLite file (SqliteLogStore) or a PostgreSQL database
// shared with other instances (PostgresLogStore). The writer keeps the queue, the timers and
// the exit deadline; a store turns a batch into rows. Used on the writer's thread only.
class LogStore
{
public:
    struct Outcome
    {
        QStringList written;   // committed, in the batch's order (a row found committed already counts)
        qint64 notReached = 0; // left out: proceed() said stop
        // Nothing was committed and the batch is as it was: try it again later (the database
        // is unreachable, or another instance held what it needed). Else on failure the rows are lost.
        bool retry = false;
        bool failed = false;
        QString error;
    };

    virtual ~LogStore() = default;

    // Connects (again) and makes the schema current; false with the reason in `error`.
    virtual bool open(QString *error) = 0;
    virtual bool isOpen() const = 0;
    // Rows per transaction: a backlog is written in batches of this size.
    virtual qint64 maxBatchRows() const = 0;
    // Writes `batch` in one transaction; `proceed()` is asked before each row. May empty `batch`
    // (to free its bodies early) unless it answers retry.
    virtual Outcome write(QList<CallRecord> &batch, const std::function<bool()> &proceed, const LogConfig &config) = 0;
    // After a commit that left nothing out (SQLite: the size cap).
    virtual void afterCommit(const LogConfig &) {}
    virtual void applyRetention(const LogConfig &config, qint64 nowMs) = 0;
    // `hurried`: the exit deadline is near, skip what can wait for the next start.
    virtual void close(bool hurried) = 0;
    // How messages name the store (a PostgreSQL address without its password).
    virtual QString name() const = 0;
};

} // namespace Switchyard
