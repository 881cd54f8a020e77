// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QString>

class QSqlDatabase;

namespace Switchyard {

// Opening the request log and keeping its schema current. Each thread uses its own named
// connection; the schema version lives in PRAGMA user_version and migrates forward.
class LogDatabase final
{
public:
    static constexpr int SchemaVersion = 5;

    // Opens (creating the file when writable) in WAL mode with a busy timeout.
    static Result<bool> open(const QString &path, const QString &connectionName, bool readOnly);
    static Result<bool> migrate(QSqlDatabase &db);
    static void close(const QString &connectionName);
    static QString lastError(const QSqlDatabase &db);
};

} // namespace Switchyard
