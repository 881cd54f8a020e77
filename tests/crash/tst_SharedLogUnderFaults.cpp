// SPDX-License-Identifier: GPL-3.0-or-later
// Two headless instances, A and B, log to one real PostgreSQL (team mode) under a steady load
// sent to both in turn. A is killed with kill -9 and started again on the same database; then
// PostgreSQL itself is stopped for about two seconds while both keep answering, their /health
// saying the log is unreachable with calls queued, and started again: both reconnect and write
// what waited. In the database afterwards every call B or A's second life answered is there
// (those answered during the outage too), A's first life lost at most its last second of calls
// (as tst_KillUnderLoad), nothing is there that no client saw answered, every request has its
// attempts and bodies, the hourly roll-ups count each request once, and sampled request bodies
// read back byte for byte as they were sent.
#include "core/log/LogDatabase.h"
#include "core/log/LogQueries.h"
#include "tests/support/AppProcess.h"
#include "tests/support/CrashProbe.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/PostgresServer.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;

class TestSharedLogUnderFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killAndOutageKeepTheSharedLog();
};

namespace {

constexpr int Clients = 4;
constexpr int StartTimeoutMs = 15000;
constexpr int CallTimeoutMs = 10000;
// Each client calls at most this often: at most 800 calls a second in all, 400 per instance,
// which each instance's PostgreSQL writer commits as they come on a busy 2-core machine (the
// oldest call a kill lost was answered 80-300 ms before it). Unpaced, four clients, two
// instances, their writers and PostgreSQL share the two cores and the writers get too little of
// them: the backlog, not the kill, then decides what a kill loses (calls answered 1.2-1.7 s
// before it were seen lost), and the queue sheds bodies during the outage. A writer that falls
// behind is tst_ExitWithBacklog's subject, not this test's.
constexpr std::chrono::milliseconds CallInterval{5};
constexpr int MaxCallsPerClient = 20000;
constexpr int LoadLimitMs = 90000; // every load loop ends by then, whatever happens
constexpr int OutageMs = 2000;
constexpr int OutageLimitMs = 15000; // the outage ends by then even if /health never told
constexpr int SettleLimitMs = 30000; // to reconnect, and to write what waited
constexpr int PollMs = 50;
constexpr int BodySamplesPerGroup = 8;

enum Instance { AFirstLife, ASecondLife, B, Instances };
const std::array<const char *, Instances> InstanceNames{"A (first life)", "A (second life)", "B"};

// Where A listens, in one atomic for the clients: its life (1, 2) and port, 0 while it is down.
quint32 whereA(int life, quint16 port)
{
    return quint32(life) << 16 | port;
}

// A request a client saw answered 200, by whom and when; (client, n) make its body again.
struct Answered
{
    QString id;
    Instance instance = B;
    qint64 atMs = 0;
    int client = 0;
    int n = 0;
};

// A call that got no 200.
struct Unanswered
{
    Instance instance = B;
    qint64 atMs = 0;
    int status = 0;
    QString error;
};

struct ClientLog
{
    std::vector<Answered> answered;
    std::vector<Unanswered> unanswered;
    QSet<QString> seenIds; // every request id a response carried, whatever its status
};

// A system prompt every request shares, from both instances: stored once, as a shared segment.
const QByteArray SharedPrompt = "You count rows for two gateways. " + QByteArray(4096, 's');

QByteArray requestBody(int client, int n)
{
    return R"({"model":"general","messages":[{"role":"system","content":")" + SharedPrompt
           + R"("},{"role":"user","content":"Count the rows, client )" + QByteArray::number(client) + " call " + QByteArray::number(n)
           + R"("}]})";
}

