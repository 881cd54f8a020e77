// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QString>

class QSqlDatabase;

namespace Switchyard {

class BodyStore;

// Keeps the request log within its age limits and its size cap, on the writer's connection.
// Bodies go first (log.body_retention_days, then the oldest tenth at a time while the file is
// over log.max_db_mib), then whole rows (log.retention_days, then the oldest tenth); segments
// no body refers to are swept, and freed pages go back to the file system.
class LogRetention final
{
public:
    explicit LogRetention(BodyStore &store);

    // Bytes in pages that hold data (the file's size less its free pages).
    static qint64 usedBytes(QSqlDatabase &db);
    // Bodies of calls started before this are gone: the writer must not store them again.
    qint64 bodyCutoffMs() const { return m_bodyCutoffMs; }

    // Age limits, then the cap. Runs its own transactions.
    void apply(QSqlDatabase &db, const LogConfig &config, qint64 nowMs);
    // The cap only; cheap when under it (call after each commit).
    void enforceCap(QSqlDatabase &db, const LogConfig &config);

private:
    void dropBodiesBefore(QSqlDatabase &db, qint64 cutoffMs);
    void dropRowsBefore(QSqlDatabase &db, qint64 cutoffMs);
    void reclaim(QSqlDatabase &db);
    qint64 tenthAfter(QSqlDatabase &db, qint64 fromMs);

    BodyStore &m_store;
    qint64 m_bodyCutoffMs = 0;
    qint64 m_walLimit = -1; // the journal_size_limit set for the cap in force
};

} // namespace Switchyard
