// SPDX-License-Identifier: GPL-3.0-or-later
// Baselines and evaluations through the admin API, against two fake upstreams whose models
// differ in answers, latency and usage: the deltas are exactly what the fakes imply; a cancel
// leaves a consistent partial result; an evaluation never moves the live route's cooldowns,
// stats or metrics. The real engine on its thread with a real SQLite log.
#include "core/log/BaselineStore.h"
#include "core/log/LogQueries.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TwoUpstreams.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

// Per call: A costs (10 × 1 + 5 × 2) / 1e6, B costs (10 × 3 + 20 × 4) / 1e6.
constexpr double CostA = 20e-6;
constexpr double CostB = 110e-6;
constexpr int SlowFirstByteMs = 200;

RawHttpClient::Response call(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!body.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    return RawHttpClient::fetch(port, method, path, body, headers);
}

QJsonObject jsonOf(const RawHttpClient::Response &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray chat(const QString &model, const QString &text, bool stream = false)
{
    QJsonObject body{{u"model"_s, model},
                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, text}}}}};
    if (stream) {
        body.insert(u"stream"_s, true);
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    return compact(body);
}

QJsonObject aliasOn(const QString &provider, const QString &model)
{
    return {{u"targets"_s, QJsonArray{QJsonObject{{u"provider"_s, provider}, {u"model"_s, model}}}}};
}

// "general" on fast/model-a; "other" on slow/model-b, the candidate's target.
struct Gateway : TwoUpstreams
{
    explicit Gateway(int cooldownFailures = 100)
        : TwoUpstreams({TwoUpstreams::reply(u"Answer from A"_s, 5), 1.0, 2.0}, {TwoUpstreams::reply(u"Answer from B"_s, 20), 3.0, 4.0},
                       [cooldownFailures](Config &c) {
                           c.aliases << TestConfigs::alias(u"other"_s, Strategy::Fallback, {TestConfigs::target(u"slow"_s, u"model-b"_s)});
                           c.cooldown.failures = cooldownFailures;
                           c.cooldown.seconds = 600;
                       })
    {
    }

    // `count` calls to "general" (the last one streamed), committed to the log.
    bool record(int count)
    {
        for (int i = 0; i < count; ++i) {
            if (call(port(), "POST", "/v1/chat/completions", chat(u"general"_s, u"question %1"_s.arg(i), i == count - 1)).status != 200)
                return false;
        }
        return engine->waitForWritten(count);
    }

    RawHttpClient::Response makeBaseline(const QString &name, int limit)
    {
        return call(port(), "POST", "/api/baselines",
                    compact({{u"name"_s, name}, {u"filter"_s, QJsonObject{{u"alias"_s, u"general"_s}, {u"limit"_s, limit}}}}));
    }

    QString start(const QString &baseline, const QJsonObject &alias, int concurrency = 4)
    {
        const auto started = call(port(), "POST", "/api/evaluations",
                                  compact({{u"baseline"_s, baseline}, {u"alias"_s, alias}, {u"concurrency"_s, concurrency}}));
        if (started.status != 202)
            qWarning() << "start:" << started.status << started.body;
        return jsonOf(started).value("id"_L1).toString();
    }

    QJsonObject report(const QString &id) { return jsonOf(call(port(), "GET", "/api/evaluations/" + id.toUtf8())); }

    // Polls until the evaluation is no longer running.
    QJsonObject waitUntilEnded(const QString &id, int timeoutMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        QJsonObject r = report(id);
        while (r.value("state"_L1).toString() == "running"_L1 && timer.elapsed() < timeoutMs) {
            QTest::qWait(50);
            r = report(id);
        }
        return r;
    }
};

} // namespace

class TestEvaluations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void baselinesAreKeptListedAndDeleted();
    void baselineRequestsAreRefusedClearly_data();
    void baselineRequestsAreRefusedClearly();
    void deltasAreWhatTheUpstreamsImply();
    void evaluationStaysOutOfLiveFigures();
    void failingCandidateLeavesLiveCooldownsAlone();
    void cancelLeavesAConsistentPartialResult();
    void proposalsAreCheckedBeforeAnyCall_data();
    void proposalsAreCheckedBeforeAnyCall();
};

