// SPDX-License-Identifier: GPL-3.0-or-later
// A window attached to a remote gateway reads that gateway's log through a LogReader on a
// RemoteLog (its admin API) with no change to the views. So the same log, read through a
// LogReader on the file and through one on a RemoteLog to the engine that writes it, must
// answer alike: requests, counts, bodies, stats, sessions and baselines. Real engine, real
// SQLite log, fake upstreams; 1,100 older calls written straight to the log first, so that
// lists page past the API's 1,000 calls per answer.
#include "core/cli/AdminClient.h"
#include "core/log/BaselineSelection.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "core/log/SessionQueries.h"
#include "core/remote/RemoteLog.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/LogText.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/SessionScenario.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

Q_DECLARE_METATYPE(Switchyard::RequestFilter)

namespace {

constexpr int BulkCalls = 1100;
const QByteArray Needle = "needle-remote-4242";
const QByteArray Awkward = "a&b=%41 c+d"; // search text that must survive the query string
const QString Evaluation = u"eval-bulk-1"_s;

// Answers `work` on `reader`'s thread and waits here for the answer, as a view gets it.
template <typename R>
std::optional<R> ask(LogReader &reader, std::function<R(LogQueries &)> work, int timeoutMs = 30000)
{
    QObject context;
    std::optional<R> answer;
    reader.query<R>(&context, std::move(work), [&answer](const R &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, timeoutMs))
        qWarning("no answer within %d ms", timeoutMs);
    return answer;
}

template <typename R>
std::optional<R> edit(LogReader &reader, std::function<R(LogQueries &, BaselineStore &)> work)
{
    QObject context;
    std::optional<R> answer;
    reader.edit<R>(&context, std::move(work), [&answer](const R &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 30000))
        qWarning("no answer within 30 s");
    return answer;
}

std::unique_ptr<LogReader> remoteReader(const QString &url, const QString &token = QString())
{
    const AdminClient::Target target{QUrl(url), token, {}};
    return std::make_unique<LogReader>([target] { return std::make_shared<RemoteLog>(target); });
}

// An older call written straight to the log: pairs share a start (their ids order them),
// every 7th failed, every 50th made by an evaluation.
CallRecord bulkCall(int i, const QDateTime &start)
{
    CallRecord r;
    r.id = u"bulk-%1"_s.arg(i, 4, 10, QLatin1Char('0'));
    r.startedAt = start.addMSecs(qint64(i / 2) * 1000);
    r.durationMs = 100 + i % 900;
    r.ttftMs = i % 3 ? std::optional<qint64>(40 + i % 50) : std::nullopt;
    r.endpoint = u"/v1/chat/completions"_s;
    r.requestedModel = u"bulk"_s;
    r.alias = u"bulk"_s;
    r.provider = u"bulk-p"_s;
    r.model = i % 2 ? u"bulk-m1"_s : u"bulk-m2"_s;
    r.ok = i % 7 != 0;
    r.status = r.ok ? 200 : 502;
    r.errorClass = r.ok ? ErrorClass::None : ErrorClass::Upstream5xx;
    r.errorMessage = r.ok ? QString() : u"bulk upstream failed"_s;
    r.usage = Usage{100 + i, 20 + i % 10, i % 4 ? std::optional<qint64>(50) : std::nullopt};
    r.costUsd = r.ok ? std::optional<double>(0.0001 * (i + 1)) : std::nullopt;
    r.client = u"bulk-client/1.0"_s;
    r.project = u"/home/bulk"_s;
    r.evaluationId = i % 50 == 0 ? Evaluation : QString();
    r.requestBody = R"({"model":"bulk","messages":[{"role":"user","content":"bulk )" + QByteArray::number(i) + R"("}]})";
    r.responseBody = R"({"choices":[{"message":{"role":"assistant","content":"ok"}}]})";
    r.requestHeaders.add("User-Agent", "bulk-client/1.0");
    r.requestHeaders.add("X-Repeat", "a");
    r.requestHeaders.add("x-repeat", "b");
    r.attempts = {Attempt{r.provider, r.model, r.status, r.errorClass, r.errorMessage, 0, r.durationMs, r.requestBody}};
    return r;
}

QByteArray chatBody(const QByteArray &model, const QByteArray &content, const QByteArray &extra = QByteArray())
{
    return R"({"model":")" + model + R"(","messages":[{"role":"user","content":")" + content + R"("}])" + extra + "}";
}

} // namespace

class TestRemoteLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void requestsAlike_data();
    void requestsAlike();
    void requestWithBodiesAlike_data();
    void requestWithBodiesAlike();
    void statsAlike_data();
    void statsAlike();
    void sessionsAlike();
    void sessionCallsAlike_data();
    void sessionCallsAlike();
    void baselineAddedThroughTheGateway();
    void answersComeInTheOrderAsked();
    void gatewayDownIsAnError();
    void tokenProtectedGateway();
    void silentGatewayEndsWithinTheTimeout();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SessionScenario> m_scenario;
    FakeProvider m_plain;
    std::unique_ptr<EngineThread> m_engine;
    std::unique_ptr<LogReader> m_local;
    std::unique_ptr<LogReader> m_remote;
    QDateTime m_bulkStart;
    QHash<QString, QString> m_ids; // call name → request id
};

void TestRemoteLog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString db = m_dir.filePath(u"requests.db"_s);
    m_bulkStart = QDateTime::currentDateTimeUtc().addDays(-2);
    {
        LogWriter writer(db, TestConfigs::keepingEverything());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
        QList<CallRecord> bulk;
        for (int i = 0; i < BulkCalls; ++i)
            bulk << bulkCall(i, m_bulkStart);
        writer.append(bulk);
        writer.flush();
    }

    m_scenario = std::make_unique<SessionScenario>();
    Config config = m_scenario->config();
    config.log = TestConfigs::keepingEverything();
    config.providers << TestConfigs::provider(u"plain"_s, m_plain.port());
    config.aliases << TestConfigs::alias(u"general"_s, Strategy::Fallback, {TestConfigs::target(u"plain"_s, u"model-a"_s)});
    config.pricing << PriceOverride{u"plain"_s, u"model-a"_s, 3.0, 15.0, std::nullopt};
    m_engine = std::make_unique<EngineThread>(config, db);
    QVERIFY2(m_engine->startFailure().isEmpty(), qPrintable(m_engine->startFailure()));

    // Agent sessions (Claude Code on /v1/messages to Anthropic-kind providers, Codex on
    // /v1/responses), then plain chat calls: ok, refused upstream, unknown model, streamed.
    QVERIFY(m_scenario->runClaudeCode(m_engine->port()));
    QVERIFY(m_scenario->runCodex(m_engine->port()));
    m_plain.enqueue(Behaviour::httpError(400, u"the fake refuses this one"_s));
    m_plain.enqueue(Behaviour::answer());
    m_plain.enqueue(Behaviour::answer());
    const QList<std::tuple<QString, QByteArray, int>> calls{
        {u"refused"_s, chatBody("general", "refuse me"), 400},
        {u"ok"_s, chatBody("general", Needle + " in the prompt, " + Awkward), 200},
        {u"unknown model"_s, chatBody("no-such-alias", "nobody home"), 404},
        {u"stream"_s, chatBody("general", "stream please", R"(,"stream":true)"), 200},
    };
    for (const auto &[name, body, status] : calls) {
        const RawHttpClient::Response r = RawHttpClient::fetch(m_engine->port(), "POST", "/v1/chat/completions", body,
                                                               {{"User-Agent", "remote-log-test/1.0"}});
        QVERIFY2(r.complete, qPrintable(name + u": "_s + r.error));
        QCOMPARE(r.status, status);
        m_ids.insert(name, QString::fromLatin1(r.headers.value("x-switchyard-request-id")));
    }
    const int proxied = int(m_scenario->claudeIds.size() + m_scenario->codexIds.size() + calls.size());
    QVERIFY(m_engine->waitForWritten(proxied, 20000));

    m_local = std::make_unique<LogReader>(db);
    m_remote = remoteReader(m_engine->url());
}

