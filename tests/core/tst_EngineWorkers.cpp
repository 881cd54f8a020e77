// SPDX-License-Identifier: GPL-3.0-or-later
// Several proxy workers behind one port: real loopback sockets, the real engine, fake upstreams.
// Which worker served a call is read from the engine's own switchyard_worker_calls_total.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QElapsedTimer>
#include <QTest>
#include <algorithm>
#include <memory>
#include <numeric>

using namespace Switchyard;
using namespace Switchyard::Test;
using Behaviour = FakeProvider::Behaviour;

namespace {

QByteArray chatRequest(const QString &model, bool stream = false)
{
    const QByteArray body = R"({"model":")" + model.toUtf8() + R"(","messages":[{"role":"user","content":"Hi"}])"
                            + (stream ? QByteArray(R"(,"stream":true)") : QByteArray()) + '}';
    return RawHttpClient::request("POST", "/v1/chat/completions", body, {{"Content-Type", "application/json"}});
}

// The value of each `switchyard_worker_calls_total{worker="i"}` sample, by i.
QList<double> callsByWorker(quint16 port)
{
    const RawHttpClient::Response r = RawHttpClient::fetch(port, "GET", "/metrics");
    QList<double> counts;
    for (const QByteArray &line : r.body.split('\n')) {
        if (!line.startsWith("switchyard_worker_calls_total{"))
            continue;
        counts << line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return counts;
}

double sampleSum(const QByteArray &metrics, const QByteArray &name)
{
    double sum = 0;
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(QByteArray(name + '{')) || line.startsWith(QByteArray(name + ' ')))
            sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return sum;
}

// Opens `count` keep-alive connections; the acceptor gives each to the least busy worker, so
// `workers` connections land on `workers` different workers.
std::vector<std::unique_ptr<RawHttpClient>> openConnections(quint16 port, int count)
{
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < count; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>(port));
        // The connection is handed over before the next one is accepted: a request proves it.
        clients.back()->send(RawHttpClient::request("GET", "/health"));
        if (clients.back()->readResponse().status != 200)
            qWarning("connection %d: /health failed", i);
    }
    return clients;
}

} // namespace

class TestEngineWorkers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void concurrentClientsSpreadOverWorkers();
    void cooldownOnOneWorkerIsSeenByAnother();
    void configReloadReachesEveryWorker();
    void metricsCountEveryWorker();
    void adminAnswersAreTheSameOnEveryWorker();
    void shutdownWithConnectionsOnEveryWorker();
};

void TestEngineWorkers::concurrentClientsSpreadOverWorkers()
{
    FakeProvider up;
    for (int i = 0; i < 16; ++i)
        up.enqueue(Behaviour::slowFirstByte(300)); // every call is still open when the last is sent
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 4);
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 16; ++i)
        clients.push_back(std::make_unique<RawHttpClient>(engine.port()));
    for (auto &c : clients)
        c->send(chatRequest(QStringLiteral("general")));
    for (auto &c : clients)
        QCOMPARE(c->readResponse(10000).status, 200);
    QVERIFY2(up.maxInFlight() > 1, qPrintable(QString::number(up.maxInFlight())));

    const QList<double> counts = callsByWorker(engine.port());
    QCOMPARE(counts.size(), 4);
    QCOMPARE(std::accumulate(counts.cbegin(), counts.cend(), 0.0), 16.0);
    const auto busy = std::count_if(counts.cbegin(), counts.cend(), [](double n) { return n > 0; });
    QVERIFY2(busy > 1, "every call was served by one worker");
}

void TestEngineWorkers::cooldownOnOneWorkerIsSeenByAnother()
{
    FakeProvider a;
    FakeProvider b;
    Config config = TestConfigs::base();
    config.retry.maxAttempts = 1;
    config.cooldown = CooldownPolicy{1, 60};
    config.providers = {TestConfigs::provider(QStringLiteral("a"), a.port()), TestConfigs::provider(QStringLiteral("b"), b.port())};
    config.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                         {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-a")),
                                          TestConfigs::target(QStringLiteral("b"), QStringLiteral("model-b"))})};
    a.enqueue(Behaviour::httpError(500));
    EngineThread engine(config, QString(), QString(), 2);
    auto clients = openConnections(engine.port(), 2); // one on each worker

    clients.at(0)->send(chatRequest(QStringLiteral("general")));
    const RawHttpClient::Response first = clients.at(0)->readResponse();
    QCOMPARE(first.status, 200);
    QCOMPARE(first.headers.value("x-switchyard-provider"), QByteArray("b")); // a failed and cools down
    QCOMPARE(a.requestCount(), 1);

    clients.at(1)->send(chatRequest(QStringLiteral("general")));
    const RawHttpClient::Response second = clients.at(1)->readResponse();
    QCOMPARE(second.status, 200);
    QCOMPARE(second.headers.value("x-switchyard-provider"), QByteArray("b"));
    QCOMPARE(a.requestCount(), 1); // the other worker skipped a too
    QCOMPARE(callsByWorker(engine.port()), (QList<double>{1, 1}));
}

