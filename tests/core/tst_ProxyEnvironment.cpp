// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/upstream/ProxyEnvironment.h"
#include "tests/support/ScopedEnvironment.h"
#include <QTest>

using namespace Switchyard;

namespace {

const QString corpHttp = QStringLiteral("http://plain.corp:3128");
const QString corpHttps = QStringLiteral("http://secure.corp:3129");

using Test::ScopedEnvironment;

} // namespace

class TestProxyEnvironment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void proxyFor_data();
    void proxyFor();
    void fromEnvironment_data();
    void fromEnvironment();
};

void TestProxyEnvironment::proxyFor_data()
{
    QTest::addColumn<QString>("httpProxy");
    QTest::addColumn<QString>("httpsProxy");
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("host"); // the proxy's host; empty: no proxy
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");

    const QUrl openai(QStringLiteral("https://api.openai.com/v1"));
    const QUrl plain(QStringLiteral("http://models.example.com/v1"));
    const QString none;
    QTest::newRow("https uses HTTPS_PROXY") << corpHttp << corpHttps << none << openai
                                            << QStringLiteral("secure.corp") << 3129 << none << none;
    QTest::newRow("http uses HTTP_PROXY") << corpHttp << corpHttps << none << plain << QStringLiteral("plain.corp")
                                          << 3128 << none << none;
    QTest::newRow("https with only HTTP_PROXY: direct") << corpHttp << none << none << openai << none << 0 << none
                                                        << none;
    QTest::newRow("http with only HTTPS_PROXY: direct") << none << corpHttps << none << plain << none << 0 << none
                                                        << none;
    QTest::newRow("nothing configured") << none << none << none << openai << none << 0 << none << none;
    QTest::newRow("nothing configured, http") << none << none << none << plain << none << 0 << none << none;
    QTest::newRow("host:port without scheme") << none << QStringLiteral("proxy.corp:8888") << none << openai
                                              << QStringLiteral("proxy.corp") << 8888 << none << none;
    QTest::newRow("IP address and port") << QStringLiteral("10.1.2.3:3128") << none << none << plain
                                         << QStringLiteral("10.1.2.3") << 3128 << none << none;
    QTest::newRow("no port: curl's default 1080") << none << QStringLiteral("http://proxy.corp") << none << openai
                                                  << QStringLiteral("proxy.corp") << 1080 << none << none;
    QTest::newRow("credentials") << none << QStringLiteral("http://alice:s3cret@proxy.corp:3128") << none << openai
                                 << QStringLiteral("proxy.corp") << 3128 << QStringLiteral("alice")
                                 << QStringLiteral("s3cret");
    QTest::newRow("percent-encoded credentials")
        << none << QStringLiteral("http://dom%5Calice:p%40ss%3Aword@proxy.corp:3128") << none << openai
        << QStringLiteral("proxy.corp") << 3128 << QStringLiteral("dom\\alice") << QStringLiteral("p@ss:word");
    QTest::newRow("credentials without scheme") << QStringLiteral("bob:pw@proxy.corp:3128") << none << none << plain
                                                << QStringLiteral("proxy.corp") << 3128 << QStringLiteral("bob")
                                                << QStringLiteral("pw");

    QTest::newRow("NO_PROXY exact host") << corpHttp << corpHttps << QStringLiteral("api.openai.com") << openai
                                         << none << 0 << none << none;
    QTest::newRow("NO_PROXY domain covers subdomains")
        << corpHttp << corpHttps << QStringLiteral("openai.com") << openai << none << 0 << none << none;
    QTest::newRow("NO_PROXY leading dot covers subdomains")
        << corpHttp << corpHttps << QStringLiteral(".openai.com") << openai << none << 0 << none << none;
    QTest::newRow("NO_PROXY leading dot covers the domain itself")
        << corpHttp << corpHttps << QStringLiteral(".openai.com") << QUrl(QStringLiteral("https://openai.com/"))
        << none << 0 << none << none;
    QTest::newRow("NO_PROXY suffix must end at a dot")
        << corpHttp << corpHttps << QStringLiteral("ai.com") << openai << QStringLiteral("secure.corp") << 3129
        << none << none;
    QTest::newRow("NO_PROXY subdomain entry does not cover the parent")
        << corpHttp << corpHttps << QStringLiteral("eu.api.openai.com") << openai << QStringLiteral("secure.corp")
        << 3129 << none << none;
    QTest::newRow("NO_PROXY list with spaces and case")
        << corpHttp << corpHttps << QStringLiteral(" internal.corp , API.OpenAI.com ,,") << openai << none << 0
        << none << none;
    QTest::newRow("NO_PROXY list not matching") << corpHttp << corpHttps
                                                << QStringLiteral("internal.corp,anthropic.com") << openai
                                                << QStringLiteral("secure.corp") << 3129 << none << none;
    QTest::newRow("NO_PROXY star") << corpHttp << corpHttps << QStringLiteral("*") << openai << none << 0 << none
                                   << none;
    QTest::newRow("NO_PROXY star in a list") << corpHttp << corpHttps << QStringLiteral("internal.corp,*") << plain
                                             << none << 0 << none << none;
    QTest::newRow("NO_PROXY IP address") << corpHttp << corpHttps << QStringLiteral("192.168.1.20")
                                         << QUrl(QStringLiteral("http://192.168.1.20:8000/v1")) << none << 0 << none
                                         << none;
    QTest::newRow("URL host in upper case") << corpHttp << corpHttps << QStringLiteral("openai.com")
                                            << QUrl(QStringLiteral("https://API.OPENAI.COM/v1")) << none << 0 << none
                                            << none;

    QTest::newRow("loopback IPv4 never proxied") << corpHttp << corpHttps << none
                                                 << QUrl(QStringLiteral("http://127.0.0.1:11434/v1")) << none << 0
                                                 << none << none;
    QTest::newRow("loopback 127/8 never proxied") << corpHttp << corpHttps << none
                                                  << QUrl(QStringLiteral("http://127.0.0.2:8080/v1")) << none << 0
                                                  << none << none;
    QTest::newRow("localhost never proxied") << corpHttp << corpHttps << none
                                             << QUrl(QStringLiteral("http://localhost:1234/v1")) << none << 0 << none
                                             << none;
    QTest::newRow("LOCALHOST over https never proxied") << corpHttp << corpHttps << none
                                                        << QUrl(QStringLiteral("https://LOCALHOST/v1")) << none << 0
                                                        << none << none;
    QTest::newRow("loopback IPv6 never proxied") << corpHttp << corpHttps << none
                                                 << QUrl(QStringLiteral("http://[::1]:8000/v1")) << none << 0 << none
                                                 << none;
    QTest::newRow("a LAN address is proxied") << corpHttp << corpHttps << none
                                              << QUrl(QStringLiteral("http://192.168.1.20:8000/v1"))
                                              << QStringLiteral("plain.corp") << 3128 << none << none;
}