void TestRemoteLog::requestsAlike_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<int>("expected"); // calls listed (the same on both sides)
    auto row = [](const char *name, int expected, auto configure) {
        RequestFilter f;
        configure(f);
        QTest::newRow(name) << f << expected;
    };
    const qint64 bulkStart = m_bulkStart.toMSecsSinceEpoch();
    row("newest 50", 50, [](RequestFilter &) {});
    row("all, past one page", BulkCalls + 12, [](RequestFilter &f) { f.limit = 2000; });
    row("1100 from the 5th: two pages", 1100, [](RequestFilter &f) { f.limit = 1100; f.offset = 5; });
    row("offset past the end", 0, [](RequestFilter &f) { f.offset = 5000; });
    row("limit 0", 0, [](RequestFilter &f) { f.limit = 0; });
    row("errors", 158 + 2, [](RequestFilter &f) { f.ok = false; f.limit = 300; });
    row("ok from the 10th", 100, [](RequestFilter &f) { f.ok = true; f.limit = 100; f.offset = 10; });
    row("alias general", 3, [](RequestFilter &f) { f.alias = u"general"_s; });
    row("provider anthropic-a", -1, [](RequestFilter &f) { f.provider = u"anthropic-a"_s; });
    row("model bulk-m1", 550, [](RequestFilter &f) { f.model = u"bulk-m1"_s; f.limit = 1000; });
    row("text in a body", 1, [](RequestFilter &f) { f.text = QString::fromLatin1(Needle); });
    row("text with & % and +", 1, [](RequestFilter &f) { f.text = QString::fromLatin1(Awkward); });
    row("session", 5, [](RequestFilter &f) { f.sessionId = SessionScenario::ClaudeSession; });
    row("evaluations left out", BulkCalls - 22 + 12, [](RequestFilter &f) { f.evaluations = false; f.limit = 2000; });
    row("one evaluation", 22, [](RequestFilter &f) { f.evaluationId = Evaluation; });
    row("evaluation left out and asked", 0, [](RequestFilter &f) { f.evaluations = false; f.evaluationId = Evaluation; });
    row("time window, errors", 86, [bulkStart](RequestFilter &f) { // calls 200 to 799
        f.sinceMs = bulkStart + 100 * 1000;
        f.untilMs = bulkStart + 400 * 1000;
        f.ok = false;
        f.limit = 500;
    });
}

void TestRemoteLog::requestsAlike()
{
    QFETCH(RequestFilter, filter);
    QFETCH(int, expected);
    const auto local = ask<Result<QList<CallRecord>>>(*m_local, [filter](LogQueries &q) { return q.requests(filter); });
    const auto remote = ask<Result<QList<CallRecord>>>(*m_remote, [filter](LogQueries &q) { return q.requests(filter); });
    QVERIFY(local && remote);
    QVERIFY2(local->ok(), why(*local).constData());
    QVERIFY2(remote->ok(), why(*remote).constData());
    if (expected >= 0)
        QCOMPARE(local->value().size(), expected);
    else
        QVERIFY(!local->value().isEmpty());
    QCOMPARE(remote->value().size(), local->value().size());
    QCOMPARE(describe(remote->value()), describe(local->value()));

    const auto localCount = ask<Result<qint64>>(*m_local, [filter](LogQueries &q) { return q.count(filter); });
    const auto remoteCount = ask<Result<qint64>>(*m_remote, [filter](LogQueries &q) { return q.count(filter); });
    QVERIFY(localCount && remoteCount);
    QVERIFY2(remoteCount->ok(), why(*remoteCount).constData());
    QCOMPARE(remoteCount->value(), localCount->value());
}