void TestEngineWorkers::configReloadReachesEveryWorker()
{
    FakeProvider up;
    Config config = TestConfigs::oneUpstream(up.port());
    EngineThread engine(config, QString(), QString(), 3);
    auto clients = openConnections(engine.port(), 3);
    config.aliases << TestConfigs::alias(QStringLiteral("fresh"), Strategy::Fallback,
                                         {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-fresh"))});
    engine.applyConfig(config); // returns once applied
    for (auto &c : clients) {
        c->send(chatRequest(QStringLiteral("fresh")));
        const RawHttpClient::Response r = c->readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("model-fresh"));
    }
    QCOMPARE(callsByWorker(engine.port()), (QList<double>{1, 1, 1}));
}

void TestEngineWorkers::metricsCountEveryWorker()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 3);
    auto clients = openConnections(engine.port(), 3);
    for (int round = 0; round < 3; ++round) {
        for (auto &c : clients) {
            c->send(chatRequest(QStringLiteral("general")));
            QCOMPARE(c->readResponse().status, 200);
        }
    }
    QVERIFY(engine.waitForRecords(9)); // the records reach the coordinator, which counts them
    const RawHttpClient::Response metrics = RawHttpClient::fetch(engine.port(), "GET", "/metrics");
    QCOMPARE(metrics.status, 200);
    QCOMPARE(sampleSum(metrics.body, "switchyard_requests_total"), 9.0);
    QCOMPARE(sampleSum(metrics.body, "switchyard_upstream_attempts_total"), 9.0);
    QCOMPARE(sampleSum(metrics.body, "switchyard_requests_in_flight"), 0.0);
    QCOMPARE(callsByWorker(engine.port()), (QList<double>{3, 3, 3}));
}

void TestEngineWorkers::adminAnswersAreTheSameOnEveryWorker()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 3);
    auto clients = openConnections(engine.port(), 3);
    QByteArray firstConfig;
    for (auto &c : clients) {
        c->send(RawHttpClient::request("GET", "/api/config"));
        const RawHttpClient::Response config = c->readResponse();
        QCOMPARE(config.status, 200);
        if (firstConfig.isEmpty())
            firstConfig = config.body;
        QCOMPARE(config.body, firstConfig);
        c->send(RawHttpClient::request("GET", "/v1/models"));
        QCOMPARE(c->readResponse().status, 200);
        c->send(RawHttpClient::request("HEAD", "/metrics"));
        const RawHttpClient::Response head = c->readResponse(5000, true);
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QVERIFY(c->isConnected()); // forwarded answers keep the connection alive
    }
}

void TestEngineWorkers::shutdownWithConnectionsOnEveryWorker()
{
    FakeProvider up;
    for (int i = 0; i < 6; ++i)
        up.enqueue(Behaviour::neverAnswer());
    auto engine = std::make_unique<EngineThread>(TestConfigs::oneUpstream(up.port()), QString(), QString(), 3);
    auto clients = openConnections(engine->port(), 6); // two on each worker
    for (auto &c : clients)
        c->send(chatRequest(QStringLiteral("general"), true));
    QVERIFY(up.waitForRequests(6, 10000));

    QElapsedTimer clock;
    clock.start();
    engine.reset();
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed()))); // a generous bound
    for (auto &c : clients)
        QVERIFY(c->waitForClosed(5000));
    QVERIFY(up.waitForClientDisconnects(6, 10000)); // every upstream call was cancelled
}

QTEST_GUILESS_MAIN(TestEngineWorkers)
#include "tst_EngineWorkers.moc"