void TestEvaluations::baselinesAreKeptListedAndDeleted()
{
    Gateway g;
    QVERIFY(g.record(3));
    const auto created = g.makeBaseline(u"agent turns"_s, 10);
    QCOMPARE(created.status, 201);
    QCOMPARE(jsonOf(created).value("requests"_L1).toInt(), 3);
    QCOMPARE(jsonOf(created).value("added"_L1).toInt(), 3);
    QCOMPARE(jsonOf(created).value("prompt_tokens"_L1).toInt(), 30);
    QVERIFY(jsonOf(created).value("origin"_L1).toString().contains(u"alias general"_s));

    const QJsonArray list = jsonOf(call(g.port(), "GET", "/api/baselines")).value("baselines"_L1).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0)["name"_L1].toString(), u"agent turns"_s);

    const QJsonObject shown = jsonOf(call(g.port(), "GET", "/api/baselines/agent%20turns"));
    const QJsonArray requests = shown.value("requests"_L1).toArray();
    QCOMPARE(requests.size(), 3);
    QVERIFY(requests.at(0)["started_at"_L1].toString() <= requests.at(2)["started_at"_L1].toString()); // oldest first

    // The same name again: refused unless appending; appending skips what is already in it.
    QCOMPARE(g.makeBaseline(u"agent turns"_s, 10).status, 409);
    const QString firstId = requests.at(0)["id"_L1].toString();
    const auto appended = call(g.port(), "POST", "/api/baselines",
                               compact({{u"name"_s, u"agent turns"_s}, {u"append"_s, true}, {u"request_ids"_s, QJsonArray{firstId}}}));
    QCOMPARE(appended.status, 200);
    QCOMPARE(jsonOf(appended).value("added"_L1).toInt(), 0);
    QCOMPARE(jsonOf(appended).value("requests"_L1).toInt(), 3);

    // The copy in the baseline survives the request rows themselves.
    {
        BaselineStore store(g.dbPath(), u"probe"_s);
        const Result<QList<CallRecord>> kept = store.requests(u"agent turns"_s);
        QVERIFY(kept);
        QCOMPARE(kept.value().size(), 3);
        QVERIFY(kept.value().at(0).requestBody.contains("question 0"));
        QVERIFY(kept.value().at(0).responseBody.contains("Answer from A"));
    }

    QCOMPARE(call(g.port(), "DELETE", "/api/baselines/agent%20turns").status, 200);
    QCOMPARE(call(g.port(), "DELETE", "/api/baselines/agent%20turns").status, 404);
    QCOMPARE(call(g.port(), "GET", "/api/baselines/agent%20turns").status, 404);
}

void TestEvaluations::baselineRequestsAreRefusedClearly_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("{nope") << 400 << u"JSON object"_s;
    QTest::newRow("bad name") << QByteArray(R"({"name":"a/b","request_ids":["x"]})") << 400 << u"name:"_s;
    QTest::newRow("both ids and filter") << QByteArray(R"({"name":"a","request_ids":["x"],"filter":{"alias":"general"}})") << 400
                                         << u"either request_ids or filter"_s;
    QTest::newRow("unknown id") << QByteArray(R"({"name":"a","request_ids":["req_missing"]})") << 400 << u"req_missing: not in the log"_s;
    QTest::newRow("empty filter") << QByteArray(R"({"name":"a","filter":{}})") << 400 << u"name an alias"_s;
    QTest::newRow("limit too big") << QByteArray(R"({"name":"a","filter":{"alias":"general","limit":5000}})") << 400 << u"filter.limit"_s;
    QTest::newRow("bad time") << QByteArray(R"({"name":"a","filter":{"since":"yesterday"}})") << 400 << u"filter.since"_s;
    QTest::newRow("nothing matches") << QByteArray(R"({"name":"a","filter":{"alias":"nobody"}})") << 422 << u"no request matched"_s;
}

void TestEvaluations::baselineRequestsAreRefusedClearly()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    Gateway g;
    const auto refused = call(g.port(), "POST", "/api/baselines", body);
    QCOMPARE(refused.status, status);
    const QString said = jsonOf(refused).value("error"_L1).toObject().value("message"_L1).toString();
    QVERIFY2(said.contains(message), qPrintable(said));
    QCOMPARE(jsonOf(call(g.port(), "GET", "/api/baselines")).value("baselines"_L1).toArray().size(), 0);
}

