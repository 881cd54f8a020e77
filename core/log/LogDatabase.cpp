// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogDatabase.h"
#include "core/log/LatencyHistogram.h"
#include "core/log/PostgresLocation.h"
#include "core/log/PostgresSchema.h"
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace Switchyard {

namespace {

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = q.lastError().text() + QStringLiteral(" in: ") + sql.left(120);
    return false;
}

QString histogramColumns(const QString &suffix)
{
    QStringList columns;
    for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
        columns << QStringLiteral("h%1%2").arg(i).arg(suffix);
    return columns.join(QStringLiteral(", "));
}

// Version 1: requests with their attempts and bodies apart (so scans stay small), and
// hourly roll-ups for the charts.
QStringList schemaV1()
{
    return {
        QStringLiteral("CREATE TABLE requests ("
                       " id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL, ttft_ms INTEGER,"
                       " endpoint TEXT NOT NULL, requested_model TEXT, alias TEXT NOT NULL DEFAULT '', provider TEXT NOT NULL DEFAULT '',"
                       " model TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL, ok INTEGER NOT NULL, error_class TEXT NOT NULL DEFAULT '',"
                       " error_message TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL,"
                       " stream INTEGER NOT NULL, client TEXT NOT NULL DEFAULT '', client_process TEXT NOT NULL DEFAULT '',"
                       " client_pid INTEGER, project TEXT NOT NULL DEFAULT '', replay_of TEXT)"),
        QStringLiteral("CREATE INDEX requests_started ON requests(started_at)"),
        QStringLiteral("CREATE INDEX requests_ok_started ON requests(ok, started_at)"),
        QStringLiteral("CREATE INDEX requests_alias_started ON requests(alias, started_at)"),
        QStringLiteral("CREATE INDEX requests_provider_started ON requests(provider, started_at)"),
        QStringLiteral("CREATE TABLE attempts (request_id TEXT NOT NULL, seq INTEGER NOT NULL, provider TEXT, model TEXT,"
                       " status INTEGER, error_class TEXT, message TEXT, started_after_ms INTEGER, duration_ms INTEGER,"
                       " request_body BLOB, PRIMARY KEY (request_id, seq)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE bodies (request_id TEXT PRIMARY KEY, request_body BLOB, response_body BLOB,"
                       " request_truncated INTEGER NOT NULL DEFAULT 0, response_truncated INTEGER NOT NULL DEFAULT 0,"
                       " request_headers TEXT, response_headers TEXT) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE rollup_hour (hour INTEGER NOT NULL, alias TEXT NOT NULL, provider TEXT NOT NULL,"
                       " model TEXT NOT NULL, client TEXT NOT NULL, project TEXT NOT NULL, requests INTEGER NOT NULL,"
                       " errors INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
                       " cached_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, unpriced INTEGER NOT NULL, %1,"
                       " PRIMARY KEY (hour, alias, provider, model, client, project)) WITHOUT ROWID")
            .arg(histogramColumns(QStringLiteral(" INTEGER NOT NULL DEFAULT 0"))),
    };
}

// Version 3: bodies stored once per distinct segment, compressed (BodyStore). Rows written
// before keep their bodies in the old columns, which readers fall back to (BodyReader::loadOr),
// so migrating is instant whatever the file's size. `stored` is 0 when the writer, behind,
// kept the row but shed its bodies.
QStringList schemaV3()
{
    return {
        QStringLiteral("CREATE TABLE segments (id INTEGER PRIMARY KEY, hash BLOB NOT NULL, size INTEGER NOT NULL,"
                       " encoding INTEGER NOT NULL, last_used INTEGER NOT NULL, data BLOB NOT NULL)"),
        QStringLiteral("CREATE UNIQUE INDEX segments_hash ON segments(hash)"),
        QStringLiteral("CREATE INDEX segments_last_used ON segments(last_used)"),
        QStringLiteral("ALTER TABLE bodies ADD COLUMN request_recipe BLOB"),
        QStringLiteral("ALTER TABLE bodies ADD COLUMN response_recipe BLOB"),
        QStringLiteral("ALTER TABLE bodies ADD COLUMN stored INTEGER NOT NULL DEFAULT 1"),
        QStringLiteral("ALTER TABLE attempts ADD COLUMN request_recipe BLOB"),
    };
}

// Version 4: agent sessions (SessionGrouper, in the writer): each call's session, whether it
// is a side line (subagent, background), its cache verdict and the prompt tokens the cache
// could have served; and the usage fields cost needs (cache writes, reasoning). Rows written
// before belong to no session.
QStringList schemaV4()
{
    return {
        QStringLiteral("ALTER TABLE requests ADD COLUMN session_id TEXT"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN subagent INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN cache_verdict TEXT"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN cache_missed_tokens INTEGER"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN cache_write_tokens INTEGER"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN cache_write_1h_tokens INTEGER"),
        QStringLiteral("ALTER TABLE requests ADD COLUMN reasoning_tokens INTEGER"),
        QStringLiteral("CREATE INDEX requests_session ON requests(session_id, started_at) WHERE session_id IS NOT NULL"),
    };
}

// Version 5: evidence for routing changes. Evaluation calls are marked with their evaluation
// and counted in roll-ups of their own (kept out of the live stats unless asked for);
// baselines keep a copy of each recorded request (bodies compressed), so retention never
// empties one; a finished evaluation's report is kept as JSON.
QStringList schemaV5()
{
    return {
        QStringLiteral("ALTER TABLE requests ADD COLUMN evaluation_id TEXT"),
        QStringLiteral("CREATE TABLE evaluation_rollup_hour (hour INTEGER NOT NULL, alias TEXT NOT NULL, provider TEXT NOT NULL,"
                       " model TEXT NOT NULL, client TEXT NOT NULL, project TEXT NOT NULL, requests INTEGER NOT NULL,"
                       " errors INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
                       " cached_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, unpriced INTEGER NOT NULL, %1,"
                       " PRIMARY KEY (hour, alias, provider, model, client, project)) WITHOUT ROWID")
            .arg(histogramColumns(QStringLiteral(" INTEGER NOT NULL DEFAULT 0"))),
        QStringLiteral("CREATE TABLE baselines (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL, origin TEXT NOT NULL DEFAULT '')"
                       " WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE baseline_requests (baseline TEXT NOT NULL, seq INTEGER NOT NULL, request_id TEXT NOT NULL,"
                       " record TEXT NOT NULL, request_body BLOB, request_size INTEGER NOT NULL, response_body BLOB,"
                       " response_size INTEGER NOT NULL, PRIMARY KEY (baseline, seq)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE evaluations (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, baseline TEXT NOT NULL,"
                       " report TEXT NOT NULL) WITHOUT ROWID"),
    };
}

// PRAGMA user_version, refused when a newer Switchyard wrote the file.
Result<int> knownSchemaVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return Error{QStringLiteral("cannot read the schema version: ") + q.lastError().text()};
    const int version = q.value(0).toInt();
    if (version > LogDatabase::SchemaVersion)
        return Error{QStringLiteral("the request log was written by a newer Switchyard (schema %1, this one knows %2)")
                         .arg(version).arg(LogDatabase::SchemaVersion)};
    return version;
}

} // namespace

