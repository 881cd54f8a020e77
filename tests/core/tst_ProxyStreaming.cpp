// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming through the proxy: events pass as they arrive, usage is captured, failures
// before the first byte fall back and failures after it end the stream with an error event.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "core/util/FileLimits.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using Behaviour = FakeProvider::Behaviour;

class TestProxyStreaming : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eventsArriveIncrementally();
    void usageIsCapturedAndHiddenWhenNotAsked();
    void usageIsPassedWhenAsked();
    void failureBeforeFirstByteFallsBack();
    void cutAfterFirstByteEndsStreamWithError();
    void stallBeyondIdleTimeoutEndsStream();
    void twoHundredConcurrentStreamsOverlap();
};

namespace {

QByteArray streamBody(const QByteArray &model, const QByteArray &extra = QByteArray())
{
    return R"({"model":")" + model + R"(","stream":true,"messages":[{"role":"user","content":"Hi"}])" + extra + "}";
}

struct Setup
{
    FakeProvider a;
    FakeProvider b;
    std::unique_ptr<EngineThread> engine;
    explicit Setup(int idleMs = 5000)
    {
        Config c = TestConfigs::base();
        c.timeouts.idleMs = idleMs;
        c.timeouts.firstByteMs = 15000;
        c.providers = {TestConfigs::provider(QStringLiteral("a"), a.port()), TestConfigs::provider(QStringLiteral("b"), b.port())};
        c.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                        {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-a")),
                                         TestConfigs::target(QStringLiteral("b"), QStringLiteral("model-b"))})};
        engine = std::make_unique<EngineThread>(c);
    }
    RawHttpClient::Stream stream(const QByteArray &body = streamBody("general"))
    {
        RawHttpClient client(engine->port());
        client.send(RawHttpClient::request("POST", "/v1/chat/completions", body));
        return client.readStream(20000);
    }
};

QString contentOf(const RawHttpClient::Stream &stream)
{
    QString text;
    for (const auto &[at, event] : stream.events) {
        const QJsonArray choices = QJsonDocument::fromJson(event.data).object().value(QLatin1String("choices")).toArray();
        if (!choices.isEmpty())
            text += choices.at(0).toObject().value(QLatin1String("delta")).toObject().value(QLatin1String("content")).toString();
    }
    return text;
}

} // namespace

void TestProxyStreaming::initTestCase()
{
    // 200 streams hold about 800 sockets across client, proxy and upstream.
    FileLimits::raiseOpenFiles();
}

void TestProxyStreaming::eventsArriveIncrementally()
{
    Setup s;
    FakeProvider::Reply reply;
    reply.text = QStringLiteral("one two three four five");
    reply.chunks = 5;
    reply.intervalMs = 300;
    s.a.setReply(reply);
    const auto stream = s.stream();
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QCOMPARE(stream.status, 200);
    QVERIFY(stream.headers.value("content-type").startsWith("text/event-stream"));
    QCOMPARE(stream.headers.value("x-switchyard-provider"), QByteArray("a"));
    QCOMPARE(contentOf(stream), reply.text);
    QCOMPARE(stream.events.constLast().second.data, QByteArray("[DONE]"));
    // The first event reached the client long before the upstream sent its last one.
    const qint64 first = stream.events.constFirst().first;
    const qint64 last = stream.events.constLast().first;
    QVERIFY2(last - first >= 900, qPrintable(QStringLiteral("first %1 ms, last %2 ms").arg(first).arg(last)));
    // Events are not coalesced: content chunks arrive spread over time.
    int spread = 0;
    for (int i = 1; i < stream.events.size(); ++i)
        spread += stream.events.at(i).first - stream.events.at(i - 1).first >= 150 ? 1 : 0;
    QVERIFY2(spread >= 3, qPrintable(QString::number(spread)));

    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QVERIFY(r.ok);
    QVERIFY(r.stream);
    QVERIFY(r.ttftMs.has_value());
    QVERIFY(*r.ttftMs < r.durationMs);
}