void TestRemoteLog::requestWithBodiesAlike_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &name : {u"ok"_s, u"refused"_s, u"unknown model"_s, u"stream"_s})
        QTest::newRow(qPrintable(name)) << m_ids.value(name);
    QTest::newRow("claude: fallback turn (Anthropic dialect)") << m_scenario->claudeIds.value(3);
    QTest::newRow("codex: first turn") << m_scenario->codexIds.value(0);
    QTest::newRow("bulk: repeated headers") << u"bulk-0007"_s;
    QTest::newRow("no such request") << u"no-such-id"_s;
}

void TestRemoteLog::requestWithBodiesAlike()
{
    QFETCH(QString, id);
    QVERIFY(!id.isEmpty());
    const auto local = ask<Result<CallRecord>>(*m_local, [id](LogQueries &q) { return q.request(id); });
    const auto remote = ask<Result<CallRecord>>(*m_remote, [id](LogQueries &q) { return q.request(id); });
    QVERIFY(local && remote);
    QVERIFY2(remote->ok(), why(*remote).constData());
    QCOMPARE(describe(remote->value(), true), describe(local->value(), true));
    if (id != "no-such-id"_L1)
        QVERIFY(!remote->value().requestBody.isEmpty());
}

void TestRemoteLog::statsAlike_data()
{
    QTest::addColumn<QString>("by");
    QTest::addColumn<bool>("byDay");
    QTest::addColumn<bool>("evaluations");
    for (const QString &by : {u"alias"_s, u"provider"_s, u"model"_s, u"client"_s, u"project"_s}) {
        QTest::addRow("%s, hours", qPrintable(by)) << by << false << false;
        QTest::addRow("%s, days, with evaluations", qPrintable(by)) << by << true << true;
    }
    QTest::newRow("unknown grouping") << u"colour"_s << false << false;
}

void TestRemoteLog::statsAlike()
{
    QFETCH(QString, by);
    QFETCH(bool, byDay);
    QFETCH(bool, evaluations);
    StatsQuery query;
    query.untilMs = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
    query.sinceMs = query.untilMs - 4LL * 24 * 3600 * 1000;
    query.by = by;
    query.byDay = byDay;
    query.evaluations = evaluations;
    const auto local = ask<Result<QList<StatsRow>>>(*m_local, [query](LogQueries &q) { return q.stats(query); });
    const auto remote = ask<Result<QList<StatsRow>>>(*m_remote, [query](LogQueries &q) { return q.stats(query); });
    QVERIFY(local && remote);
    QCOMPARE(remote->ok(), local->ok());
    if (!local->ok()) {
        QCOMPARE(remote->error().message, local->error().message);
        return;
    }
    QVERIFY(!local->value().isEmpty());
    QCOMPARE(describe(remote->value()), describe(local->value()));
    StatsRow localTotal, remoteTotal;
    for (const StatsRow &row : local->value())
        localTotal.addCounts(row);
    for (const StatsRow &row : remote->value())
        remoteTotal.addCounts(row);
    QCOMPARE(describe(QList<StatsRow>{remoteTotal}), describe(QList<StatsRow>{localTotal}));
    QCOMPARE(localTotal.requests, qint64(evaluations ? BulkCalls + 12 : BulkCalls - BulkCalls / 50 + 12));
}

void TestRemoteLog::sessionsAlike()
{
    SessionFilter filter;
    filter.sinceMs = 0;
    const auto local = ask<Result<QList<SessionSummary>>>(*m_local, [filter](LogQueries &q) { return SessionQueries::list(q, filter); });
    const auto remote = ask<Result<QList<SessionSummary>>>(*m_remote, [filter](LogQueries &q) { return SessionQueries::list(q, filter); });
    QVERIFY(local && remote);
    QVERIFY2(remote->ok(), why(*remote).constData());
    QCOMPARE(local->value().size(), filter.limit); // each older call is a session of its own
    QCOMPARE(describe(remote->value()), describe(local->value()));
    QStringList ids;
    for (const SessionSummary &session : remote->value())
        ids << session.id;
    QVERIFY(ids.contains(SessionScenario::ClaudeSession) && ids.contains(SessionScenario::CodexSession));

    filter.limit = 1;
    filter.client = local->value().constLast().client;
    const auto localOne = ask<Result<QList<SessionSummary>>>(*m_local, [filter](LogQueries &q) { return SessionQueries::list(q, filter); });
    const auto remoteOne = ask<Result<QList<SessionSummary>>>(*m_remote, [filter](LogQueries &q) { return SessionQueries::list(q, filter); });
    QVERIFY(localOne && remoteOne && remoteOne->ok());
    QCOMPARE(localOne->value().size(), 1);
    QCOMPARE(describe(remoteOne->value()), describe(localOne->value()));
}

