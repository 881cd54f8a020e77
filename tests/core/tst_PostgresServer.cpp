// SPDX-License-Identifier: GPL-3.0-or-later
// The fixture that gives tests a private PostgreSQL server: it serves QPSQL connections, stops
// and starts again on the same port with its data (or says why not when the port is taken),
// makes databases, runs beside a second one, and takes its server with it when it goes.
#include "tests/support/PostgresServer.h"
#include <QElapsedTimer>
#include <QHostAddress>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>
#include <memory>

using namespace Switchyard::Test;
using namespace Qt::StringLiterals;

namespace {

// What `statements` did on a QPSQL connection of their own: `value` is the first column of the
// last row-returning statement's first row; `error` the connection's or first statement's error.
struct SqlOutcome
{
    bool ok = false;
    QVariant value;
    QString error;
};

SqlOutcome runSql(quint16 port, const QString &database, const QStringList &statements)
{
    static int serial = 0;
    const QString name = u"tst-postgres-%1"_s.arg(++serial);
    SqlOutcome outcome;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(port);
        db.setUserName(u"switchyard"_s);
        db.setDatabaseName(database);
        db.setConnectOptions(u"connect_timeout=5"_s);
        outcome.ok = db.open();
        if (!outcome.ok)
            outcome.error = db.lastError().text();
        for (qsizetype i = 0; outcome.ok && i < statements.size(); ++i) {
            QSqlQuery query(db);
            outcome.ok = query.exec(statements[i]);
            if (!outcome.ok)
                outcome.error = statements[i] + u": "_s + query.lastError().text();
            else if (query.next())
                outcome.value = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return outcome;
}

} // namespace

class TestPostgresServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rowSurvivesRestart();
    void takenPortFailsWithServerLog();
    void createsDatabase();
    void urlNamesPortAndDatabase();
    void secondServerBesideAndGoneWithItsObject();
    void cleanupTestCase();

private:
    std::unique_ptr<PostgresServer> m_server;
};

void TestPostgresServer::initTestCase()
{
    QVERIFY2(QSqlDatabase::isDriverAvailable(u"QPSQL"_s), "no QPSQL driver (Debian package libqt6sql6-psql)");
    QVERIFY2(!PostgresServer::binDir().isEmpty(), "no PostgreSQL server (Debian package postgresql)");
    m_server = std::make_unique<PostgresServer>();
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    QVERIFY(m_server->port() != 0);
    qDebug("initdb and start took %lld ms", timer.elapsed());
}

void TestPostgresServer::rowSurvivesRestart()
{
    const quint16 port = m_server->port();
    SqlOutcome outcome = runSql(port, u"switchyard"_s, {u"CREATE TABLE t(x int)"_s, u"INSERT INTO t VALUES (42)"_s});
    QVERIFY2(outcome.ok, qPrintable(outcome.error));

    QVERIFY2(m_server->stop(), qPrintable(m_server->error()));
    outcome = runSql(port, u"switchyard"_s, {u"SELECT 1"_s});
    QVERIFY2(!outcome.ok, "a connection succeeded after stop()");

    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    QCOMPARE(m_server->port(), port);
    outcome = runSql(port, u"switchyard"_s, {u"SELECT x FROM t"_s});
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    QCOMPARE(outcome.value.toInt(), 42);
}

void TestPostgresServer::takenPortFailsWithServerLog()
{
    const quint16 port = m_server->port();
    QVERIFY2(m_server->stop(), qPrintable(m_server->error()));
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, port));
        QVERIFY(!m_server->start());
        QVERIFY2(m_server->error().contains(u"Address already in use"_s), qPrintable(m_server->error()));
    }
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    QCOMPARE(m_server->port(), port);
}

void TestPostgresServer::createsDatabase()
{
    QVERIFY2(m_server->createDatabase(u"second"_s), qPrintable(m_server->error()));
    const SqlOutcome outcome = runSql(m_server->port(), u"second"_s, {u"SELECT current_database()"_s});
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    QCOMPARE(outcome.value.toString(), u"second"_s);

    QVERIFY(!m_server->createDatabase(u"second"_s));
    QVERIFY2(m_server->error().contains(u"already exists"_s), qPrintable(m_server->error()));
}

void TestPostgresServer::urlNamesPortAndDatabase()
{
    const QString port = QString::number(m_server->port());
    QCOMPARE(m_server->url(), u"postgresql://switchyard@127.0.0.1:"_s + port + u"/switchyard"_s);
    QCOMPARE(m_server->url(u"second"_s), u"postgresql://switchyard@127.0.0.1:"_s + port + u"/second"_s);
}

void TestPostgresServer::secondServerBesideAndGoneWithItsObject()
{
    quint16 port = 0;
    {
        PostgresServer other;
        QVERIFY2(other.start(), qPrintable(other.error()));
        port = other.port();
        QVERIFY(port != m_server->port());
        const SqlOutcome outcome = runSql(port, u"switchyard"_s, {u"SELECT 1"_s});
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
    }
    QVERIFY2(!runSql(port, u"switchyard"_s, {u"SELECT 1"_s}).ok, "the server outlived its PostgresServer");
}

void TestPostgresServer::cleanupTestCase()
{
    const quint16 port = m_server ? m_server->port() : 0;
    m_server.reset();
    if (port != 0)
        QVERIFY2(!runSql(port, u"switchyard"_s, {u"SELECT 1"_s}).ok, "the server outlived its PostgresServer");
}

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_PostgresServer.moc"
