// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"

class QSqlDatabase;

namespace Switchyard {

// The request log's schema on PostgreSQL: the tables, columns and indexes of the SQLite file
// (LogDatabase), in PostgreSQL's types, at the same version. The version lives in a one-row
// table; migrating holds an advisory lock, so instances starting together migrate once.
class PostgresSchema final
{
public:
    static Result<bool> migrate(QSqlDatabase &db);
    // The lock retention takes, so one instance at a time prunes the shared log.
    static constexpr qint64 RetentionLockKey = 0x5357'5952'4554; // "SWYRET"
    static constexpr qint64 MigrationLockKey = 0x5357'594d'4947; // "SWYMIG"
};

} // namespace Switchyard