void TestRemoteLog::sessionCallsAlike_data()
{
    QTest::addColumn<QString>("session");
    QTest::addColumn<int>("maxCalls");
    QTest::newRow("claude code, all") << SessionScenario::ClaudeSession << 100;
    QTest::newRow("claude code, latest 3") << SessionScenario::ClaudeSession << 3;
    QTest::newRow("codex, all") << SessionScenario::CodexSession << 100;
    QTest::newRow("no such session") << u"no-such-session"_s << 100;
    QTest::newRow("none asked") << SessionScenario::CodexSession << 0;
}

void TestRemoteLog::sessionCallsAlike()
{
    QFETCH(QString, session);
    QFETCH(int, maxCalls);
    using Visited = std::pair<Result<qint64>, QList<CallRecord>>;
    auto work = [session, maxCalls](LogQueries &q) {
        QList<CallRecord> calls;
        const Result<qint64> total = SessionQueries::forEachCall(q, session, maxCalls, [&calls](const CallRecord &c) { calls << c; });
        return Visited{total, calls};
    };
    const auto local = ask<Visited>(*m_local, work);
    const auto remote = ask<Visited>(*m_remote, work);
    QVERIFY(local && remote);
    QVERIFY2(remote->first.ok(), why(remote->first).constData());
    QCOMPARE(remote->first.value(), local->first.value());
    QCOMPARE(remote->second.size(), local->second.size());
    QCOMPARE(describe(remote->second, true), describe(local->second, true));
}

