// SPDX-License-Identifier: GPL-3.0-or-later
// The routing core end to end: a real client, the real engine on its thread, fake upstreams.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using Behaviour = FakeProvider::Behaviour;
Q_DECLARE_METATYPE(Switchyard::Test::FakeProvider::Behaviour)


namespace {

QByteArray chatBody(const QString &model, const QByteArray &extra = QByteArray())
{
    return R"({"model":")" + model.toUtf8() + R"(","messages":[{"role":"user","content":"Hi"}])" + extra + "}";
}

RawHttpClient::Response chat(quint16 port, const QString &model, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    return RawHttpClient::fetch(port, "POST", "/v1/chat/completions", chatBody(model), headers);
}

QJsonObject bodyOf(const HttpRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

// Two fake upstreams, "a" and "b", behind alias "general" (fallback a → b).
struct TwoUpstreams
{
    FakeProvider a;
    FakeProvider b;
    Config config()
    {
        Config c = TestConfigs::base();
        c.providers = {TestConfigs::provider(QStringLiteral("a"), a.port(), QStringLiteral("sk-upstream-a-secret")),
                       TestConfigs::provider(QStringLiteral("b"), b.port())};
        c.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                        {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-a")),
                                         TestConfigs::target(QStringLiteral("b"), QStringLiteral("model-b"))})};
        return c;
    }
};

} // namespace

class TestProxyRouting : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainChatThroughAlias();
    void embeddingsThroughAlias();
    void directProviderModel();
    void modelsListsAliasesFirst();
    void unknownModelListsAliases();
    void badRequestBodies_data();
    void badRequestBodies();
    void fallbackAfterRetries_data();
    void fallbackAfterRetries();
    void clientErrorIsNotRetried();
    void retryAfterIsHonoured();
    void longRetryAfterMovesToNextTarget();
    void allTargetsFail_data();
    void allTargetsFail();
    void cooldownSkipsFailingTarget();
    void weightedSpreadsByWeight();
    void leastLatencyPrefersFastTarget();
    void liveConfigReloadKeepsRequestsInFlight();
    void clientDisconnectCancelsUpstream();
    void routeExplainsRanking();
};

void TestProxyRouting::plainChatThroughAlias()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = chat(engine.port(), QStringLiteral("general"),
                               {{"Authorization", "Bearer client-own-key"}, {"User-Agent", "test-sdk/1.0"}});
    QCOMPARE(response.status, 200);
    const QJsonObject body = response.json();
    QCOMPARE(body.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    QVERIFY(!body.value(QLatin1String("choices")).toArray().isEmpty());
    QCOMPARE(response.headers.value("x-switchyard-provider"), QByteArray("a"));
    QCOMPARE(response.headers.value("x-switchyard-model"), QByteArray("model-a"));
    QCOMPARE(response.headers.value("x-switchyard-attempts"), QByteArray("1"));
    QVERIFY(response.headers.value("x-switchyard-request-id").startsWith("req_"));

    QCOMPARE(up.a.requestCount(), 1);
    const HttpRequest sent = up.a.requests().constFirst();
    QCOMPARE(sent.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(bodyOf(sent).value(QLatin1String("model")).toString(), QStringLiteral("model-a"));
    // The client's credential stays here; the provider's key goes upstream.
    QCOMPARE(sent.headers.value("authorization"), QByteArray("Bearer sk-upstream-a-secret"));
    QVERIFY(!sent.body.contains("client-own-key"));
    QCOMPARE(up.b.requestCount(), 0);

    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QVERIFY(r.ok);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.alias, QStringLiteral("general"));
    QCOMPARE(r.provider, QStringLiteral("a"));
    QCOMPARE(r.model, QStringLiteral("model-a"));
    QCOMPARE(r.attempts.size(), 1);
    QCOMPARE(r.usage.promptTokens.value_or(-1), 12);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 7);
    QCOMPARE(r.client, QStringLiteral("test-sdk/1.0"));
    QCOMPARE(r.requestHeaders.value("authorization"), QByteArray("Bearer ***"));
    QCOMPARE(r.id.toLatin1(), response.headers.value("x-switchyard-request-id"));
}