void TestEvaluations::deltasAreWhatTheUpstreamsImply()
{
    Gateway g;
    QVERIFY(g.record(4));
    QCOMPARE(g.makeBaseline(u"b"_s, 10).status, 201);

    const auto estimate = call(g.port(), "POST", "/api/evaluations/estimate",
                               compact({{u"baseline"_s, u"b"_s}, {u"alias"_s, aliasOn(u"slow"_s, u"model-b"_s)}}));
    QCOMPARE(estimate.status, 200);
    const QJsonObject e = jsonOf(estimate).value("estimate"_L1).toObject();
    // The recorded usage (10 in, 5 out per call) at B's prices.
    QVERIFY2(qFuzzyCompare(e.value("usd"_L1).toDouble(), 4 * (10 * 3.0 + 5 * 4.0) / 1e6), estimate.body.constData());
    QCOMPARE(e.value("requests"_L1).toInt(), 4);
    QCOMPARE(g.slow.requestCount(), 0); // an estimate calls nobody

    for (int i = 0; i < 4; ++i)
        g.slow.enqueue(FakeProvider::Behaviour::slowFirstByte(SlowFirstByteMs));
    const QString id = g.start(u"b"_s, aliasOn(u"slow"_s, u"model-b"_s));
    QVERIFY(id.startsWith(u"eval_"_s));
    const QJsonObject r = g.waitUntilEnded(id);
    QCOMPARE(r.value("state"_L1).toString(), u"done"_s);
    QCOMPARE(r.value("done"_L1).toInt(), 4);
    QCOMPARE(r.value("total"_L1).toInt(), 4);
    QCOMPARE(g.slow.requestCount(), 4);
    QCOMPARE(g.fast.requestCount(), 4); // only the recorded calls

    const QJsonObject s = r.value("summary"_L1).toObject();
    QCOMPARE(s.value("requests"_L1).toInt(), 4);
    QVERIFY(qFuzzyCompare(s["original"_L1]["cost_usd"_L1].toDouble(), 4 * CostA));
    QVERIFY(qFuzzyCompare(s["candidate"_L1]["cost_usd"_L1].toDouble(), 4 * CostB));
    QVERIFY(qFuzzyCompare(s.value("cost_delta_usd"_L1).toDouble(), 4 * (CostB - CostA)));
    QCOMPARE(s["original"_L1]["completion_tokens"_L1].toInt(), 20);
    QCOMPARE(s["candidate"_L1]["completion_tokens"_L1].toInt(), 80);
    QCOMPARE(s.value("answers_changed"_L1).toInt(), 4);
    QCOMPARE(s.value("failures"_L1).toInt(), 0);
    QVERIFY2(s.value("latency_p50_delta_ms"_L1).toDouble() >= SlowFirstByteMs * 0.75, compact(s).constData());

    const QJsonArray results = r.value("results"_L1).toArray();
    QCOMPARE(results.size(), 4);
    for (const QJsonValue &v : results) {
        const QJsonObject row = v.toObject();
        QCOMPARE(row["original"_L1]["answer"_L1]["text"_L1].toString(), u"Answer from A"_s);
        QCOMPARE(row["candidate"_L1]["answer"_L1]["text"_L1].toString(), u"Answer from B"_s);
        QCOMPARE(row["candidate"_L1]["provider"_L1].toString(), u"slow"_s);
        QCOMPARE(row.value("answer_changed"_L1).toBool(), true);
        QVERIFY(qFuzzyCompare(row.value("cost_delta_usd"_L1).toDouble(), CostB - CostA));
    }
    // The streamed one was replayed as a stream: it has a first-token time.
    int streamed = 0;
    for (const QJsonValue &v : results) {
        if (v["stream"_L1].toBool()) {
            ++streamed;
            QVERIFY(v["candidate"_L1]["ttft_ms"_L1].isDouble());
        }
    }
    QCOMPARE(streamed, 1);
    // The model asked upstream is the candidate's, with the recorded request otherwise as sent.
    const QJsonObject sent = QJsonDocument::fromJson(g.slow.requests().at(0).body).object();
    QCOMPARE(sent.value("model"_L1).toString(), u"model-b"_s);
    QVERIFY(sent.value("messages"_L1).toArray().at(0)["content"_L1].toString().startsWith(u"question"_s));

    // Listed, and kept in the log once finished.
    const QJsonArray listed = jsonOf(call(g.port(), "GET", "/api/evaluations")).value("evaluations"_L1).toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.at(0)["id"_L1].toString(), id);
    QVERIFY(!listed.at(0).toObject().contains("results"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(!BaselineStore(g.dbPath(), u"probe"_s).evaluation(id).value().isEmpty(), 10000);
}

void TestEvaluations::evaluationStaysOutOfLiveFigures()
{
    Gateway g;
    QVERIFY(g.record(3));
    QCOMPARE(g.makeBaseline(u"b"_s, 10).status, 201);
    const QString id = g.start(u"b"_s, aliasOn(u"slow"_s, u"model-b"_s));
    QCOMPARE(g.waitUntilEnded(id).value("state"_L1).toString(), u"done"_s);
    QVERIFY(g.engine->waitForWritten(6));

    // Logged, marked with the evaluation, and a replay of the recorded call.
    const QJsonArray marked = jsonOf(call(g.port(), "GET", "/api/requests?evaluation=" + id.toUtf8())).value("requests"_L1).toArray();
    QCOMPARE(marked.size(), 3);
    for (const QJsonValue &v : marked) {
        QCOMPARE(v["evaluation"_L1].toString(), id);
        QCOMPARE(v["alias"_L1].toString(), u"candidate"_s);
        QVERIFY(!v["replay_of"_L1].toString().isEmpty());
    }
    QCOMPARE(jsonOf(call(g.port(), "GET", "/api/requests?evaluation=exclude")).value("requests"_L1).toArray().size(), 3);
    QCOMPARE(jsonOf(call(g.port(), "GET", "/api/requests")).value("requests"_L1).toArray().size(), 6);

    // Stats and metrics count the live calls only, unless asked.
    const QJsonObject live = jsonOf(call(g.port(), "GET", "/api/stats")).value("totals"_L1).toObject();
    QCOMPARE(live.value("requests"_L1).toInt(), 3);
    QVERIFY(qFuzzyCompare(live.value("cost_usd"_L1).toDouble(), 3 * CostA));
    const QJsonObject all = jsonOf(call(g.port(), "GET", "/api/stats?evaluations=include")).value("totals"_L1).toObject();
    QCOMPARE(all.value("requests"_L1).toInt(), 6);
    QVERIFY(qFuzzyCompare(all.value("cost_usd"_L1).toDouble(), 3 * CostA + 3 * CostB));
    QCOMPARE(call(g.port(), "GET", "/api/stats?evaluations=maybe").status, 400);
    const QByteArray metrics = call(g.port(), "GET", "/metrics").body;
    QVERIFY(metrics.contains("alias=\"general\""));
    QVERIFY(!metrics.contains("alias=\"candidate\""));

    // No session holds an evaluation's calls.
    LogQueries queries(g.dbPath(), u"probe-queries"_s);
    RequestFilter onlyEvaluation;
    onlyEvaluation.evaluationId = id;
    const Result<QList<CallRecord>> rows = queries.requests(onlyEvaluation);
    QVERIFY(rows);
    for (const CallRecord &r : rows.value())
        QVERIFY(r.sessionId.isEmpty());
}

void TestEvaluations::failingCandidateLeavesLiveCooldownsAlone()
{
    Gateway g(1); // one failure cools a target down
    QVERIFY(g.record(3));
    QCOMPARE(g.makeBaseline(u"b"_s, 10).status, 201);
    for (int i = 0; i < 6; ++i) // 3 calls of 2 attempts each
        g.slow.enqueue(FakeProvider::Behaviour::httpError(500, u"upstream broke"_s));
    const QString id = g.start(u"b"_s, aliasOn(u"slow"_s, u"model-b"_s), 1);
    const QJsonObject r = g.waitUntilEnded(id);
    QCOMPARE(r.value("state"_L1).toString(), u"done"_s);
    const QJsonObject s = r.value("summary"_L1).toObject();
    QCOMPARE(s.value("failures"_L1).toInt(), 3);
    QCOMPARE(s["candidate"_L1]["failures"_L1].toInt(), 3);
    QCOMPARE(s["original"_L1]["failures"_L1].toInt(), 0);
    const QJsonObject failed = r.value("results"_L1).toArray().at(0)["candidate"_L1].toObject();
    QCOMPARE(failed.value("outcome"_L1).toString(), u"error"_s);
    QVERIFY(!failed.value("error_class"_L1).toString().isEmpty());

    // The live alias on the same target is not cooling down, and the live route answers.
    const QJsonObject plan = jsonOf(call(g.port(), "GET", "/api/route?model=other"));
    QCOMPARE(plan["candidates"_L1][0]["state"_L1].toString(), u"healthy"_s);
    QCOMPARE(plan["candidates"_L1][0]["skip"_L1].toBool(), false);
    // The evaluation cooled the target down in its own routing state only: the live call is
    // sent to it (whatever the fake still has queued to answer).
    const int before = g.slow.requestCount();
    call(g.port(), "POST", "/v1/chat/completions", chat(u"other"_s, u"live"_s));
    QVERIFY(g.slow.requestCount() > before);
}

void TestEvaluations::cancelLeavesAConsistentPartialResult()
{
    Gateway g;
    QVERIFY(g.record(6));
    QCOMPARE(g.makeBaseline(u"b"_s, 10).status, 201);
    for (int i = 0; i < 6; ++i)
        g.slow.enqueue(FakeProvider::Behaviour::slowFirstByte(400));
    const QString id = g.start(u"b"_s, aliasOn(u"slow"_s, u"model-b"_s), 1);
    QTRY_VERIFY_WITH_TIMEOUT(g.report(id).value("done"_L1).toInt() >= 1, 15000);
    const auto cancelled = call(g.port(), "DELETE", "/api/evaluations/" + id.toUtf8());
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(jsonOf(cancelled).value("state"_L1).toString(), u"cancelled"_s);
    QCOMPARE(call(g.port(), "DELETE", "/api/evaluations/" + id.toUtf8()).status, 409);

    const QJsonObject r = g.report(id);
    const int done = r.value("done"_L1).toInt();
    QVERIFY(done >= 1 && done < 6);
    int withCandidate = 0;
    for (const QJsonValue &v : r.value("results"_L1).toArray())
        withCandidate += v["candidate"_L1].isObject() ? 1 : 0;
    QCOMPARE(withCandidate, done);
    QCOMPARE(r["summary"_L1]["requests"_L1].toInt(), done);
    QVERIFY(qFuzzyCompare(r["summary"_L1]["original"_L1]["cost_usd"_L1].toDouble(), done * CostA));
    // Nothing more is sent or counted after the cancel.
    QTest::qWait(1000);
    QCOMPARE(g.report(id).value("done"_L1).toInt(), done);
    QVERIFY(g.slow.requestCount() <= done + 1);
}

void TestEvaluations::proposalsAreCheckedBeforeAnyCall_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("no baseline named") << QByteArray(R"({"baseline":"nope","alias":{"targets":[{"provider":"slow","model":"model-b"}]}})")
                                      << 404 << u"no baseline named \"nope\""_s;
    QTest::newRow("unknown provider") << QByteArray(R"({"baseline":"b","alias":{"targets":[{"provider":"opnai","model":"x"}]}})") << 400
                                      << u"alias.targets[0].provider"_s;
    QTest::newRow("no alias") << QByteArray(R"({"baseline":"b"})") << 400 << u"alias:"_s;
    QTest::newRow("no baseline") << QByteArray(R"({"alias":{"targets":[]}})") << 400 << u"baseline:"_s;
    QTest::newRow("concurrency") << QByteArray(R"({"baseline":"b","concurrency":99,"alias":{"targets":[{"provider":"slow","model":"model-b"}]}})")
                                 << 400 << u"concurrency"_s;
}

void TestEvaluations::proposalsAreCheckedBeforeAnyCall()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    Gateway g;
    QVERIFY(g.record(1));
    QCOMPARE(g.makeBaseline(u"b"_s, 10).status, 201);
    for (const QByteArray &path : {QByteArray("/api/evaluations"), QByteArray("/api/evaluations/estimate")}) {
        const auto refused = call(g.port(), "POST", path, body);
        QCOMPARE(refused.status, status);
        const QString said = jsonOf(refused).value("error"_L1).toObject().value("message"_L1).toString();
        QVERIFY2(said.contains(message), qPrintable(said));
    }
    QCOMPARE(g.slow.requestCount(), 0);
    QCOMPARE(call(g.port(), "GET", "/api/evaluations/eval_missing").status, 404);
    QCOMPARE(call(g.port(), "DELETE", "/api/evaluations/eval_missing").status, 404);
}

QTEST_GUILESS_MAIN(TestEvaluations)
#include "tst_Evaluations.moc"