// One client: calls one after another, in turn to A (while it is up) and B, each on a
// keep-alive connection; a connection to A belongs to one life of A.
ClientLog load(int clientNumber, quint16 portB, const std::atomic<quint32> *a, const std::atomic<bool> *stop)
{
    ClientLog log;
    std::unique_ptr<RawHttpClient> toA;
    std::unique_ptr<RawHttpClient> toB;
    quint32 connectedA = 0;
    quint32 failedA = 0; // a life of A that failed a call: skipped from then on
    const qint64 deadline = steadyNowMs() + LoadLimitMs;
    auto nextCall = std::chrono::steady_clock::now();
    for (int n = 0; n < MaxCallsPerClient && !stop->load() && steadyNowMs() < deadline; ++n) {
        std::this_thread::sleep_until(nextCall); // paced, see CallInterval; never to catch up
        nextCall = std::max(nextCall + CallInterval, std::chrono::steady_clock::now());
        const quint32 atA = a->load();
        const bool useA = (n + clientNumber) % 2 == 0 && (atA & 0xffff) != 0 && atA != failedA;
        const Instance instance = !useA ? B : atA >> 16 == 1 ? AFirstLife : ASecondLife;
        if (useA && connectedA != atA) {
            toA.reset();
            connectedA = atA;
        }
        std::unique_ptr<RawHttpClient> &connection = useA ? toA : toB;
        if (!connection || !connection->isConnected())
            connection = std::make_unique<RawHttpClient>(useA ? quint16(atA & 0xffff) : portB);
        connection->send(RawHttpClient::request("POST", "/v1/chat/completions", requestBody(clientNumber, n)));
        const RawHttpClient::Response r = connection->readResponse(CallTimeoutMs);
        const QString id = QString::fromLatin1(r.headers.value("x-switchyard-request-id"));
        if (!id.isEmpty())
            log.seenIds.insert(id);
        if (r.status == 200 && !id.isEmpty()) {
            log.answered.push_back({id, instance, steadyNowMs(), clientNumber, n});
            continue;
        }
        log.unanswered.push_back({instance, steadyNowMs(), r.status, r.error});
        connection.reset();
        if (useA)
            failedA = atA;
    }
    return log;
}

// The clients, stopped and joined when it goes, so a failed check never leaves a thread running.
class LoadClients final
{
public:
    LoadClients(quint16 portB, const std::atomic<quint32> *a)
        : m_logs(Clients)
    {
        for (int c = 0; c < Clients; ++c)
            m_threads.emplace_back([this, c, portB, a] { m_logs[size_t(c)] = load(c, portB, a, &m_stop); });
    }
    ~LoadClients() { finish(); }
    Q_DISABLE_COPY_MOVE(LoadClients)

    ClientLog finish()
    {
        m_stop = true;
        for (std::thread &t : m_threads) {
            if (t.joinable())
                t.join();
        }
        ClientLog all;
        for (ClientLog &log : m_logs) {
            all.answered.insert(all.answered.end(), log.answered.begin(), log.answered.end());
            all.unanswered.insert(all.unanswered.end(), log.unanswered.begin(), log.unanswered.end());
            all.seenIds.unite(log.seenIds);
        }
        return all;
    }

private:
    std::atomic<bool> m_stop{false};
    std::vector<ClientLog> m_logs;
    std::vector<std::thread> m_threads;
};

// The "log" object of GET /health; empty when no answer came.
QJsonObject logHealth(quint16 port)
{
    const RawHttpClient::Response r = RawHttpClient::fetch(port, "GET", "/health");
    return r.status == 200 ? r.json().value(u"log"_s).toObject() : QJsonObject();
}

// A figure from /metrics, or -1.

QString text(const QJsonObject &health)
{
    return QString::fromUtf8(QJsonDocument(health).toJson(QJsonDocument::Compact));
}

// Polls the "log" of GET /health until `done` says so or `limitMs` passed; the last seen.
QJsonObject waitForLog(quint16 port, bool (*done)(const QJsonObject &), int limitMs)
{
    QJsonObject health;
    for (QDeadlineTimer limit(limitMs); !done(health = logHealth(port)) && !limit.hasExpired();)
        QTest::qWait(PollMs);
    return health;
}

bool reachable(const QJsonObject &log)
{
    return log.value(u"state"_s) == u"ok"_s;
}

bool reachableAndWritten(const QJsonObject &log)
{
    return reachable(log) && log.value(u"queued_rows"_s).toInteger() == 0;
}

struct LogState
{
    QSet<QString> ids;
    qint64 rows = -1;
    qint64 withoutAttempts = -1;
    qint64 withoutBodies = -1;
    qint64 strayAttempts = -1;
    qint64 rolledUp = -1;
    QString error;
};

LogState inspect(const QString &url)
{
    LogState state;
    const QString name = u"shared-log-check"_s;
    if (const Result<bool> opened = LogDatabase::open(url, name, true); !opened) {
        state.error = opened.error().message;
    } else {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        QSqlQuery q(db);
        auto count = [&q](const QString &sql) { return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1; };
        if (q.exec(u"SELECT id FROM requests"_s)) {
            while (q.next())
                state.ids.insert(q.value(0).toString());
        }
        state.rows = count(u"SELECT count(*) FROM requests"_s);
        state.withoutAttempts =
            count(u"SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.request_id = r.id)"_s);
        state.withoutBodies =
            count(u"SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM bodies b WHERE b.request_id = r.id)"_s);
        state.strayAttempts =
            count(u"SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = a.request_id)"_s);
        state.rolledUp = count(u"SELECT coalesce(sum(requests), 0) FROM rollup_hour"_s);
    }
    LogDatabase::close(name);
    return state;
}

} // namespace

