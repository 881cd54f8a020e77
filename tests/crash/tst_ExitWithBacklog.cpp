// SPDX-License-Identifier: GPL-3.0-or-later
// The real binary with a log writer that cannot keep up (slowed down as by a slow disk through
// SWITCHYARD_TEST_LOG_ROW_DELAY_US) under a load of large bodies: the proxy keeps answering, the
// queue in front of the writer sheds bodies and /metrics counts them, a shed call reads back
// from /api/requests/{id} as "body not stored", and SIGTERM with a backlog ends the process
// within 2 s, leaving a file that passes integrity_check with every committed row whole.
#include "tests/support/AppProcess.h"
#include "tests/support/CrashProbe.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include "tests/support/SqlProbe.h"
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <csignal>
#include <thread>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;

class TestExitWithBacklog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void shedsBodiesAndExitsInTime();
};

namespace {

constexpr int Clients = 2;
constexpr int BodyKib = 128;
constexpr int RowDelayUs = 25000; // the writer manages about 40 rows a second
constexpr int QueueBodyKib = 4096; // bodies are shed once 32 calls' worth wait (64 MiB in production)
constexpr int LoadLimitMs = 30000; // every load loop ends by then, whatever happens
constexpr qint64 ExitLimitMs = 2000;

// One client: requests with unique 128 KB bodies on a keep-alive connection until `stop`.
void load(quint16 port, const std::atomic<bool> *stop, std::atomic<int> *answered)
{
    RawHttpClient client(port);
    QElapsedTimer clock;
    clock.start();
    for (int n = 0; !stop->load() && client.isConnected() && clock.elapsed() < LoadLimitMs; ++n) {
        const QByteArray text = QByteArray::number(n) + ' ' + QByteArray(BodyKib * 1024, char('a' + n % 26));
        client.send(RawHttpClient::request("POST", "/v1/chat/completions",
                                           R"({"model":"general","messages":[{"role":"user","content":")" + text + R"("}]})"));
        if (client.readResponse(10000).status != 200)
            break;
        ++*answered;
    }
}


// Polls until `done` or `timeoutMs`; true when done.
template <typename Done>
bool pollUntil(Done done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(100);
    }
    return true;
}

} // namespace

void TestExitWithBacklog::initTestCase()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestExitWithBacklog::shedsBodiesAndExitsInTime()
{
    FakeProvider upstream;
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    const QString dbPath = home.filePath(u"requests.db"_s);
    QVERIFY(writeFile(configPath, TestConfigs::oneProviderFile(upstream.baseUrl())));
    AppProcess app(home.path(), 15000);
    app.setEnvironmentVariable(u"SWITCHYARD_TEST_LOG_ROW_DELAY_US"_s, QString::number(RowDelayUs));
    app.setEnvironmentVariable(u"SWITCHYARD_TEST_LOG_QUEUE_BODY_KIB"_s, QString::number(QueueBodyKib));
    const quint16 port = app.startHeadless(configPath, dbPath);
    QVERIFY2(port, qPrintable(app.failure()));

    // 1. Load until the queue sheds bodies; the proxy keeps answering meanwhile.
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < Clients; ++c)
        clients.emplace_back([port, &stop, &answered] { load(port, &stop, &answered); });
    const bool shed = pollUntil([port] { return metric(port, "switchyard_log_bodies_shed_total") > 0; }, LoadLimitMs);
    stop = true;
    for (std::thread &t : clients)
        t.join();
    QVERIFY2(shed, "the writer never fell behind far enough to shed a body");
    qInfo("bodies shed after %d answered calls", answered.load());
    QCOMPARE(metric(port, "switchyard_log_rows_dropped_total"), 0);

    // 2. Once the writer has caught up, a shed call reads back as "body not stored".
    // (The queue's gauge does not count the batch being written: wait for a committed shed row.)
    QString shedId;
    QVERIFY(pollUntil([&] {
        shedId = Test::sqlValue(dbPath, u"SELECT request_id FROM bodies WHERE stored = 0 LIMIT 1"_s).toString();
        return !shedId.isEmpty();
    }, 60000));
    const RawHttpClient::Response detail = RawHttpClient::fetch(port, "GET", "/api/requests/" + shedId.toUtf8());
    QCOMPARE(detail.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(detail.body).object();
    QCOMPARE(json.value(u"body_stored"_s).toBool(true), false);
    QCOMPARE(json.value(u"body_note"_s).toString(), u"body not stored: the log writer was behind"_s);
    QCOMPARE(json.value(u"request_body"_s).toString(), QString());

    // 3. A backlog of several seconds of the writer's work, then SIGTERM.
    stop = false;
    clients.clear();
    for (int c = 0; c < Clients; ++c)
        clients.emplace_back([port, &stop, &answered] { load(port, &stop, &answered); });
    const bool backlog = pollUntil([port] { return metric(port, "switchyard_log_queue_rows") >= 200; }, LoadLimitMs);
    const qint64 rowsBefore = Test::sqlValue(dbPath, u"SELECT count(*) FROM requests"_s).toLongLong();
    QElapsedTimer exiting;
    exiting.start();
    const bool ended = app.finish(SIGTERM);
    const qint64 exitMs = exiting.elapsed();
    stop = true;
    for (std::thread &t : clients)
        t.join();
    QVERIFY2(backlog, "no backlog of 200 calls built up");
    QVERIFY(ended);
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    const QByteArray stderrText = app.standardError();
    qInfo("SIGTERM with a backlog: exited in %lld ms; stderr: %s", exitMs, stderrText.trimmed().constData());
    QVERIFY2(exitMs <= ExitLimitMs, qPrintable(u"exit took %1 ms"_s.arg(exitMs)));

    QCOMPARE(Test::sqlValue(dbPath, u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    const qint64 rows = Test::sqlValue(dbPath, u"SELECT count(*) FROM requests"_s).toLongLong();
    QVERIFY(rows >= rowsBefore);
    QCOMPARE(Test::sqlValue(dbPath, u"SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.request_id = r.id)"_s).toLongLong(), 0);
    QCOMPARE(Test::sqlValue(dbPath, u"SELECT coalesce(sum(requests), 0) FROM rollup_hour"_s).toLongLong(), rows);
    QVERIFY(stderrText.contains("not committed within the exit deadline"));
}

QTEST_GUILESS_MAIN(TestExitWithBacklog)
#include "tst_ExitWithBacklog.moc"