void TestRemoteLog::baselineAddedThroughTheGateway()
{
    // As AddToBaselineDialog does: choose (by ids, or a session's calls), then add.
    using Added = Result<std::pair<BaselineSelection, int>>;
    auto addIds = [](const QStringList &ids, const QString &name) {
        return [ids, name](LogQueries &q, BaselineStore &store) -> Added {
            const Result<BaselineSelection> chosen = BaselineSelection::byIds(q, ids);
            if (!chosen)
                return chosen.error();
            const Result<int> added = store.add(name, u"chosen in a test"_s, chosen.value().records);
            if (!added)
                return added.error();
            return std::pair(chosen.value(), added.value());
        };
    };
    const QStringList ids{m_ids.value(u"ok"_s), m_ids.value(u"refused"_s), u"bulk-0003"_s, u"bulk-0050"_s, u"no-such-id"_s};
    const auto remote = edit<Added>(*m_remote, addIds(ids, u"remote set"_s));
    QVERIFY(remote);
    QVERIFY2(remote->ok(), why(*remote).constData());
    QCOMPARE(remote->value().second, 3);
    const BaselineSelection &chosen = remote->value().first;
    QStringList chosenIds, skipped;
    for (const CallRecord &r : chosen.records) {
        chosenIds << r.id;
        QVERIFY2(r.requestBody.isEmpty() && r.responseBody.isEmpty(), "the ids only travel: the gateway copies the bodies");
    }
    for (const BaselineSelection::Skipped &s : chosen.skipped)
        skipped << s.id + u": "_s + s.reason;
    QCOMPARE(chosenIds, (QStringList{m_ids.value(u"ok"_s), m_ids.value(u"refused"_s), u"bulk-0003"_s}));
    QCOMPARE(skipped, (QStringList{u"bulk-0050: a call of an evaluation"_s, u"no-such-id: not in the log"_s}));

    // The same again adds nothing; a session's calls are chosen as on the file.
    const auto again = edit<Added>(*m_remote, addIds(ids.mid(0, 3), u"remote set"_s));
    QVERIFY(again && again->ok());
    QCOMPARE(again->value().second, 0);
    auto bySession = [](LogQueries &q, BaselineStore &) -> Result<QStringList> {
        BaselineFilter filter;
        filter.session = SessionScenario::ClaudeSession;
        const Result<BaselineSelection> chosen = BaselineSelection::byFilter(q, filter);
        if (!chosen)
            return chosen.error();
        QStringList out;
        for (const CallRecord &r : chosen.value().records)
            out << r.id + u" @"_s + QString::number(r.startedAt.toMSecsSinceEpoch());
        for (const BaselineSelection::Skipped &s : chosen.value().skipped)
            out << s.id + u": "_s + s.reason;
        return out;
    };
    const auto localSession = edit<Result<QStringList>>(*m_local, bySession);
    const auto remoteSession = edit<Result<QStringList>>(*m_remote, bySession);
    QVERIFY(localSession && remoteSession && remoteSession->ok());
    QCOMPARE(remoteSession->value(), localSession->value());
    QCOMPARE(localSession->value().size(), m_scenario->claudeIds.size());

    // The file holds it, with the gateway's own copies; both lists agree.
    auto list = [](LogQueries &, BaselineStore &store) { return store.list(); };
    const auto localList = edit<Result<QList<BaselineInfo>>>(*m_local, list);
    const auto remoteList = edit<Result<QList<BaselineInfo>>>(*m_remote, list);
    QVERIFY(localList && remoteList);
    QVERIFY2(remoteList->ok(), why(*remoteList).constData());
    QCOMPARE(localList->value().size(), 1);
    QCOMPARE(localList->value().constFirst().name, u"remote set"_s);
    QCOMPARE(localList->value().constFirst().requests, 3);
    QCOMPARE(describe(remoteList->value()), describe(localList->value()));
    const auto copies = edit<Result<QList<CallRecord>>>(*m_local, [](LogQueries &, BaselineStore &store) { return store.requests(u"remote set"_s); });
    QVERIFY(copies && copies->ok());
    QCOMPARE(copies->value().size(), 3);
    QCOMPARE(copies->value().at(2).requestBody, bulkCall(3, m_bulkStart).requestBody);

    // What the gateway does not offer is an error, not a wrong answer.
    const auto evaluations = edit<Result<QList<QByteArray>>>(*m_remote, [](LogQueries &, BaselineStore &store) { return store.evaluations(10); });
    QVERIFY(evaluations && !evaluations->ok());

    auto remove = [](LogQueries &, BaselineStore &store) { return store.remove(u"remote set"_s); };
    const auto removed = edit<Result<bool>>(*m_remote, remove);
    QVERIFY(removed && removed->ok());
    QVERIFY(removed->value());
    const auto removedAgain = edit<Result<bool>>(*m_remote, remove);
    QVERIFY(removedAgain && removedAgain->ok());
    QVERIFY(!removedAgain->value());
    const auto emptied = edit<Result<QList<BaselineInfo>>>(*m_local, list);
    QVERIFY(emptied && emptied->ok());
    QVERIFY(emptied->value().isEmpty());
}

