// SPDX-License-Identifier: GPL-3.0-or-later
// The request log on PostgreSQL (team mode) answers as the SQLite file does: the calls of a
// real engine (agent sessions, plain, failed, streamed) and 600 older ones are written to both,
// and every reader answers alike: lists, counts, bodies, body search, stats, sessions,
// baselines and evaluation reports. Then what only a shared database meets: two writers at
// once, a database that goes away and comes back (the calls wait, nothing is lost or written
// twice), retention one instance at a time, a segment another instance swept, a newer schema.
// A real PostgreSQL 15 in a temporary directory (PostgresServer).
#include "core/log/BaselineStore.h"
#include "core/log/LogQueries.h"
#include "core/log/LogStats.h"
#include "core/log/LogWriter.h"
#include "core/log/PostgresSchema.h"
#include "core/log/SessionQueries.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/LogText.h"
#include "tests/support/PostgresServer.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/SessionScenario.h"
#include "tests/support/SyntheticCalls.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

Q_DECLARE_METATYPE(Switchyard::RequestFilter)

namespace {

constexpr int OlderCalls = 600;
const QByteArray Needle = "needle-postgres-1515";

QByteArray chatBody(const QByteArray &model, const QByteArray &content, const QByteArray &extra = QByteArray())
{
    return R"({"model":")" + model + R"(","messages":[{"role":"user","content":")" + content + R"("}])" + extra + "}";
}

// A call with a body of a few KB: a long shared system prompt (one segment for all of them)
// and a turn of its own.
CallRecord agentSizedCall(const QString &id, qint64 startedAtMs, int turn)
{
    CallRecord r = SyntheticCalls().one(startedAtMs, false);
    r.id = id;
    const QByteArray system = QByteArray("You are a careful assistant. ").repeated(200);
    r.requestBody = R"({"model":"general","messages":[{"role":"system","content":")" + system
        + R"("},{"role":"user","content":"turn )" + QByteArray::number(turn) + R"("}]})";
    r.responseBody = R"({"choices":[{"message":{"role":"assistant","content":"answer )" + QByteArray::number(turn) + R"("}}]})";
    r.attempts = {Attempt{r.provider, r.model, 200, ErrorClass::None, QString(), 0, r.durationMs, r.requestBody}};
    return r;
}

