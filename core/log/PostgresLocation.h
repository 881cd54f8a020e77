// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QString>

class QSqlDatabase;

namespace Switchyard {

// A request log on a PostgreSQL server (team mode): `postgresql://user[:password]@host[:port]/dbname
// [?sslmode=…&connect_timeout=…]`, as --db and log.database take it. What the URL leaves out
// libpq takes from its usual places (PGPASSWORD, ~/.pgpass, PGSSLMODE…), so a password need not
// be written in a config file or a command line.
struct PostgresLocation
{
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options; // libpq keywords from the query, "key=value;…" as QPSQL takes them

    // True for a postgresql:// or postgres:// address (anything else is a SQLite file).
    static bool isPostgres(const QString &location);
    static Result<PostgresLocation> parse(const QString &location);
    // The address with its password replaced by "***": for messages and the window.
    static QString redacted(const QString &location);

    // Sets up a QPSQL connection to this server (not opened).
    void configure(QSqlDatabase &db) const;
};

} // namespace Switchyard
