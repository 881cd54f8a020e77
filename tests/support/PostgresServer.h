// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Switchyard::Test {

// A real PostgreSQL server of the test's own: a cluster made by initdb in a private temporary
// directory, listening on 127.0.0.1 only (no Unix socket), with trust authentication for the
// superuser `switchyard` and a database of that name. As root (tests run so in CI) the server
// tools run as the `postgres` system user, since PostgreSQL refuses root. The server and its
// directory go with the object, whether the test passed or failed.
class PostgresServer final
{
public:
    PostgresServer();
    ~PostgresServer();
    Q_DISABLE_COPY_MOVE(PostgresServer)

    // Makes the cluster (first call only), then starts the server and waits until it accepts
    // connections. The first start picks a free port; later starts reuse it and the data.
    // False with the reason, including the server log's tail, in error().
    bool start();
    // A fast shutdown that keeps the data; false with the reason in error().
    bool stop();

    quint16 port() const { return m_port; }
    // "postgresql://switchyard@127.0.0.1:PORT/DATABASE"
    QString url(const QString &database = QStringLiteral("switchyard")) const;
    // CREATE DATABASE on the running server.
    bool createDatabase(const QString &name);
    // A QPSQL connection named `connectionName` to `database` as the test user, opened when the
    // server runs (QSqlDatabase::isOpen says); remove it with QSqlDatabase::removeDatabase.
    QSqlDatabase connect(const QString &connectionName, const QString &database = QStringLiteral("switchyard")) const;
    QString error() const { return m_error; }

    // The bin directory of the installed server: /usr/lib/postgresql/15/bin, else the newest
    // /usr/lib/postgresql/*/bin with an initdb; empty when none is installed.
    static QString binDir();

private:
    bool initialize();
    bool startOn(quint16 port, bool *portTaken);
    // pg_ctl stop -m `mode` when a postmaster.pid says a server runs; false with the reason in error().
    bool shutDown(const QString &mode);
    // Runs a tool of binDir(); as root, as the postgres user when `asServerUser`.
    bool run(const QString &tool, const QStringList &arguments, int timeoutMs, bool asServerUser);
    bool fail(const QString &message);
    QString dataDir() const;
    QString logPath() const;

    QTemporaryDir m_dir;
    QString m_binDir;
    quint16 m_port = 0;
    bool m_initialized = false;
    bool m_hasDatabase = false; // the `switchyard` database exists
    bool m_running = false;
    QString m_error;
};

} // namespace Switchyard::Test