void TestProxyRouting::embeddingsThroughAlias()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = RawHttpClient::fetch(engine.port(), "POST", "/v1/embeddings",
                                               R"({"model":"general","input":"hello"})");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("object")).toString(), QStringLiteral("list"));
    QCOMPARE(up.a.requests().constFirst().path, QByteArray("/v1/embeddings"));
    QVERIFY(engine.waitForRecords(1));
    QCOMPARE(engine.records().constFirst().endpoint, QStringLiteral("/v1/embeddings"));
    QVERIFY(engine.records().constFirst().usage.promptTokens.has_value());
}

void TestProxyRouting::directProviderModel()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = chat(engine.port(), QStringLiteral("b/vendor/some-model"));
    QCOMPARE(response.status, 200);
    QCOMPARE(up.a.requestCount(), 0);
    QCOMPARE(bodyOf(up.b.requests().constFirst()).value(QLatin1String("model")).toString(), QStringLiteral("vendor/some-model"));
    QVERIFY(engine.waitForRecords(1));
    QVERIFY(engine.records().constFirst().alias.isEmpty());
}

void TestProxyRouting::modelsListsAliasesFirst()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = RawHttpClient::fetch(engine.port(), "GET", "/v1/models");
    QCOMPARE(response.status, 200);
    const QJsonArray data = response.json().value(QLatin1String("data")).toArray();
    QStringList ids;
    for (const QJsonValue &v : data)
        ids << v.toObject().value(QLatin1String("id")).toString();
    QCOMPARE(ids, (QStringList{QStringLiteral("general"), QStringLiteral("a/model-a"), QStringLiteral("b/model-b")}));
    QCOMPARE(data.at(0).toObject().value(QLatin1String("object")).toString(), QStringLiteral("model"));
}

void TestProxyRouting::unknownModelListsAliases()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = chat(engine.port(), QStringLiteral("genral"));
    QCOMPARE(response.status, 404);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QVERIFY2(error.value(QLatin1String("message")).toString().contains(QLatin1String("general")), qPrintable(error.value(QLatin1String("message")).toString()));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("unknown_model"));
    QCOMPARE(up.a.requestCount() + up.b.requestCount(), 0);
    QVERIFY(engine.waitForRecords(1));
    QCOMPARE(engine.records().constFirst().errorClass, ErrorClass::UnknownModel);
}

void TestProxyRouting::badRequestBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("not JSON") << QByteArray("{\"model\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("JSON object");
    QTest::newRow("no model") << QByteArray(R"({"messages":[]})") << QStringLiteral("\"model\" is required");
    QTest::newRow("stream not bool") << QByteArray(R"({"model":"general","stream":"yes"})") << QStringLiteral("\"stream\"");
}

void TestProxyRouting::badRequestBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messagePart);
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto response = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body);
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QVERIFY2(error.value(QLatin1String("message")).toString().contains(messagePart), qPrintable(error.value(QLatin1String("message")).toString()));
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("bad_request"));
    QVERIFY(engine.waitForRecords(1));
    QCOMPARE(engine.records().constFirst().errorClass, ErrorClass::BadRequest);
}