qint64 scalar(const QString &connection, const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(connection));
    if (!q.exec(sql) || !q.next()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

// A LogWriter on a thread of its own, as the app runs it: its reconnect timers need an event loop.
class WriterThread final
{
public:
    explicit WriterThread(const QString &location)
        : m_writer(new LogWriter(location, TestConfigs::keepingEverything()))
    {
        m_writer->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
        m_thread.start();
    }
    ~WriterThread()
    {
        QMetaObject::invokeMethod(m_writer, &LogWriter::close, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool open()
    {
        bool opened = false;
        QMetaObject::invokeMethod(m_writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
        return opened;
    }
    LogWriter *operator->() { return m_writer; }

private:
    QThread m_thread;
    LogWriter *m_writer;
};

} // namespace

class TestPostgresLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void requestsAlike_data();
    void requestsAlike();
    void requestWithBodiesAlike_data();
    void requestWithBodiesAlike();
    void statsAlike_data();
    void statsAlike();
    void sessionsAlike();
    void baselinesAndReports();
    void twoWritersAtOnce();
    void databaseAwayAndBack();
    void retentionOneInstanceAtATime();
    void segmentSweptByAnotherInstance();
    void newerSchemaRefused();
    void instancesStartingTogetherMigrateOnce();

private:
    QString pgQueriesConnection(const QString &name) const { return u"pg-"_s + name; }

    QTemporaryDir m_dir;
    PostgresServer m_server;
    QString m_url;
    QString m_file;
    std::unique_ptr<LogQueries> m_sqlite;
    std::unique_ptr<LogQueries> m_postgres;
    QStringList m_ids; // the engine's calls, oldest first
    QHash<QString, QString> m_named;
    qint64 m_olderStart = 0;
};

void TestPostgresLog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_url = m_server.url();
    m_file = m_dir.filePath(u"requests.db"_s);

    // The engine's calls, into the file.
    SessionScenario scenario;
    FakeProvider plain;
    Config config = scenario.config();
    config.log = TestConfigs::keepingEverything();
    config.providers << TestConfigs::provider(u"plain"_s, plain.port());
    config.aliases << TestConfigs::alias(u"general"_s, Strategy::Fallback, {TestConfigs::target(u"plain"_s, u"model-a"_s)});
    config.pricing << PriceOverride{u"plain"_s, u"model-a"_s, 3.0, 15.0, std::nullopt};
    {
        EngineThread engine(config, m_file);
        QVERIFY2(engine.startFailure().isEmpty(), qPrintable(engine.startFailure()));
        QVERIFY(scenario.runClaudeCode(engine.port()));
        QVERIFY(scenario.runCodex(engine.port()));
        plain.enqueue(Behaviour::httpError(400, u"the fake refuses this one"_s));
        const QList<std::tuple<QString, QByteArray, int>> calls{
            {u"refused"_s, chatBody("general", "refuse me"), 400},
            {u"ok"_s, chatBody("general", Needle + " in the prompt"), 200},
            {u"unknown model"_s, chatBody("no-such-alias", "nobody home"), 404},
            {u"stream"_s, chatBody("general", "stream please", R"(,"stream":true)"), 200},
        };
        for (const auto &[name, body, status] : calls) {
            const RawHttpClient::Response r = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body,
                                                                   {{"User-Agent", "postgres-log-test/1.0"}});
            QVERIFY2(r.complete, qPrintable(name + u": "_s + r.error));
            QCOMPARE(r.status, status);
            m_named.insert(name, QString::fromLatin1(r.headers.value("x-switchyard-request-id")));
        }
        const int proxied = int(scenario.claudeIds.size() + scenario.codexIds.size() + calls.size());
        QVERIFY(engine.waitForWritten(proxied, 20000));
        m_named.insert(u"claude fallback"_s, scenario.claudeIds.value(3));
        m_named.insert(u"codex first"_s, scenario.codexIds.value(0));
    }

    // The same calls, read back whole, and older synthetic ones: written to PostgreSQL and
    // (the older ones) to the file, each by its own writer.
    LogQueries file(m_file, u"copy-from-file"_s);
    RequestFilter all;
    all.limit = 1000;
    const Result<QList<CallRecord>> listed = file.requests(all);
    QVERIFY2(listed, why(listed).constData());
    QList<CallRecord> calls;
    for (auto it = listed.value().crbegin(); it != listed.value().crend(); ++it) {
        const Result<CallRecord> whole = file.request(it->id);
        QVERIFY2(whole, why(whole).constData());
        calls << whole.value();
        m_ids << it->id;
    }
    m_olderStart = QDateTime::currentMSecsSinceEpoch() - 3LL * 24 * 3600 * 1000;
    const QList<CallRecord> older = SyntheticCalls(1515).generate(OlderCalls, m_olderStart, m_olderStart + 2LL * 24 * 3600 * 1000);
    {
        LogWriter toFile(m_file, TestConfigs::keepingEverything());
        QVERIFY2(toFile.open(), qPrintable(toFile.errorString()));
        toFile.append(older);
        toFile.flush();
        LogWriter toPostgres(m_url, TestConfigs::keepingEverything());
        QVERIFY2(toPostgres.open(), qPrintable(toPostgres.errorString()));
        toPostgres.append(older + calls);
        for (int round = 0; round < 10 && toPostgres.queued() > 0; ++round)
            toPostgres.flush();
        QCOMPARE(toPostgres.queued(), 0);
    }
    m_sqlite = std::make_unique<LogQueries>(m_file, u"read-file"_s);
    m_postgres = std::make_unique<LogQueries>(m_url, u"read-postgres"_s);
}

void TestPostgresLog::cleanupTestCase()
{
    m_sqlite.reset();
    m_postgres.reset();
    QVERIFY2(m_server.stop(), qPrintable(m_server.error()));
}