void TestProxyEnvironment::proxyFor()
{
    QFETCH(QString, httpProxy);
    QFETCH(QString, httpsProxy);
    QFETCH(QString, noProxy);
    QFETCH(QUrl, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);

    const QNetworkProxy proxy = ProxyEnvironment(httpProxy, httpsProxy, noProxy).proxyFor(url);
    if (host.isEmpty()) {
        QCOMPARE(proxy.type(), QNetworkProxy::NoProxy);
        return;
    }
    QCOMPARE(proxy.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(proxy.hostName(), host);
    QCOMPARE(proxy.port(), quint16(port));
    QCOMPARE(proxy.user(), user);
    QCOMPARE(proxy.password(), password);
}

void TestProxyEnvironment::fromEnvironment_data()
{
    QTest::addColumn<QByteArray>("lowerHttps");
    QTest::addColumn<QByteArray>("upperHttps");
    QTest::addColumn<QByteArray>("lowerNoProxy");
    QTest::addColumn<QByteArray>("upperNoProxy");
    QTest::addColumn<QString>("host"); // the proxy for https://api.openai.com; empty: none

    const QByteArray unset;
    QTest::newRow("upper case") << unset << QByteArray("upper.corp:1") << unset << unset << QStringLiteral("upper.corp");
    QTest::newRow("lower case") << QByteArray("lower.corp:1") << unset << unset << unset << QStringLiteral("lower.corp");
    QTest::newRow("lower case wins") << QByteArray("lower.corp:1") << QByteArray("upper.corp:1") << unset << unset
                                     << QStringLiteral("lower.corp");
    QTest::newRow("empty lower case falls back") << QByteArray("") << QByteArray("upper.corp:1") << unset << unset
                                                 << QStringLiteral("upper.corp");
    QTest::newRow("upper-case NO_PROXY") << QByteArray("lower.corp:1") << unset << unset << QByteArray("openai.com")
                                         << QString();
    QTest::newRow("lower-case no_proxy") << QByteArray("lower.corp:1") << unset << QByteArray("openai.com") << unset
                                         << QString();
    QTest::newRow("nothing set") << unset << unset << unset << unset << QString();
}

void TestProxyEnvironment::fromEnvironment()
{
    QFETCH(QByteArray, lowerHttps);
    QFETCH(QByteArray, upperHttps);
    QFETCH(QByteArray, lowerNoProxy);
    QFETCH(QByteArray, upperNoProxy);
    QFETCH(QString, host);

    const ScopedEnvironment a("https_proxy", lowerHttps);
    const ScopedEnvironment b("HTTPS_PROXY", upperHttps);
    const ScopedEnvironment c("no_proxy", lowerNoProxy);
    const ScopedEnvironment d("NO_PROXY", upperNoProxy);
    const ScopedEnvironment e("http_proxy", "http-only.corp:2");
    const ScopedEnvironment f("HTTP_PROXY", QByteArray());
    const QNetworkProxy proxy = ProxyEnvironment::fromEnvironment().proxyFor(QUrl(QStringLiteral("https://api.openai.com/v1")));
    QCOMPARE(proxy.type(), host.isEmpty() ? QNetworkProxy::NoProxy : QNetworkProxy::HttpProxy);
    QCOMPARE(proxy.hostName(), host);
}

QTEST_GUILESS_MAIN(TestProxyEnvironment)
#include "tst_ProxyEnvironment.moc"