void TestProxyRouting::fallbackAfterRetries_data()
{
    QTest::addColumn<Behaviour>("fault");
    QTest::addColumn<ErrorClass>("errorClass");
    QTest::addColumn<int>("attemptStatus");
    QTest::newRow("500") << Behaviour::httpError(500) << ErrorClass::Upstream5xx << 500;
    QTest::newRow("503") << Behaviour::httpError(503) << ErrorClass::Upstream5xx << 503;
    QTest::newRow("429 without Retry-After") << Behaviour::httpError(429) << ErrorClass::RateLimited << 429;
    QTest::newRow("reset before headers") << Behaviour::reset() << ErrorClass::BadUpstreamResponse << 0;
    QTest::newRow("malformed JSON") << Behaviour::malformedJson() << ErrorClass::BadUpstreamResponse << 200;
    QTest::newRow("wrong content type") << Behaviour::wrongContentType() << ErrorClass::BadUpstreamResponse << 200;
    QTest::newRow("slow first byte") << Behaviour::slowFirstByte(3000) << ErrorClass::TimeoutFirstByte << 0;
    QTest::newRow("cut before body") << Behaviour::cut(0) << ErrorClass::BadUpstreamResponse << 200;
}

void TestProxyRouting::fallbackAfterRetries()
{
    QFETCH(Behaviour, fault);
    QFETCH(ErrorClass, errorClass);
    QFETCH(int, attemptStatus);
    TwoUpstreams up;
    Config config = up.config();
    config.timeouts.firstByteMs = 600;
    up.a.enqueue(fault);
    up.a.enqueue(fault);
    EngineThread engine(config);
    const auto response = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("x-switchyard-provider"), QByteArray("b"));
    QCOMPARE(response.headers.value("x-switchyard-attempts"), QByteArray("3"));
    QCOMPARE(up.a.requestCount(), 2); // retry.max_attempts
    QCOMPARE(up.b.requestCount(), 1);
    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QVERIFY(r.ok);
    QCOMPARE(r.attempts.size(), 3);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(r.attempts.at(i).provider, QStringLiteral("a"));
        QCOMPARE(r.attempts.at(i).errorClass, errorClass);
        QCOMPARE(r.attempts.at(i).status, attemptStatus);
        QVERIFY(!r.attempts.at(i).message.isEmpty());
    }
    QCOMPARE(r.attempts.at(2).provider, QStringLiteral("b"));
    QCOMPARE(r.attempts.at(2).errorClass, ErrorClass::None);
}

void TestProxyRouting::clientErrorIsNotRetried()
{
    TwoUpstreams up;
    up.a.enqueue(Behaviour::httpError(400, QStringLiteral("messages: field required")));
    EngineThread engine(up.config());
    const auto response = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString(),
             QStringLiteral("messages: field required"));
    QCOMPARE(up.a.requestCount(), 1);
    QCOMPARE(up.b.requestCount(), 0);
    QVERIFY(engine.waitForRecords(1));
    QCOMPARE(engine.records().constFirst().errorClass, ErrorClass::Upstream4xx);
    QCOMPARE(engine.records().constFirst().attempts.size(), 1);
}

void TestProxyRouting::retryAfterIsHonoured()
{
    TwoUpstreams up;
    up.a.enqueue(Behaviour::httpError(429, QStringLiteral("slow down"), "1"));
    EngineThread engine(up.config());
    const auto response = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("x-switchyard-provider"), QByteArray("a"));
    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QCOMPARE(r.attempts.size(), 2);
    QCOMPARE(r.attempts.at(0).errorClass, ErrorClass::RateLimited);
    // The second attempt waited for Retry-After (1 s), not the 10 ms backoff.
    const qint64 gap = r.attempts.at(1).startedAfterMs - r.attempts.at(0).startedAfterMs;
    QVERIFY2(gap >= 900, qPrintable(QString::number(gap)));
    QVERIFY2(gap < 10000, qPrintable(QString::number(gap)));
}

void TestProxyRouting::longRetryAfterMovesToNextTarget()
{
    TwoUpstreams up;
    up.a.enqueue(Behaviour::httpError(429, QStringLiteral("quota"), "120"));
    EngineThread engine(up.config());
    QElapsedTimer clock;
    clock.start();
    const auto response = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("x-switchyard-provider"), QByteArray("b"));
    QCOMPARE(up.a.requestCount(), 1);
    QVERIFY(clock.elapsed() < 20000);
}