void TestPostgresLog::requestsAlike_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<int>("expected"); // -1: some
    auto row = [](const char *name, int expected, auto configure) {
        RequestFilter f;
        configure(f);
        QTest::newRow(name) << f << expected;
    };
    const qint64 olderStart = m_olderStart;
    const int engineCalls = int(m_ids.size());
    row("newest 50", 50, [](RequestFilter &) {});
    row("all", OlderCalls + engineCalls, [](RequestFilter &f) { f.limit = 2000; });
    row("from the 7th", OlderCalls + engineCalls - 7, [](RequestFilter &f) { f.limit = 2000; f.offset = 7; });
    row("errors", -1, [](RequestFilter &f) { f.ok = false; f.limit = 300; });
    row("ok, second page", 100, [](RequestFilter &f) { f.ok = true; f.limit = 100; f.offset = 100; });
    row("alias general", -1, [](RequestFilter &f) { f.alias = u"general"_s; f.limit = 1000; });
    row("provider anthropic-a", -1, [](RequestFilter &f) { f.provider = u"anthropic-a"_s; });
    row("text in a body", 1, [](RequestFilter &f) { f.text = QString::fromLatin1(Needle); });
    row("text in no body", 0, [](RequestFilter &f) { f.text = u"nowhere-to-be-found"_s; });
    row("session", 5, [](RequestFilter &f) { f.sessionId = SessionScenario::ClaudeSession; });
    row("time window", -1, [olderStart](RequestFilter &f) {
        f.sinceMs = olderStart + 3600 * 1000;
        f.untilMs = olderStart + 30 * 3600 * 1000;
        f.limit = 1000;
    });
}

void TestPostgresLog::requestsAlike()
{
    QFETCH(RequestFilter, filter);
    QFETCH(int, expected);
    const Result<QList<CallRecord>> file = m_sqlite->requests(filter);
    const Result<QList<CallRecord>> postgres = m_postgres->requests(filter);
    QVERIFY2(file, why(file).constData());
    QVERIFY2(postgres, why(postgres).constData());
    if (expected >= 0)
        QCOMPARE(file.value().size(), expected);
    else
        QVERIFY(!file.value().isEmpty());
    QCOMPARE(describe(postgres.value()), describe(file.value()));
    const Result<qint64> fileCount = m_sqlite->count(filter);
    const Result<qint64> postgresCount = m_postgres->count(filter);
    QVERIFY2(postgresCount, why(postgresCount).constData());
    QCOMPARE(postgresCount.value(), fileCount.value());
}

