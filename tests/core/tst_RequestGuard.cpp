// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RequestGuard.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TestRequestGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void check_data();
    void check();
    void corsForAllowedOrigin();
    void endToEnd();
};

namespace {
HttpRequest request(const Headers &headers, const QByteArray &method = "POST")
{
    HttpRequest r;
    r.method = method;
    r.path = "/v1/chat/completions";
    for (const auto &[name, value] : headers)
        r.headers.add(name, value);
    return r;
}
} // namespace

Q_DECLARE_METATYPE(Headers)

void TestRequestGuard::check_data()
{
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("boundHost");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QStringList>("allowedOrigins");
    QTest::addColumn<int>("status"); // 0: allowed
    const QString lo = QStringLiteral("127.0.0.1");
    const QString any = QStringLiteral("0.0.0.0");
    QTest::newRow("loopback host with port") << Headers{{"Host", "127.0.0.1:4141"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("localhost") << Headers{{"Host", "localhost:4141"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("LOCALHOST any case") << Headers{{"Host", "LocalHost:4141"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("ipv6 loopback") << Headers{{"Host", "[::1]:4141"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("host without port") << Headers{{"Host", "localhost"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("rebound name") << Headers{{"Host", "evil.example:4141"}} << lo << QString() << QStringList() << 403;
    QTest::newRow("wrong port") << Headers{{"Host", "127.0.0.1:8080"}} << lo << QString() << QStringList() << 403;
    QTest::newRow("no host") << Headers{} << lo << QString() << QStringList() << 403;
    QTest::newRow("garbage port") << Headers{{"Host", "127.0.0.1:abc"}} << lo << QString() << QStringList() << 403;
    QTest::newRow("sign inside the address") << Headers{{"Host", "127.0.+0.1:4141"}} << lo << QString() << QStringList() << 403;
    QTest::newRow("latin-1 space before the address") << Headers{{"Host", "\x85" "127.4:4141"}} << lo << QString() << QStringList()
                                                     << 403;
    QTest::newRow("mapped ipv4 loopback") << Headers{{"Host", "[::ffff:127.0.0.1]:4141"}} << lo << QString() << QStringList() << 0;
    QTest::newRow("web page origin") << Headers{{"Host", "127.0.0.1:4141"}, {"Origin", "https://evil.example"}} << lo
                                     << QString() << QStringList() << 403;
    QTest::newRow("null origin") << Headers{{"Host", "127.0.0.1:4141"}, {"Origin", "null"}} << lo << QString() << QStringList() << 403;
    QTest::newRow("allowed origin") << Headers{{"Host", "127.0.0.1:4141"}, {"Origin", "http://localhost:3000"}} << lo << QString()
                                    << QStringList{QStringLiteral("http://localhost:3000")} << 0;
    QTest::newRow("client key ignored without token") << Headers{{"Host", "127.0.0.1:4141"}, {"Authorization", "Bearer sk-whatever"}}
                                                      << lo << QString() << QStringList() << 0;
    QTest::newRow("token missing") << Headers{{"Host", "10.0.0.5:4141"}} << any << QStringLiteral("s3cret-token") << QStringList() << 401;
    QTest::newRow("token wrong") << Headers{{"Host", "10.0.0.5:4141"}, {"Authorization", "Bearer s3cret-tokem"}} << any
                                 << QStringLiteral("s3cret-token") << QStringList() << 401;
    QTest::newRow("token prefix only") << Headers{{"Host", "10.0.0.5:4141"}, {"Authorization", "Bearer s3cret"}} << any
                                       << QStringLiteral("s3cret-token") << QStringList() << 401;
    QTest::newRow("token as bearer") << Headers{{"Host", "10.0.0.5:4141"}, {"Authorization", "Bearer s3cret-token"}} << any
                                     << QStringLiteral("s3cret-token") << QStringList() << 0;
    QTest::newRow("token as x-api-key") << Headers{{"Host", "10.0.0.5:4141"}, {"x-api-key", "s3cret-token"}} << any
                                        << QStringLiteral("s3cret-token") << QStringList() << 0;
    QTest::newRow("remote bind does not check Host") << Headers{{"Host", "gateway.lan:4141"}, {"Authorization", "Bearer s3cret-token"}}
                                                     << any << QStringLiteral("s3cret-token") << QStringList() << 0;
}

void TestRequestGuard::check()
{
    QFETCH(Headers, headers);
    QFETCH(QString, boundHost);
    QFETCH(QString, token);
    QFETCH(QStringList, allowedOrigins);
    QFETCH(int, status);
    ListenConfig listen;
    listen.host = boundHost;
    listen.token = token;
    listen.allowedOrigins = allowedOrigins;
    const auto rejection = RequestGuard::check(request(headers), listen, boundHost, 4141);
    QCOMPARE(rejection ? rejection->status : 0, status);
    if (rejection)
        QVERIFY(!rejection->message.isEmpty());
}

void TestRequestGuard::corsForAllowedOrigin()
{
    ListenConfig listen;
    listen.allowedOrigins = {QStringLiteral("http://localhost:3000")};
    const HttpRequest preflight = request({{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}}, "OPTIONS");
    QVERIFY(RequestGuard::isPreflight(preflight));
    const HttpHeaders allowed = RequestGuard::corsHeaders(preflight, listen);
    QCOMPARE(allowed.value("access-control-allow-origin"), QByteArray("http://localhost:3000"));
    QVERIFY(allowed.contains("access-control-allow-methods"));
    // Anything else gets no permissive header at all.
    const HttpRequest other = request({{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}, "OPTIONS");
    QVERIFY(RequestGuard::corsHeaders(other, listen).isEmpty());
    QVERIFY(RequestGuard::corsHeaders(request({}), listen).isEmpty());
}

void TestRequestGuard::endToEnd()
{
    FakeProvider upstream;
    Config config = TestConfigs::base();
    config.providers = {TestConfigs::provider(QStringLiteral("a"), upstream.port())};
    config.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                         {TestConfigs::target(QStringLiteral("a"), QStringLiteral("m"))})};
    EngineThread engine(config);
    const QByteArray body = R"({"model":"general","messages":[{"role":"user","content":"hi"}]})";
    const QByteArray host = "127.0.0.1:" + QByteArray::number(engine.port());

    auto fromPage = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body, {{"Origin", "https://evil.example"}});
    QCOMPARE(fromPage.status, 403);
    QVERIFY(fromPage.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().contains(QLatin1String("allowed_origins")));
    QVERIFY(!fromPage.headers.contains("access-control-allow-origin"));

    RawHttpClient rebinding(engine.port());
    rebinding.send("GET /api/requests HTTP/1.1\r\nHost: evil.example:" + QByteArray::number(engine.port()) + "\r\n\r\n");
    QCOMPARE(rebinding.readResponse().status, 403);

    RawHttpClient preflight(engine.port());
    preflight.send("OPTIONS /v1/chat/completions HTTP/1.1\r\nHost: " + host
                   + "\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n\r\n");
    const auto answer = preflight.readResponse();
    QCOMPARE(answer.status, 403);
    QVERIFY(!answer.headers.contains("access-control-allow-origin"));

    QCOMPARE(upstream.requestCount(), 0); // nothing refused reached the upstream
    QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body).status, 200);

    // With a token, every request must carry it.
    config.listen.token = QStringLiteral("gateway-token-123");
    engine.applyConfig(config);
    QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body).status, 401);
    QCOMPARE(RawHttpClient::fetch(engine.port(), "GET", "/api/config").status, 401);
    QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body,
                                  {{"Authorization", "Bearer gateway-token-123"}}).status, 200);
    // The gateway token is the client's credential: it is never sent upstream.
    QVERIFY(!upstream.requests().constLast().headers.value("authorization").contains("gateway-token-123"));
}

QTEST_GUILESS_MAIN(TestRequestGuard)
#include "tst_RequestGuard.moc"