void TestProxyRouting::allTargetsFail_data()
{
    QTest::addColumn<Behaviour>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorClass>("errorClass");
    QTest::newRow("503 everywhere: the upstream answer is returned") << Behaviour::httpError(503, QStringLiteral("overloaded")) << 503 << ErrorClass::Upstream5xx;
    QTest::newRow("resets everywhere: 502") << Behaviour::reset() << 502 << ErrorClass::BadUpstreamResponse;
    QTest::newRow("timeouts everywhere: 504") << Behaviour::slowFirstByte(3000) << 504 << ErrorClass::TimeoutFirstByte;
}

void TestProxyRouting::allTargetsFail()
{
    QFETCH(Behaviour, fault);
    QFETCH(int, status);
    QFETCH(ErrorClass, errorClass);
    TwoUpstreams up;
    Config config = up.config();
    config.timeouts.firstByteMs = 500;
    for (int i = 0; i < 2; ++i) {
        up.a.enqueue(fault);
        up.b.enqueue(fault);
    }
    EngineThread engine(config);
    const auto response = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(response.status, status);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QVERIFY(!error.value(QLatin1String("message")).toString().isEmpty());
    QCOMPARE(response.headers.value("x-switchyard-attempts"), QByteArray("4"));
    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QVERIFY(!r.ok);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorClass, errorClass);
    QCOMPARE(r.attempts.size(), 4);
}

void TestProxyRouting::cooldownSkipsFailingTarget()
{
    TwoUpstreams up;
    Config config = up.config();
    config.retry.maxAttempts = 1;
    config.cooldown = CooldownPolicy{1, 60};
    up.a.enqueue(Behaviour::httpError(500));
    EngineThread engine(config);
    QCOMPARE(chat(engine.port(), QStringLiteral("general")).status, 200); // a fails, b answers
    QCOMPARE(up.a.requestCount(), 1);
    QCOMPARE(chat(engine.port(), QStringLiteral("general")).status, 200); // a is cooling down
    QCOMPARE(up.a.requestCount(), 1);
    QCOMPARE(up.b.requestCount(), 2);

    const auto route = RawHttpClient::fetch(engine.port(), "GET", "/api/route?model=general");
    QCOMPARE(route.status, 200);
    const QJsonArray candidates = route.json().value(QLatin1String("candidates")).toArray();
    QCOMPARE(candidates.size(), 2);
    QCOMPARE(candidates.at(0).toObject().value(QLatin1String("provider")).toString(), QStringLiteral("b"));
    QCOMPARE(candidates.at(1).toObject().value(QLatin1String("state")).toString(), QStringLiteral("cooling_down"));
    QVERIFY(candidates.at(1).toObject().value(QLatin1String("skip")).toBool());

    // With b failing too, nothing is left to try.
    up.b.enqueue(Behaviour::httpError(500));
    QCOMPARE(chat(engine.port(), QStringLiteral("general")).status, 500);
    const auto none = chat(engine.port(), QStringLiteral("general"));
    QCOMPARE(none.status, 503);
    QCOMPARE(none.json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(), QStringLiteral("no_healthy_target"));
}

void TestProxyRouting::weightedSpreadsByWeight()
{
    TwoUpstreams up;
    Config config = up.config();
    config.aliases = {TestConfigs::alias(QStringLiteral("split"), Strategy::Weighted,
                                         {TestConfigs::target(QStringLiteral("a"), QStringLiteral("m"), 3),
                                          TestConfigs::target(QStringLiteral("b"), QStringLiteral("m"), 1)})};
    EngineThread engine(config);
    RawHttpClient client(engine.port());
    const int n = 200;
    for (int i = 0; i < n; ++i) {
        client.send(RawHttpClient::request("POST", "/v1/chat/completions", chatBody(QStringLiteral("split"))));
        QCOMPARE(client.readResponse().status, 200);
    }
    // Expect 150 for a; the bounds are far outside what chance produces.
    QVERIFY2(up.a.requestCount() > 115 && up.a.requestCount() < 185, qPrintable(QString::number(up.a.requestCount())));
    QCOMPARE(up.a.requestCount() + up.b.requestCount(), n);
}