void TestSharedLogUnderFaults::initTestCase()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
    QVERIFY2(QSqlDatabase::isDriverAvailable(u"QPSQL"_s), "no QPSQL driver (Debian package libqt6sql6-psql)");
    QVERIFY2(!PostgresServer::binDir().isEmpty(), "no PostgreSQL server (Debian package postgresql)");
}

void TestSharedLogUnderFaults::killAndOutageKeepTheSharedLog()
{
    PostgresServer pg; // declared first, so it goes last: after the instances writing to it
    QVERIFY2(pg.start(), qPrintable(pg.error()));
    FakeProvider upstream;
    QTemporaryDir dir;
    const QString configPath = dir.filePath(u"config.json"_s);
    QVERIFY(writeFile(configPath, TestConfigs::oneProviderFile(upstream.baseUrl())));
    const QString homeA = dir.filePath(u"home-a"_s);
    const QString homeB = dir.filePath(u"home-b"_s);
    QVERIFY(QDir().mkpath(homeA) && QDir().mkpath(homeB));

    AppProcess b(homeB, StartTimeoutMs);
    const quint16 portB = b.startHeadless(configPath, pg.url());
    QVERIFY2(portB, qPrintable(u"B: "_s + b.failure()));
    auto a1 = std::make_unique<AppProcess>(homeA, StartTimeoutMs);
    const quint16 portA1 = a1->startHeadless(configPath, pg.url());
    QVERIFY2(portA1, qPrintable(u"A: "_s + a1->failure()));
    for (const quint16 port : {portA1, portB}) {
        const QJsonObject health = logHealth(port);
        QVERIFY2(health.value(u"store"_s) == u"postgresql"_s && health.value(u"state"_s) == u"ok"_s, qPrintable(text(health)));
    }

    std::atomic<quint32> a{whereA(1, portA1)};
    LoadClients clients(portB, &a);

    // kill -9 A under load, then start it again on the same database.
    QTest::qWait(int(QRandomGenerator::global()->bounded(1000, 2000)));
    const qint64 killedAt = steadyNowMs();
    QVERIFY(a1->finish(SIGKILL));
    a = whereA(1, 0);
    AppProcess a2(homeA, StartTimeoutMs);
    const quint16 portA2 = a2.startHeadless(configPath, pg.url());
    QVERIFY2(portA2, qPrintable(u"A again: "_s + a2.failure()));
    a = whereA(2, portA2);
    QTest::qWait(2000);

    // PostgreSQL away for about two seconds: both keep serving and queue their rows.
    const std::array<quint16, 2> ports{portA2, portB};
    std::array<bool, 2> sawQueued{false, false};
    std::array<qint64, 2> queuedPeak{0, 0};
    std::array<QJsonObject, 2> lastHealth;
    const qint64 outageStart = steadyNowMs();
    QVERIFY2(pg.stop(), qPrintable(pg.error()));
    for (QDeadlineTimer limit(OutageLimitMs); !limit.hasExpired();) {
        for (size_t i = 0; i < ports.size(); ++i) {
            lastHealth[i] = logHealth(ports[i]);
            const qint64 queued = lastHealth[i].value(u"queued_rows"_s).toInteger();
            if (lastHealth[i].value(u"state"_s) == u"unreachable"_s && queued > 0)
                sawQueued[i] = true;
            queuedPeak[i] = qMax(queuedPeak[i], queued);
        }
        if (sawQueued[0] && sawQueued[1] && steadyNowMs() - outageStart >= OutageMs)
            break;
        QTest::qWait(PollMs);
    }
    QVERIFY2(sawQueued[0], qPrintable(u"A's /health never said unreachable with calls queued: "_s + text(lastHealth[0])));
    QVERIFY2(sawQueued[1], qPrintable(u"B's /health never said unreachable with calls queued: "_s + text(lastHealth[1])));
    QCOMPARE(metric(portA2, "switchyard_log_store_up"), 0);
    QCOMPARE(metric(portB, "switchyard_log_store_up"), 0);
    QVERIFY2(pg.start(), qPrintable(pg.error()));
    const qint64 outageEnd = steadyNowMs();
    for (const quint16 port : ports) {
        const QJsonObject health = waitForLog(port, reachable, SettleLimitMs);
        QVERIFY2(reachable(health), qPrintable(u"no reconnect: "_s + text(health)));
        QCOMPARE(metric(port, "switchyard_log_store_up"), 1);
    }
    QTest::qWait(1000);

    // The end: load off, every queue written, a clean SIGTERM.
    const ClientLog calls = clients.finish();
    for (const quint16 port : ports) {
        const QJsonObject health = waitForLog(port, reachableAndWritten, SettleLimitMs);
        QVERIFY2(reachableAndWritten(health), qPrintable(text(health)));
        QVERIFY2(health.value(u"rows_dropped"_s).toInteger() == 0, qPrintable(text(health)));
        QCOMPARE(metric(port, "switchyard_log_bodies_shed_total"), 0); // so every body is there to compare
    }
    for (AppProcess *app : {&a2, &b}) {
        QVERIFY(app->finish(SIGTERM));
        QCOMPARE(app->process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(app->process().exitCode(), 0);
    }

    // Only A's first life may have failed calls: those it was serving when killed.
    for (const Unanswered &u : calls.unanswered) {
        QVERIFY2(u.instance == AFirstLife && u.atMs >= killedAt,
                 qPrintable(u"%1 failed a call %2 ms after the kill: status %3, %4"_s.arg(QLatin1String(InstanceNames[u.instance]))
                                .arg(u.atMs - killedAt)
                                .arg(u.status)
                                .arg(u.error)));
    }

    // What the database holds.
    const LogState log = inspect(pg.url());
    QVERIFY2(log.error.isEmpty(), qPrintable(log.error));
    const QSet<QString> &rows = log.ids;
    QCOMPARE(log.rows, qint64(rows.size()));
    QCOMPARE(log.withoutAttempts, 0);
    QCOMPARE(log.withoutBodies, 0);
    QCOMPARE(log.strayAttempts, 0);
    QCOMPARE(log.rolledUp, log.rows); // each request counted once, retried batches included
    for (const QString &id : rows)
        QVERIFY2(calls.seenIds.contains(id), qPrintable(u"%1 is in the log, but no client saw it answered"_s.arg(id)));

    std::array<int, Instances> answered{};
    std::array<int, Instances> answeredInOutage{};
    std::array<std::vector<const Answered *>, Instances + 1> samples; // the last: answered during the outage
    int lost = 0;
    qint64 oldestLostMs = -1;
    for (const Answered &call : calls.answered) {
        ++answered[call.instance];
        const bool inOutage = call.atMs >= outageStart && call.atMs <= outageEnd;
        answeredInOutage[call.instance] += inOutage ? 1 : 0;
        if (!rows.contains(call.id)) {
            QVERIFY2(call.instance == AFirstLife,
                     qPrintable(u"%1, answered by %2, is not in the log"_s.arg(call.id, QLatin1String(InstanceNames[call.instance]))));
            QVERIFY2(killedAt - call.atMs <= lossWindowMs(),
                     qPrintable(u"%1, answered %2 ms before the kill, is not in the log"_s.arg(call.id).arg(killedAt - call.atMs)));
            ++lost;
            oldestLostMs = qMax(oldestLostMs, killedAt - call.atMs);
            continue;
        }
        samples[inOutage ? Instances : call.instance].push_back(&call);
    }
    for (const Instance instance : {ASecondLife, B}) {
        QVERIFY2(answeredInOutage[instance] > 0,
                 qPrintable(u"%1 answered no call while PostgreSQL was away"_s.arg(QLatin1String(InstanceNames[instance]))));
    }
    QVERIFY2(answered[AFirstLife] > 0, "the load did not reach A before the kill");

    // Sampled bodies, through the reader the window and the admin API use, as sent.
    LogQueries queries(pg.url(), u"shared-log-bodies"_s);
    int bodiesChecked = 0;
    for (const std::vector<const Answered *> &group : samples) {
        const size_t step = qMax<size_t>(1, group.size() / BodySamplesPerGroup);
        for (size_t i = 0; i < group.size(); i += step) {
            const Answered &call = *group[i];
            const Result<CallRecord> row = queries.request(call.id);
            QVERIFY2(row, qPrintable(row ? QString() : row.error().message));
            const QByteArray sent = requestBody(call.client, call.n);
            QVERIFY2(row.value().requestBody == sent,
                     qPrintable(u"the request body of %1 reads back as %2 bytes, %3 were sent"_s.arg(call.id)
                                    .arg(row.value().requestBody.size())
                                    .arg(sent.size())));
            ++bodiesChecked;
        }
    }
    qInfo("answered: %d by A (first life), %d by A (second life), %d by B; %lld rows committed; "
          "%d lost at the kill (the oldest answered %lld ms before it); outage %lld ms, %d calls answered meanwhile; "
          "queued peak A %lld, B %lld; %d bodies compared",
          answered[AFirstLife], answered[ASecondLife], answered[B], qint64(rows.size()), lost, oldestLostMs, outageEnd - outageStart,
          answeredInOutage[ASecondLife] + answeredInOutage[B], queuedPeak[0], queuedPeak[1], bodiesChecked);
}

QTEST_GUILESS_MAIN(TestSharedLogUnderFaults)
#include "tst_SharedLogUnderFaults.moc"