void TestProxyStreaming::usageIsCapturedAndHiddenWhenNotAsked()
{
    Setup s;
    const auto stream = s.stream();
    QVERIFY(stream.complete);
    for (const auto &[at, event] : stream.events) {
        const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
        QVERIFY2(!chunk.value(QLatin1String("usage")).isObject(), event.data.constData());
    }
    // Switchyard asked the upstream for usage on the client's behalf.
    const QJsonObject sent = QJsonDocument::fromJson(s.a.requests().constFirst().body).object();
    QVERIFY(sent.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool());
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QCOMPARE(r.usage.promptTokens.value_or(-1), 12);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 7);
}

void TestProxyStreaming::usageIsPassedWhenAsked()
{
    Setup s;
    const auto stream = s.stream(streamBody("general", R"(,"stream_options":{"include_usage":true})"));
    QVERIFY(stream.complete);
    int usageChunks = 0;
    for (const auto &[at, event] : stream.events) {
        const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
        usageChunks += chunk.value(QLatin1String("usage")).isObject() ? 1 : 0;
    }
    QCOMPARE(usageChunks, 1);
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().usage.completionTokens.value_or(-1), 7);
}

void TestProxyStreaming::failureBeforeFirstByteFallsBack()
{
    Setup s;
    s.a.enqueue(Behaviour::httpError(503));
    s.a.enqueue(Behaviour::cut(0)); // the head arrives, then the connection drops before any event
    const auto stream = s.stream();
    QVERIFY(stream.complete);
    QCOMPARE(stream.status, 200);
    QCOMPARE(stream.headers.value("x-switchyard-provider"), QByteArray("b"));
    QVERIFY(!contentOf(stream).isEmpty());
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QVERIFY(r.ok);
    QCOMPARE(r.attempts.size(), 3);
}

void TestProxyStreaming::cutAfterFirstByteEndsStreamWithError()
{
    Setup s;
    FakeProvider::Reply reply;
    reply.chunks = 6;
    s.a.setReply(reply);
    s.a.enqueue(Behaviour::cut(2));
    const auto stream = s.stream();
    QVERIFY2(stream.complete, qPrintable(stream.error)); // the client's stream ends cleanly
    QCOMPARE(stream.status, 200);
    QVERIFY(stream.events.size() >= 2);
    const QJsonObject last = QJsonDocument::fromJson(stream.events.constLast().second.data).object();
    QCOMPARE(last.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(), QStringLiteral("stream_interrupted"));
    QCOMPARE(s.b.requestCount(), 0); // no fallback once bytes reached the client
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QVERIFY(!r.ok);
    QCOMPARE(r.errorClass, ErrorClass::StreamInterrupted);
    QCOMPARE(r.attempts.size(), 1);
}

void TestProxyStreaming::stallBeyondIdleTimeoutEndsStream()
{
    Setup s(400);
    FakeProvider::Reply reply;
    reply.chunks = 4;
    s.a.setReply(reply);
    s.a.enqueue(Behaviour::stall(2, 3000));
    const auto stream = s.stream();
    QVERIFY2(stream.complete, qPrintable(stream.error));
    const QJsonObject last = QJsonDocument::fromJson(stream.events.constLast().second.data).object();
    QVERIFY(last.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().contains(QLatin1String("idle_ms")));
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().errorClass, ErrorClass::StreamInterrupted);
    QVERIFY(s.a.waitForClientDisconnects(1, 10000)); // the stalled upstream call was closed
}

void TestProxyStreaming::twoHundredConcurrentStreamsOverlap()
{
    Setup s;
    const int n = 200;
    // Each upstream reply waits 4 s before its first byte, so all n are open at once even
    // when the machine is slow to send the requests.
    for (int i = 0; i < n; ++i)
        s.a.enqueue(Behaviour::slowFirstByte(4000));
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < n; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>(s.engine->port()));
        clients.back()->send(RawHttpClient::request("POST", "/v1/chat/completions", streamBody("general")));
    }
    for (auto &client : clients) {
        const auto stream = client->readStream(30000);
        QVERIFY2(stream.complete, qPrintable(stream.error));
        QCOMPARE(stream.status, 200);
    }
    // Every stream was open upstream at the same time: nothing queued behind a connection cap.
    QVERIFY2(s.a.maxInFlight() >= n, qPrintable(QString::number(s.a.maxInFlight())));
    QCOMPARE(s.b.requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestProxyStreaming)
#include "tst_ProxyStreaming.moc"