void TestProxyRouting::leastLatencyPrefersFastTarget()
{
    TwoUpstreams up;
    Config config = up.config();
    config.aliases = {TestConfigs::alias(QStringLiteral("fast"), Strategy::LeastLatency,
                                         {TestConfigs::target(QStringLiteral("a"), QStringLiteral("m")),
                                          TestConfigs::target(QStringLiteral("b"), QStringLiteral("m"))})};
    for (int i = 0; i < 20; ++i)
        up.a.enqueue(Behaviour::slowFirstByte(150));
    EngineThread engine(config);
    for (int i = 0; i < 12; ++i)
        QCOMPARE(chat(engine.port(), QStringLiteral("fast")).status, 200);
    // Each is tried once to measure it; after that the fast one gets the calls.
    QCOMPARE(up.a.requestCount(), 1);
    QCOMPARE(up.b.requestCount(), 11);
}

void TestProxyRouting::liveConfigReloadKeepsRequestsInFlight()
{
    TwoUpstreams up;
    up.a.enqueue(Behaviour::slowFirstByte(800));
    EngineThread engine(up.config());
    RawHttpClient slow(engine.port());
    slow.send(RawHttpClient::request("POST", "/v1/chat/completions", chatBody(QStringLiteral("general"))));
    QVERIFY(up.a.waitForRequests(1));

    Config next = up.config();
    next.aliases.append(TestConfigs::alias(QStringLiteral("only-b"), Strategy::Fallback,
                                           {TestConfigs::target(QStringLiteral("b"), QStringLiteral("model-b2"))}));
    next.aliases.removeFirst();
    engine.applyConfig(next);

    QCOMPARE(slow.readResponse(10000).status, 200); // started on the old config, finished on it
    QCOMPARE(chat(engine.port(), QStringLiteral("only-b")).status, 200);
    QCOMPARE(chat(engine.port(), QStringLiteral("general")).status, 404);
}

void TestProxyRouting::clientDisconnectCancelsUpstream()
{
    TwoUpstreams up;
    up.a.enqueue(Behaviour::neverAnswer());
    EngineThread engine(up.config());
    {
        RawHttpClient client(engine.port());
        client.send(RawHttpClient::request("POST", "/v1/chat/completions", chatBody(QStringLiteral("general"))));
        QVERIFY(up.a.waitForRequests(1));
        client.socket().abort();
    }
    QVERIFY(up.a.waitForClientDisconnects(1, 10000));
    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QCOMPARE(r.errorClass, ErrorClass::ClientCancelled);
    QCOMPARE(r.status, 499);
    QCOMPARE(up.b.requestCount(), 0);
}

void TestProxyRouting::routeExplainsRanking()
{
    TwoUpstreams up;
    EngineThread engine(up.config());
    const auto route = RawHttpClient::fetch(engine.port(), "GET", "/api/route?model=general");
    QCOMPARE(route.status, 200);
    const QJsonObject o = route.json();
    QCOMPARE(o.value(QLatin1String("alias")).toString(), QStringLiteral("general"));
    QCOMPARE(o.value(QLatin1String("strategy")).toString(), QStringLiteral("fallback"));
    const QJsonArray candidates = o.value(QLatin1String("candidates")).toArray();
    QCOMPARE(candidates.size(), 2);
    QCOMPARE(candidates.at(0).toObject().value(QLatin1String("state")).toString(), QStringLiteral("healthy"));
    QVERIFY(!candidates.at(0).toObject().value(QLatin1String("reason")).toString().isEmpty());
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/api/route?model=nope").status, 404);
}

QTEST_GUILESS_MAIN(TestProxyRouting)
#include "tst_ProxyRouting.moc"
