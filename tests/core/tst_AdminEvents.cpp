// SPDX-License-Identifier: GPL-3.0-or-later
// GET /api/events: the live event stream of a gateway with two proxy workers (the stream is
// answered by the coordinator and relayed, part by part, through the worker holding the
// connection). Real engine, real log, real sockets; the events are read as a client reads them.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;

namespace {

QByteArray chat()
{
    return R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})";
}

// A subscriber: the connection, and everything the gateway sent on it so far.
class Subscriber
{
public:
    Subscriber(quint16 port, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
        : m_client(port)
    {
        m_client.send(RawHttpClient::request("GET", "/api/events", {}, headers));
    }
    // Reads until `needle` has arrived `count` times in all (or the time is up).
    bool waitFor(const QByteArray &needle, int count = 1, int timeoutMs = 10000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (m_received.count(needle) < count && !deadline.hasExpired()) {
            m_client.socket().waitForReadyRead(50);
            m_received += m_client.socket().readAll();
        }
        return m_received.count(needle) >= count;
    }
    // The data of every event of that name, parsed.
    QList<QJsonObject> events(const QByteArray &name) const
    {
        QList<QJsonObject> out;
        const QList<QByteArray> lines = m_received.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            if (lines[i] != "event: " + name)
                continue;
            for (qsizetype j = i + 1; j < lines.size() && !lines[j].isEmpty(); ++j)
                if (lines[j].startsWith("data: "))
                    out << QJsonDocument::fromJson(lines[j].mid(6)).object();
        }
        return out;
    }
    const QByteArray &received() const { return m_received; }
    RawHttpClient &client() { return m_client; }

private:
    RawHttpClient m_client;
    QByteArray m_received;
};

} // namespace

class TestAdminEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamOpensAtOnce();
    void finishedCallsArriveAsTheyFinish();
    void everySubscriberGetsEveryEvent();
    void appliedConfigIsAnEvent();
    void leavingDoesNotDisturbTheGateway();
    void guardedLikeTheRestOfTheApi_data();
    void guardedLikeTheRestOfTheApi();
};

void TestAdminEvents::streamOpensAtOnce()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 2);
    Subscriber s(engine.port());
    QVERIFY2(s.waitFor(": connected"), s.received().constData());
    const QByteArray head = s.received().left(s.received().indexOf("\r\n\r\n")).toLower();
    QVERIFY2(head.startsWith("http/1.1 200"), head.constData());
    QVERIFY(head.contains("content-type: text/event-stream"));
    QVERIFY(head.contains("transfer-encoding: chunked"));
    QVERIFY(head.contains("cache-control: no-cache"));
}

void TestAdminEvents::finishedCallsArriveAsTheyFinish()
{
    FakeProvider up;
    QTemporaryDir dir;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), dir.filePath(QStringLiteral("requests.db")), QString(), 2);
    Subscriber s(engine.port());
    QVERIFY(s.waitFor(": connected"));
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        const RawHttpClient::Response r = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", chat(),
                                                               {{"Content-Type", "application/json"}});
        QCOMPARE(r.status, 200);
        ids << QString::fromLatin1(r.headers.value("x-switchyard-request-id"));
        // Each call is an event before the next one is made: they come live, not at the end.
        QVERIFY2(s.waitFor("event: request", i + 1), s.received().constData());
    }
    const QList<QJsonObject> events = s.events("request");
    QCOMPARE(events.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(events[i].value(QLatin1String("id")).toString(), ids[i]);
        QCOMPARE(events[i].value(QLatin1String("alias")).toString(), QStringLiteral("general"));
        QCOMPARE(events[i].value(QLatin1String("status")).toInt(), 200);
        QVERIFY(s.received().contains(QByteArray("id: " + ids[i].toLatin1() + "\n")));
    }
}

void TestAdminEvents::everySubscriberGetsEveryEvent()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 2);
    // Four subscribers: the acceptor spreads their connections over both workers.
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < 4; ++i) {
        subscribers.push_back(std::make_unique<Subscriber>(engine.port()));
        QVERIFY(subscribers.back()->waitFor(": connected"));
    }
    for (int i = 0; i < 5; ++i)
        QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", chat(),
                                      {{"Content-Type", "application/json"}}).status, 200);
    for (const auto &s : subscribers) {
        QVERIFY2(s->waitFor("event: request", 5), s->received().constData());
        QCOMPARE(s->events("request").size(), 5);
    }
}

void TestAdminEvents::appliedConfigIsAnEvent()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 2);
    Subscriber s(engine.port());
    QVERIFY(s.waitFor(": connected"));
    Config changed = TestConfigs::oneUpstream(up.port());
    changed.aliases << TestConfigs::alias(QStringLiteral("second"), Strategy::Fallback,
                                          {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-b"))});
    engine.applyConfig(changed);
    QVERIFY2(s.waitFor("event: config"), s.received().constData());
    const QList<QJsonObject> events = s.events("config");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].value(QLatin1String("aliases")).toInt(), 2);
    QVERIFY(!events[0].value(QLatin1String("applied_at")).toString().isEmpty());
}

void TestAdminEvents::leavingDoesNotDisturbTheGateway()
{
    FakeProvider up;
    EngineThread engine(TestConfigs::oneUpstream(up.port()), QString(), QString(), 2);
    {
        Subscriber gone(engine.port());
        QVERIFY(gone.waitFor(": connected"));
        gone.client().socket().abort();
    }
    Subscriber stays(engine.port());
    QVERIFY(stays.waitFor(": connected"));
    // Calls after a subscriber left are served, and reach the one still listening.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", chat(),
                                      {{"Content-Type", "application/json"}}).status, 200);
    QVERIFY(stays.waitFor("event: request", 3));
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/health").status, 200);
}

void TestAdminEvents::guardedLikeTheRestOfTheApi_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << QByteArray("GET") << QByteArray() << 401;
    QTest::newRow("wrong token") << QByteArray("GET") << QByteArray("Bearer nope") << 401;
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("Bearer s3cret") << 405;
}

void TestAdminEvents::guardedLikeTheRestOfTheApi()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    FakeProvider up;
    Config config = TestConfigs::oneUpstream(up.port());
    config.listen.token = QStringLiteral("s3cret");
    EngineThread engine(config, QString(), QString(), 2);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    QCOMPARE(RawHttpClient::fetch(engine.port(), method, "/api/events", {}, headers).status, status);
    // With the token: the stream.
    Subscriber s(engine.port(), {{"Authorization", "Bearer s3cret"}});
    QVERIFY2(s.waitFor(": connected"), s.received().constData());
}

QTEST_GUILESS_MAIN(TestAdminEvents)
#include "tst_AdminEvents.moc"
