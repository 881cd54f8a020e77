// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QString>

class QSqlDatabase;

namespace Switchyard {

// Opening the request log and keeping its schema current. Each thread uses its own named
// connection. The log is a SQLite file (the schema version in PRAGMA user_version) or, for a
// team, a PostgreSQL database named by a postgresql:// address (PostgresSchema); both migrate
// forward to the same tables.
class LogDatabase final
{
public:
    static constexpr int SchemaVersion = 5;

    // A file: opens it (creating it when writable) in WAL mode with a busy timeout. A
    // postgresql:// address: connects (`readOnly` changes nothing there).
    static Result<bool> open(const QString &location, const QString &connectionName, bool readOnly);
    static Result<bool> migrate(QSqlDatabase &db);
    // Whether an open connection still works. A file's always does; a PostgreSQL connection is
    // asked (one round trip): after the server restarted, the connection must be made again.
    static bool stillConnected(const QString &connectionName);
    // True for a connection to PostgreSQL, false for a SQLite file.
    static bool isPostgres(const QSqlDatabase &db);
    // The location for messages: a PostgreSQL address without its password.
    static QString displayName(const QString &location);
    static void close(const QString &connectionName);
    static QString lastError(const QSqlDatabase &db);
};

} // namespace Switchyard
