// SPDX-License-Identifier: GPL-3.0-or-later
// The request log survives kill -9: the headless binary serves a steady load, is killed at a
// random moment, and is started again on the same database, 20 times. After each kill the
// database passes PRAGMA integrity_check, every request keeps its attempts and its share of
// the hourly roll-ups (one transaction), and the only answered requests missing from the log
// are ones answered within the last second before the kill (PRODUCT.md: "a kill -9 loses at
// most the last second of log rows"). Every body of a row the kill left behind reads back
// whole: the segments it is made of (issue 14) were committed with it.
#include "core/log/LogQueries.h"
#include "tests/support/AppProcess.h"
#include "tests/support/CrashProbe.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;

class TestKillUnderLoad : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killNineKeepsTheLog();
};

namespace {

constexpr int Kills = 20;
constexpr int Clients = 4;
// Each start may take this long on a loaded machine; so may each end.
constexpr int StartTimeoutMs = 15000;

// A request the client saw answered, and when.
struct Answered
{
    QString id;
    qint64 atMs = 0;
};

// A system prompt every request shares: the log stores it once, as a segment of its own.
const QByteArray SharedPrompt = "You count rows. " + QByteArray(4096, 'r');

QByteArray requestBody(int client, int n)
{
    return R"({"model":"general","messages":[{"role":"system","content":")" + SharedPrompt
           + R"("},{"role":"user","content":"Count the rows, client )" + QByteArray::number(client) + " call "
           + QByteArray::number(n) + R"("}]})";
}

// One client: requests one after another on a keep-alive connection until the server dies.
std::vector<Answered> load(quint16 port, int clientNumber, const std::atomic<bool> *stop)
{
    std::vector<Answered> answered;
    RawHttpClient client(port);
    for (int n = 0; !stop->load() && client.isConnected(); ++n) {
        client.send(RawHttpClient::request("POST", "/v1/chat/completions", requestBody(clientNumber, n)));
        const RawHttpClient::Response r = client.readResponse(5000);
        if (r.status != 200)
            break;
        answered.push_back({QString::fromLatin1(r.headers.value("x-switchyard-request-id")), steadyNowMs()});
    }
    return answered;
}

struct LogState
{
    QString integrity;
    QSet<QString> ids;
    qint64 withoutAttempts = -1;
    qint64 rolledUp = -1;
};

LogState inspect(const QString &dbPath, int round)
{
    LogState state;
    const QString name = u"kill-check-"_s + QString::number(round);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA integrity_check"_s) && q.next())
                state.integrity = q.value(0).toString();
            q.exec(u"SELECT id FROM requests"_s);
            while (q.next())
                state.ids.insert(q.value(0).toString());
            if (q.exec(u"SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.request_id = r.id)"_s) && q.next())
                state.withoutAttempts = q.value(0).toLongLong();
            if (q.exec(u"SELECT coalesce(sum(requests), 0) FROM rollup_hour"_s) && q.next())
                state.rolledUp = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return state;
}

} // namespace

void TestKillUnderLoad::initTestCase()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestKillUnderLoad::killNineKeepsTheLog()
{
    FakeProvider upstream;
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    const QString dbPath = home.filePath(u"requests.db"_s);
    QVERIFY(writeFile(configPath, TestConfigs::oneProviderFile(upstream.baseUrl())));

    QSet<QString> everAnswered;
    QSet<QString> checkedBodies;
    qint64 previousRows = 0;
    int totalAnswered = 0;
    int totalLost = 0;
    int mostLost = 0;
    qint64 oldestLostMs = 0;
    for (int round = 1; round <= Kills; ++round) {
        AppProcess app(home.path(), StartTimeoutMs);
        const quint16 port = app.startHeadless(configPath, dbPath);
        QVERIFY2(port, qPrintable(u"start "_s + QString::number(round) + u": "_s + app.failure()));
        std::atomic<bool> stop{false};
        std::vector<std::vector<Answered>> answered(Clients);
        std::vector<std::thread> clients;
        for (int c = 0; c < Clients; ++c)
            clients.emplace_back([&answered, c, port, &stop] { answered[c] = load(port, c, &stop); });
        QTest::qWait(int(QRandomGenerator::global()->bounded(300, 1500)));
        const qint64 killedAt = steadyNowMs();
        QVERIFY(app.finish(SIGKILL));
        stop = true;
        for (std::thread &t : clients)
            t.join();

        const LogState log = inspect(dbPath, round);
        QCOMPARE(log.integrity, u"ok"_s);
        QCOMPARE(log.withoutAttempts, 0);
        QCOMPARE(log.rolledUp, qint64(log.ids.size()));
        QVERIFY2(log.ids.size() >= previousRows, "rows that were committed went missing");
        // The rows this round added read back with their whole bodies.
        LogQueries queries(dbPath, u"kill-bodies-"_s + QString::number(round));
        for (const QString &id : log.ids) {
            if (checkedBodies.contains(id))
                continue;
            checkedBodies.insert(id);
            const Result<CallRecord> row = queries.request(id);
            QVERIFY2(row && row.value().requestBody.contains(SharedPrompt) && row.value().requestBody.endsWith("\"}]}"),
                     qPrintable(u"the body of %1 does not read back whole"_s.arg(id)));
        }
        previousRows = log.ids.size();
        int answeredNow = 0;
        int lost = 0;
        for (const std::vector<Answered> &list : answered) {
            for (const Answered &a : list) {
                ++answeredNow;
                everAnswered.insert(a.id);
                if (log.ids.contains(a.id))
                    continue;
                ++lost;
                oldestLostMs = qMax(oldestLostMs, killedAt - a.atMs);
                QVERIFY2(killedAt - a.atMs <= lossWindowMs(),
                         qPrintable(u"%1, answered %2 ms before the kill, is not in the log"_s.arg(a.id).arg(killedAt - a.atMs)));
            }
        }
        QVERIFY2(answeredNow > 0, "the load did not get going before the kill");
        totalAnswered += answeredNow;
        totalLost += lost;
        mostLost = qMax(mostLost, lost);
    }
    // The log from all the rounds, read once more by a final clean run of the binary.
    AppProcess app(home.path(), StartTimeoutMs);
    const quint16 port = app.startHeadless(configPath, dbPath);
    QVERIFY2(port, qPrintable(app.failure()));
    const RawHttpClient::Response health = RawHttpClient::fetch(port, "GET", "/health");
    QCOMPARE(health.status, 200);
    QVERIFY(app.finish(SIGTERM));
    const LogState last = inspect(dbPath, 0);
    QCOMPARE(last.integrity, u"ok"_s);
    qInfo("%d kills: %d requests answered, %lld rows in the log, %d answered but lost (at most %d in one kill, "
          "the oldest answered %lld ms before its kill)",
          Kills, totalAnswered, qint64(last.ids.size()), totalLost, mostLost, oldestLostMs);
}

QTEST_GUILESS_MAIN(TestKillUnderLoad)
#include "tst_KillUnderLoad.moc"