void TestPostgresLog::requestWithBodiesAlike_data()
{
    QTest::addColumn<QString>("id");
    for (auto it = m_named.cbegin(); it != m_named.cend(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.value();
    QTest::newRow("no such request") << u"no-such-id"_s;
}

void TestPostgresLog::requestWithBodiesAlike()
{
    QFETCH(QString, id);
    const Result<CallRecord> file = m_sqlite->request(id);
    const Result<CallRecord> postgres = m_postgres->request(id);
    QVERIFY2(postgres, why(postgres).constData());
    QCOMPARE(describe(postgres.value(), true), describe(file.value(), true));
    if (id != "no-such-id"_L1)
        QVERIFY(!postgres.value().requestBody.isEmpty());
}

void TestPostgresLog::statsAlike_data()
{
    QTest::addColumn<QString>("by");
    QTest::addColumn<bool>("byDay");
    for (const QString &by : {u"alias"_s, u"provider"_s, u"model"_s, u"client"_s, u"project"_s}) {
        QTest::addRow("%s, hours", qPrintable(by)) << by << false;
        QTest::addRow("%s, days", qPrintable(by)) << by << true;
    }
}

void TestPostgresLog::statsAlike()
{
    QFETCH(QString, by);
    QFETCH(bool, byDay);
    StatsQuery query;
    query.by = by;
    query.byDay = byDay;
    query.sinceMs = m_olderStart - 3600 * 1000;
    query.untilMs = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
    const Result<QList<StatsRow>> file = m_sqlite->stats(query);
    const Result<QList<StatsRow>> postgres = m_postgres->stats(query);
    QVERIFY2(postgres, why(postgres).constData());
    QVERIFY(!file.value().isEmpty());
    QCOMPARE(describe(postgres.value()), describe(file.value()));
}

void TestPostgresLog::sessionsAlike()
{
    SessionFilter filter;
    const Result<QList<SessionSummary>> file = SessionQueries::list(*m_sqlite, filter);
    const Result<QList<SessionSummary>> postgres = SessionQueries::list(*m_postgres, filter);
    QVERIFY2(postgres, why(postgres).constData());
    QVERIFY(file.value().size() >= 2);
    QCOMPARE(describe(postgres.value()), describe(file.value()));
    QStringList fileTurns, postgresTurns;
    SessionQueries::forEachCall(*m_sqlite, SessionScenario::CodexSession, 100, [&](const CallRecord &r) { fileTurns << describe(r, true); });
    SessionQueries::forEachCall(*m_postgres, SessionScenario::CodexSession, 100, [&](const CallRecord &r) { postgresTurns << describe(r, true); });
    QCOMPARE(postgresTurns.size(), 3);
    QCOMPARE(postgresTurns, fileTurns);
}

void TestPostgresLog::baselinesAndReports()
{
    BaselineStore store(m_url, u"baselines"_s);
    QList<CallRecord> chosen;
    for (const QString &name : {u"ok"_s, u"stream"_s, u"codex first"_s}) {
        const Result<CallRecord> r = m_postgres->request(m_named.value(name));
        QVERIFY2(r && BaselineStore::unusable(r.value()).isEmpty(), qPrintable(name));
        chosen << r.value();
    }
    const Result<int> added = store.add(u"team set"_s, u"chosen by hand"_s, chosen);
    QVERIFY2(added, why(added).constData());
    QCOMPARE(added.value(), 3);
    const Result<int> again = store.add(u"team set"_s, u"chosen by hand"_s, chosen.mid(0, 1));
    QVERIFY2(again, why(again).constData());
    QCOMPARE(again.value(), 0); // already in it
    const Result<QList<BaselineInfo>> listed = store.list();
    QVERIFY2(listed, why(listed).constData());
    QCOMPARE(listed.value().size(), 1);
    QCOMPARE(listed.value().constFirst().requests, 3);
    const Result<QList<CallRecord>> copies = store.requests(u"team set"_s);
    QVERIFY2(copies, why(copies).constData());
    QCOMPARE(copies.value().size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(copies.value().at(i).requestBody, chosen.at(i).requestBody);
        QCOMPARE(copies.value().at(i).responseBody, chosen.at(i).responseBody);
    }
    const Result<std::optional<QByteArray>> body = store.requestBody(u"team set"_s, 1);
    QVERIFY(body && body.value());
    QCOMPARE(*body.value(), chosen.at(1).requestBody);

    QVERIFY(store.saveEvaluation(u"eval_pg_1"_s, u"team set"_s, 1000, R"({"id":"eval_pg_1","v":1})"));
    QVERIFY(store.saveEvaluation(u"eval_pg_1"_s, u"team set"_s, 2000, R"({"id":"eval_pg_1","v":2})")); // replaced
    QVERIFY(store.saveEvaluation(u"eval_pg_2"_s, u"team set"_s, 1500, R"({"id":"eval_pg_2"})"));
    QCOMPARE(store.evaluation(u"eval_pg_1"_s).value(), QByteArray(R"({"id":"eval_pg_1","v":2})"));
    const Result<QList<QByteArray>> reports = store.evaluations(10);
    QVERIFY2(reports, why(reports).constData());
    QCOMPARE(reports.value(), (QList<QByteArray>{R"({"id":"eval_pg_1","v":2})", R"({"id":"eval_pg_2"})"}));
    QCOMPARE(store.remove(u"team set"_s).value(), true);
    QCOMPARE(store.remove(u"team set"_s).value(), false);
}

void TestPostgresLog::twoWritersAtOnce()
{
    // Two instances' writers on one database, each with 1,000 agent-sized calls sharing one
    // system prompt, committing at the same moments.
    QVERIFY(m_server.createDatabase(u"two_writers"_s));
    const QString url = m_server.url(u"two_writers"_s);
    constexpr int PerWriter = 1000;
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 60000;
    {
        WriterThread first(url), second(url);
        QVERIFY(first.open());
        QVERIFY(second.open());
        for (int batch = 0; batch < 10; ++batch) {
            QList<CallRecord> a, b;
            for (int i = batch * 100; i < (batch + 1) * 100; ++i) {
                a << agentSizedCall(u"a-%1"_s.arg(i), start + i * 10, i);
                b << agentSizedCall(u"b-%1"_s.arg(i), start + i * 10 + 5, i);
            }
            first->append(a);
            second->append(b);
            QTest::qWait(20);
        }
        QTRY_VERIFY_WITH_TIMEOUT(first->queued() == 0 && second->queued() == 0, 60000);
    }
    QSqlDatabase db = m_server.connect(u"two-check"_s, u"two_writers"_s);
    QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
    QCOMPARE(scalar(u"two-check"_s, u"SELECT COUNT(*) FROM requests"_s), 2 * PerWriter);
    QCOMPARE(scalar(u"two-check"_s, u"SELECT SUM(requests) FROM rollup_hour"_s), 2 * PerWriter);
    QCOMPARE(scalar(u"two-check"_s, u"SELECT COUNT(*) FROM attempts"_s), 2 * PerWriter);
    // The shared system prompt is one segment, stored once whoever stored it first.
    QCOMPARE(scalar(u"two-check"_s, u"SELECT COUNT(*) FROM segments WHERE size > 1000"_s), 1);
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"two-check"_s);
    LogQueries read(url, u"two-read"_s);
    for (const QString &id : {u"a-0"_s, u"b-999"_s, u"a-517"_s}) {
        const Result<CallRecord> r = read.request(id);
        QVERIFY2(r, why(r).constData());
        QCOMPARE(r.value().requestBody, agentSizedCall(id, 0, id.mid(2).toInt()).requestBody);
    }
}

void TestPostgresLog::databaseAwayAndBack()
{
    QVERIFY(m_server.createDatabase(u"outage"_s));
    const QString url = m_server.url(u"outage"_s);
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 60000;
    const quint64 droppedBefore = LogStats::instance().rowsDropped;
    LogQueries early(url, u"outage-early"_s); // a reader from before: it connects again after
    BaselineStore earlyStore(url, u"outage-early-baselines"_s);
    {
        WriterThread writer(url);
        QVERIFY(writer.open());
        QCOMPARE(early.count(RequestFilter()).value(), 0);
        QVERIFY(earlyStore.list());
        QList<CallRecord> before;
        for (int i = 0; i < 50; ++i)
            before << agentSizedCall(u"before-%1"_s.arg(i), start + i, i);
        const quint64 writtenBefore = LogStats::instance().rowsWritten;
        writer->append(before);
        QTRY_COMPARE_WITH_TIMEOUT(LogStats::instance().rowsWritten - writtenBefore, 50u, 10000);

        QVERIFY2(m_server.stop(), qPrintable(m_server.error()));
        for (int round = 0; round < 5; ++round) {
            QList<CallRecord> during;
            for (int i = round * 60; i < (round + 1) * 60; ++i)
                during << agentSizedCall(u"during-%1"_s.arg(i), start + 1000 + i, i);
            writer->append(during);
            QTest::qWait(150);
        }
        // Serving goes on; the calls wait, and /health and /metrics say why.
        QTRY_VERIFY_WITH_TIMEOUT(!LogStats::instance().storeReachable.load(), 10000);
        QCOMPARE(writer->queued(), 300);
        QVERIFY2(LogStats::instance().healthJson().contains(R"("state":"unreachable","queued_rows":300)"),
                 LogStats::instance().healthJson().constData());
        QVERIFY(LogStats::instance().prometheusText().contains("switchyard_log_store_up 0\n"));

        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        QTRY_VERIFY_WITH_TIMEOUT(LogStats::instance().storeReachable.load() && writer->queued() == 0, 20000);
        QVERIFY(LogStats::instance().prometheusText().contains("switchyard_log_store_up 1\n"));
    }
    QCOMPARE(LogStats::instance().rowsDropped.load(), droppedBefore);
    const Result<qint64> afterRestart = early.count(RequestFilter());
    QVERIFY2(afterRestart, why(afterRestart).constData());
    QCOMPARE(afterRestart.value(), 350);
    QVERIFY2(earlyStore.list(), "the baseline store did not connect again");
    LogQueries read(url, u"outage-read"_s);
    RequestFilter all;
    all.limit = 1000;
    const Result<QList<CallRecord>> rows = read.requests(all);
    QVERIFY2(rows, why(rows).constData());
    QCOMPARE(rows.value().size(), 350);
    QSet<QString> ids;
    for (const CallRecord &r : rows.value())
        ids.insert(r.id);
    QCOMPARE(ids.size(), 350);
    QVERIFY(ids.contains(u"during-0"_s) && ids.contains(u"during-299"_s));
    const Result<CallRecord> waited = read.request(u"during-123"_s);
    QVERIFY2(waited, why(waited).constData());
    QCOMPARE(waited.value().requestBody, agentSizedCall(QString(), 0, 123).requestBody);
    StatsQuery query;
    query.sinceMs = start - 3600 * 1000;
    query.untilMs = start + 3600 * 1000;
    const Result<QList<StatsRow>> stats = read.stats(query);
    QVERIFY2(stats, why(stats).constData());
    qint64 counted = 0;
    for (const StatsRow &row : stats.value())
        counted += row.requests;
    QCOMPARE(counted, 350);
}

void TestPostgresLog::retentionOneInstanceAtATime()
{
    QVERIFY(m_server.createDatabase(u"retention"_s));
    const QString url = m_server.url(u"retention"_s);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr qint64 Day = 24LL * 3600 * 1000;
    LogConfig config = TestConfigs::keepingEverything();
    config.retentionDays = 10;
    config.bodyRetentionDays = 3;
    LogWriter writer(url, config);
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    QList<CallRecord> calls;
    for (int i = 0; i < 30; ++i) // one a day, oldest 29 days ago
        calls << agentSizedCall(u"day-%1"_s.arg(i), now - (29 - i) * Day, 1000 + i);
    writer.append(calls);
    writer.flush();
    LogQueries read(url, u"retention-read"_s);
    RequestFilter all;
    all.limit = 100;
    QCOMPARE(read.count(all).value(), 30);

    // Another instance is pruning: this one leaves it alone.
    {
        QSqlDatabase other = m_server.connect(u"other-instance"_s, u"retention"_s);
        QVERIFY(other.isOpen());
        QCOMPARE(scalar(u"other-instance"_s, u"SELECT CASE WHEN pg_try_advisory_lock(%1) THEN 1 ELSE 0 END"_s.arg(PostgresSchema::RetentionLockKey)), 1);
        writer.applyRetention();
        QCOMPARE(read.count(all).value(), 30);
        QCOMPARE(scalar(u"other-instance"_s, u"SELECT CASE WHEN pg_advisory_unlock(%1) THEN 1 ELSE 0 END"_s.arg(PostgresSchema::RetentionLockKey)), 1);
        other.close();
    }
    QSqlDatabase::removeDatabase(u"other-instance"_s);

    writer.applyRetention();
    QCOMPARE(read.count(all).value(), 10); // the last 10 days
    const Result<CallRecord> kept = read.request(u"day-29"_s);
    QCOMPARE(kept.value().requestBody, calls.last().requestBody);
    const Result<CallRecord> bodiless = read.request(u"day-25"_s); // 4 days old: row kept, body gone
    QCOMPARE(bodiless.value().id, u"day-25"_s);
    QVERIFY(bodiless.value().requestBody.isEmpty());
    QVERIFY(bodiless.value().attempts.constFirst().requestBody.isEmpty());
}

void TestPostgresLog::segmentSweptByAnotherInstance()
{
    QVERIFY(m_server.createDatabase(u"swept"_s));
    const QString url = m_server.url(u"swept"_s);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    LogWriter writer(url, TestConfigs::keepingEverything());
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    writer.append({agentSizedCall(u"first"_s, now - 60000, 1)});
    writer.flush();
    // Another instance's retention sweeps every segment (its bodies are past its limits):
    // this writer still knows the shared segment's id.
    {
        QSqlDatabase other = m_server.connect(u"sweeper"_s, u"swept"_s);
        QVERIFY(other.isOpen());
        QVERIFY(QSqlQuery(other).exec(u"DELETE FROM segments"_s));
        other.close();
    }
    QSqlDatabase::removeDatabase(u"sweeper"_s);
    const CallRecord second = agentSizedCall(u"second"_s, now, 2);
    writer.append({second});
    // The touch finds the segment gone: the batch is written again, with the segment anew.
    QTRY_COMPARE_WITH_TIMEOUT((writer.flush(), writer.queued()), 0, 5000);
    LogQueries read(url, u"swept-read"_s);
    const Result<CallRecord> r = read.request(u"second"_s);
    QVERIFY2(r, why(r).constData());
    QCOMPARE(r.value().requestBody, second.requestBody);
    QCOMPARE(r.value().attempts.constFirst().requestBody, second.requestBody);
}

void TestPostgresLog::newerSchemaRefused()
{
    QVERIFY(m_server.createDatabase(u"newer"_s));
    const QString url = m_server.url(u"newer"_s);
    {
        LogWriter writer(url, TestConfigs::keepingEverything());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    }
    {
        LogQueries q(url, u"newer-edit"_s);
        QVERIFY(q.ensureOpen());
        QVERIFY(QSqlQuery(QSqlDatabase::database(u"newer-edit"_s)).exec(u"UPDATE switchyard_schema SET version = 99"_s));
    }
    LogWriter writer(url, TestConfigs::keepingEverything());
    QVERIFY(!writer.open());
    QVERIFY2(writer.errorString().contains(u"written by a newer Switchyard (schema 99, this one knows 5)"_s), qPrintable(writer.errorString()));
    QVERIFY2(!writer.errorString().contains(u"password"_s), qPrintable(writer.errorString()));

    LogWriter unreachable(u"postgresql://switchyard:hunter2@127.0.0.1:%1/switchyard"_s.arg(FakeProvider::unusedPort()),
                          TestConfigs::keepingEverything());
    QVERIFY(!unreachable.open());
    QVERIFY2(unreachable.errorString().contains(u"cannot connect to the request log"_s), qPrintable(unreachable.errorString()));
    QVERIFY2(!unreachable.errorString().contains(u"hunter2"_s), qPrintable(unreachable.errorString()));
}

void TestPostgresLog::instancesStartingTogetherMigrateOnce()
{
    QVERIFY(m_server.createDatabase(u"together"_s));
    const QString url = m_server.url(u"together"_s);
    WriterThread first(url), second(url), third(url);
    bool opened[3] = {false, false, false};
    QThread *openers[3];
    WriterThread *writers[3] = {&first, &second, &third};
    for (int i = 0; i < 3; ++i) {
        openers[i] = QThread::create([&opened, &writers, i] { opened[i] = writers[i]->open(); });
        openers[i]->start();
    }
    for (QThread *t : openers) {
        QVERIFY(t->wait(30000));
        delete t;
    }
    QVERIFY(opened[0] && opened[1] && opened[2]);
    LogQueries q(url, u"together-read"_s);
    QVERIFY(q.ensureOpen());
    QCOMPARE(scalar(u"together-read"_s, u"SELECT COUNT(*) FROM switchyard_schema"_s), 1);
    QCOMPARE(scalar(u"together-read"_s, u"SELECT version FROM switchyard_schema"_s), 5);
}

QTEST_GUILESS_MAIN(TestPostgresLog)
#include "tst_PostgresLog.moc"