void TestRemoteLog::answersComeInTheOrderAsked()
{
    // A remote call waits in an event loop of the reader thread, which would hand it the jobs
    // posted meanwhile: they must wait their turn, not answer first.
    QObject context;
    QList<int> order;
    for (int i = 0; i < 6; ++i) {
        RequestFilter filter;
        filter.limit = i % 2 ? 1000 : 1;
        m_remote->query<int>(&context, [filter](LogQueries &q) { return int(q.requests(filter).value().size()); },
                             [&order, i](const int &) { order << i; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 6, 30000);
    QCOMPARE(order, (QList<int>{0, 1, 2, 3, 4, 5}));
}

void TestRemoteLog::gatewayDownIsAnError()
{
    const std::unique_ptr<LogReader> reader = remoteReader(u"http://127.0.0.1:%1"_s.arg(FakeProvider::unusedPort()));
    QElapsedTimer timer;
    timer.start();
    const auto answer = ask<Result<QList<CallRecord>>>(*reader, [](LogQueries &q) { return q.requests(RequestFilter()); });
    QVERIFY(answer);
    QVERIFY(!answer->ok());
    QVERIFY2(answer->error().message.contains(u"nothing is listening at http://127.0.0.1:"_s), why(*answer).constData());
    QVERIFY(timer.elapsed() < AdminClient::TimeoutMs);
    const auto sessions = ask<Result<QList<SessionSummary>>>(*reader, [](LogQueries &q) { return SessionQueries::list(q, SessionFilter()); });
    QVERIFY(sessions && !sessions->ok());
}

void TestRemoteLog::tokenProtectedGateway()
{
    QTemporaryDir dir;
    FakeProvider fake;
    Config config = TestConfigs::oneUpstream(fake.port());
    config.listen.token = u"s3cret-gateway-token"_s;
    EngineThread engine(config, dir.filePath(u"requests.db"_s));
    const RawHttpClient::Response call = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", chatBody("general", "Hi"),
                                                              {{"Authorization", "Bearer s3cret-gateway-token"}});
    QCOMPARE(call.status, 200);
    QVERIFY(engine.waitForWritten(1));

    const std::unique_ptr<LogReader> withToken = remoteReader(engine.url(), u"s3cret-gateway-token"_s);
    const auto listed = ask<Result<QList<CallRecord>>>(*withToken, [](LogQueries &q) { return q.requests(RequestFilter()); });
    QVERIFY(listed);
    QVERIFY2(listed->ok(), why(*listed).constData());
    QCOMPARE(listed->value().size(), 1);
    QCOMPARE(listed->value().constFirst().id, QString::fromLatin1(call.headers.value("x-switchyard-request-id")));

    const std::unique_ptr<LogReader> without = remoteReader(engine.url());
    const auto refused = ask<Result<qint64>>(*without, [](LogQueries &q) { return q.count(RequestFilter()); });
    QVERIFY(refused);
    QVERIFY(!refused->ok());
    QVERIFY2(refused->error().message.contains(u"access token"_s), why(*refused).constData());
}

void TestRemoteLog::silentGatewayEndsWithinTheTimeout()
{
    // Something that accepts the connection and never answers: the call ends at AdminClient's
    // timeout with an error; a reader closed meanwhile waits for that call only, drops the
    // jobs behind it and never ends the event loop the call waits in.
    FakeProvider silent;
    silent.enqueue(Behaviour::neverAnswer());
    auto reader = remoteReader(QString::fromLatin1(silent.baseUrl()));
    QObject context;
    std::optional<Result<qint64>> first, second;
    reader->query<Result<qint64>>(&context, [](LogQueries &q) { return q.count(RequestFilter()); },
                                  [&first](const Result<qint64> &r) { first = r; });
    reader->query<Result<qint64>>(&context, [](LogQueries &q) { return q.count(RequestFilter()); },
                                  [&second](const Result<qint64> &r) { second = r; });
    QTest::qWait(300);
    QElapsedTimer timer;
    timer.start();
    reader.reset();
    QVERIFY2(timer.elapsed() < AdminClient::TimeoutMs + 3000, qPrintable(QString::number(timer.elapsed())));
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 5000);
    QVERIFY(!first->ok());
    QVERIFY2(first->error().message.contains(u"did not answer within"_s), why(*first).constData());
    QTest::qWait(100);
    QVERIFY(!second); // dropped with the reader
}

QTEST_GUILESS_MAIN(TestRemoteLog)
#include "tst_RemoteLog.moc"