namespace {
Result<bool> openPostgres(const QString &location, const QString &connectionName)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error{QStringLiteral("the Qt PostgreSQL driver is missing (install libqt6sql6-psql)")};
    const Result<PostgresLocation> parsed = PostgresLocation::parse(location);
    if (!parsed)
        return parsed.error();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    parsed.value().configure(db);
    if (!db.open())
        return Error{QStringLiteral("%1: cannot connect to the request log: %2")
                         .arg(PostgresLocation::redacted(location), db.lastError().text().trimmed())};
    // Notices ("already exists, skipping") are for a person at psql, not the gateway's log.
    QSqlQuery(db).exec(QStringLiteral("SET client_min_messages TO warning"));
    return true;
}
} // namespace

bool LogDatabase::stillConnected(const QString &connectionName)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    if (!isPostgres(db))
        return db.isOpen();
    QSqlQuery probe(db);
    return db.isOpen() && probe.exec(QStringLiteral("SELECT 1"));
}

bool LogDatabase::isPostgres(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL");
}

QString LogDatabase::displayName(const QString &location)
{
    return PostgresLocation::isPostgres(location) ? PostgresLocation::redacted(location) : location;
}

Result<bool> LogDatabase::open(const QString &path, const QString &connectionName, bool readOnly)
{
    if (PostgresLocation::isPostgres(path))
        return openPostgres(path, connectionName);
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error{QStringLiteral("the Qt SQLite driver is missing (install libqt6sql6-sqlite)")};
    if (!readOnly && !QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error{QStringLiteral("%1: cannot create its directory").arg(path)};
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(readOnly ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY")
                                  : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return Error{QStringLiteral("%1: cannot open the request log: %2").arg(path, db.lastError().text())};
    QString error;
    if (!readOnly) {
        // Checked before the switch to WAL, which rewrites the header: a newer file stays untouched.
        if (const Result<int> version = knownSchemaVersion(db); !version)
            return Error{path + QStringLiteral(": ") + version.error().message};
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() || q.value(0).toString() != QLatin1String("wal"))
            return Error{QStringLiteral("%1: cannot switch the request log to WAL mode").arg(path)};
        // A checkpoint truncates the WAL back to this, so a burst does not leave a huge one behind.
        if (!exec(db, QStringLiteral("PRAGMA journal_size_limit=67108864"), &error))
            return Error{path + QStringLiteral(": ") + error};
        // NORMAL in WAL mode: a crash loses at most the last transactions, never the file.
        if (!exec(db, QStringLiteral("PRAGMA synchronous=NORMAL"), &error))
            return Error{path + QStringLiteral(": ") + error};
    }
    exec(db, QStringLiteral("PRAGMA foreign_keys=OFF"), &error);
    return true;
}

Result<bool> LogDatabase::migrate(QSqlDatabase &db)
{
    if (isPostgres(db))
        return PostgresSchema::migrate(db);
    const Result<int> known = knownSchemaVersion(db);
    if (!known)
        return known.error();
    const int version = known.value();
    if (version == SchemaVersion)
        return true;
    QString error;
    // Freed pages go back to the file system (LogWriter runs incremental_vacuum). A new file
    // takes the setting before its first table; an older one needs one VACUUM, below.
    if (version == 0 && !exec(db, QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"), &error))
        return Error{error};
    if (!db.transaction())
        return Error{db.lastError().text()};
    QStringList steps;
    if (version < 1)
        steps += schemaV1();
    // Later versions append their steps here: each migrates from the one before.
    // Version 2: what a dialect translation mapped or dropped, per attempt (JSON).
    if (version < 2)
        steps << QStringLiteral("ALTER TABLE attempts ADD COLUMN translation_notes TEXT");
    if (version < 3)
        steps += schemaV3();
    if (version < 4)
        steps += schemaV4();
    if (version < 5)
        steps += schemaV5();
    steps << QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion);
    for (const QString &sql : std::as_const(steps)) {
        if (!exec(db, sql, &error)) {
            db.rollback();
            return Error{QStringLiteral("migrating the request log failed: ") + error};
        }
    }
    if (!db.commit())
        return Error{db.lastError().text()};
    QSqlQuery mode(db);
    if (mode.exec(QStringLiteral("PRAGMA auto_vacuum")) && mode.next() && mode.value(0).toInt() != 2) {
        mode.finish();
        // Once per file: rewrites it, taking about as long as copying what it holds.
        if (!exec(db, QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"), &error) || !exec(db, QStringLiteral("VACUUM"), &error))
            return Error{QStringLiteral("switching the request log to incremental vacuum failed: ") + error};
    }
    return true;
}

void LogDatabase::close(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

QString LogDatabase::lastError(const QSqlDatabase &db)
{
    return db.lastError().text();
}

} // namespace Switchyard
