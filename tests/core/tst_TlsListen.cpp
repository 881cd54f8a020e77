// SPDX-License-Identifier: GPL-3.0-or-later
// listen.tls_cert / listen.tls_key: the port speaks HTTPS only, through every proxy worker;
// broken certificate settings stop the start with a message naming the field; the CLI finds
// the gateway through its config file and trusts the gateway's own certificate.
// The certificate is tests/data/tls/ (self-signed, 127.0.0.1); clients are real: the
// UpstreamClient the CLI uses, and a plain socket that tries HTTP on the TLS port.
#include "core/cli/AdminClient.h"
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/TestConfigs.h"
#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Switchyard;
using namespace Switchyard::Test;

namespace {

const QString TlsDir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/tls/");
const QString CertPath = TlsDir + QStringLiteral("test-cert.pem");
const QString KeyPath = TlsDir + QStringLiteral("test-key.pem");
const QString OtherKeyPath = TlsDir + QStringLiteral("other-key.pem");

Config tlsConfig(const FakeProvider &up)
{
    Config c = TestConfigs::oneUpstream(up.port());
    c.listen.tlsCert = CertPath;
    c.listen.tlsKey = KeyPath;
    return c;
}

struct Answer
{
    int status = 0;
    QByteArray body;
    QString failure;
};

// One call through the real HTTP client, trusting `trusted` besides the system's certificates.
Answer call(const QString &url, const QByteArray &method, const QByteArray &body,
            const QList<QSslCertificate> &trusted)
{
    UpstreamClient client;
    client.trustCertificates(trusted);
    UpstreamRequest request;
    request.url = QUrl(url);
    request.method = method;
    request.body = body;
    if (!body.isEmpty())
        request.headers.add("Content-Type", "application/json");
    request.timeouts = Timeouts{5000, 5000, 5000, 5000};
    UpstreamCall *c = client.createCall(request);
    Answer answer;
    bool done = false;
    QObject::connect(c, &UpstreamCall::responseData, &client, [&answer](const QByteArray &d) { answer.body += d; });
    QObject::connect(c, &UpstreamCall::finished, &client, [&] {
        answer.status = c->status();
        done = true;
    });
    QObject::connect(c, &UpstreamCall::failed, &client, [&](ErrorClass, const QString &message) {
        answer.failure = message;
        done = true;
    });
    c->start();
    const QDeadlineTimer deadline(10000);
    while (!done && !deadline.hasExpired())
        QTest::qWait(10);
    if (!done)
        answer.failure = QStringLiteral("no answer within 10 s");
    return answer;
}

QList<QSslCertificate> testCertificate()
{
    return QSslCertificate::fromPath(CertPath, QSsl::Pem);
}

} // namespace

class TestTlsListen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void servesHttpsThroughEveryWorker();
    void plainHttpOnTheTlsPortGetsNoAnswer();
    void untrustedClientsAreRefusedByTheirOwnCheck();
    void brokenSettingsStopTheStart_data();
    void brokenSettingsStopTheStart();
    void configFileRules_data();
    void configFileRules();
    void cliFindsAndTrustsTheGateway();
};

void TestTlsListen::servesHttpsThroughEveryWorker()
{
    FakeProvider up;
    EngineThread gateway(tlsConfig(up), QString(), QString(), 2);
    QVERIFY2(gateway.startFailure().isEmpty(), qPrintable(gateway.startFailure()));
    QVERIFY2(gateway.url().startsWith(QLatin1String("https://127.0.0.1:")), qPrintable(gateway.url()));
    // Four connections (a client per call): the acceptor hands them to both workers.
    for (int i = 0; i < 4; ++i) {
        const Answer health = call(gateway.url() + QStringLiteral("/health"), "GET", {}, testCertificate());
        QCOMPARE(health.failure, QString());
        QCOMPARE(health.status, 200);
        const Answer chat = call(gateway.url() + QStringLiteral("/v1/chat/completions"), "POST",
                                 R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})", testCertificate());
        QCOMPARE(chat.failure, QString());
        QCOMPARE(chat.status, 200);
        QVERIFY2(chat.body.contains("chat.completion"), chat.body.constData());
    }
    QCOMPARE(up.requestCount(), 4);
}

void TestTlsListen::plainHttpOnTheTlsPortGetsNoAnswer()
{
    FakeProvider up;
    EngineThread gateway(tlsConfig(up));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, gateway.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    // The bytes are not a TLS hello: the handshake fails and the connection closes, and no
    // HTTP answer (which would mean the port also speaks plain HTTP) ever comes back.
    QByteArray received;
    const QDeadlineTimer deadline(10000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(100);
        received += socket.readAll();
    }
    received += socket.readAll();
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(!received.startsWith("HTTP/"), received.constData());
}

void TestTlsListen::untrustedClientsAreRefusedByTheirOwnCheck()
{
    FakeProvider up;
    EngineThread gateway(tlsConfig(up));
    // A client that does not trust the self-signed certificate refuses the connection itself.
    const Answer answer = call(gateway.url() + QStringLiteral("/health"), "GET", {}, {});
    QCOMPARE(answer.status, 0);
    QVERIFY2(!answer.failure.isEmpty() && !answer.failure.contains(QLatin1String("no answer")), qPrintable(answer.failure));
    QCOMPARE(up.requestCount(), 0);
}

void TestTlsListen::brokenSettingsStopTheStart_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing certificate") << TlsDir + QStringLiteral("absent.pem") << KeyPath << QStringLiteral("listen.tls_cert: cannot read");
    QTest::newRow("missing key") << CertPath << TlsDir + QStringLiteral("absent.pem") << QStringLiteral("listen.tls_key: cannot read");
    QTest::newRow("key as certificate") << KeyPath << KeyPath << QStringLiteral("holds no PEM certificate");
    QTest::newRow("certificate as key") << CertPath << CertPath << QStringLiteral("holds no unencrypted PEM private key");
    QTest::newRow("key of another certificate") << CertPath << OtherKeyPath << QStringLiteral("does not belong to the certificate");
}

void TestTlsListen::brokenSettingsStopTheStart()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    FakeProvider up;
    Config config = tlsConfig(up);
    config.listen.tlsCert = cert;
    config.listen.tlsKey = key;
    EngineThread gateway(config);
    QVERIFY2(gateway.startFailure().contains(expected), qPrintable(gateway.startFailure()));
    QCOMPARE(gateway.url(), QString()); // never falls back to plain HTTP
}

void TestTlsListen::configFileRules_data()
{
    QTest::addColumn<QByteArray>("listen");
    QTest::addColumn<QString>("expected"); // empty: accepted
    QTest::newRow("both") << QByteArray(R"({"tls_cert":"/etc/c.pem","tls_key":"/etc/k.pem"})") << QString();
    QTest::newRow("cert only") << QByteArray(R"({"tls_cert":"/etc/c.pem"})") << QStringLiteral("listen.tls_key");
    QTest::newRow("key only") << QByteArray(R"({"tls_key":"/etc/k.pem"})") << QStringLiteral("listen.tls_cert");
    QTest::newRow("relative") << QByteArray(R"({"tls_cert":"c.pem","tls_key":"/etc/k.pem"})")
                              << QStringLiteral("listen.tls_cert: must be an absolute path");
}

void TestTlsListen::configFileRules()
{
    QFETCH(QByteArray, listen);
    QFETCH(QString, expected);
    const Result<Config, QStringList> parsed = ConfigParser::parse(R"({"version":1,"providers":[],"aliases":[],"listen":)" + listen + '}');
    if (expected.isEmpty()) {
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().join(QLatin1Char('\n'))));
        QVERIFY(parsed.value().listen.tls());
        // Written back and read again: the paths survive.
        const auto again = ConfigParser::parse(ConfigWriter::toBytes(parsed.value(), ConfigWriter::Keys::Clear));
        QVERIFY(again);
        QCOMPARE(again.value().listen, parsed.value().listen);
        return;
    }
    QVERIFY(!parsed);
    QVERIFY2(parsed.error().join(QLatin1Char('\n')).contains(expected), qPrintable(parsed.error().join(QLatin1Char('\n'))));
}

void TestTlsListen::cliFindsAndTrustsTheGateway()
{
    FakeProvider up;
    QTemporaryDir dir;
    Config config = tlsConfig(up);
    config.listen.port = 0;
    EngineThread engine(config, dir.filePath(QStringLiteral("requests.db")));
    QVERIFY(engine.port() != 0);
    const QString url = QStringLiteral("https://127.0.0.1:%1").arg(engine.port());
    const Answer chat = call(url + QStringLiteral("/v1/chat/completions"), "POST",
                             R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})", testCertificate());
    QCOMPARE(chat.status, 200);
    QVERIFY(engine.waitForWritten(1));

    config.listen.port = engine.port();
    const QString configPath = dir.filePath(QStringLiteral("config.json"));
    QVERIFY(ConfigFile::save(configPath, ConfigWriter::toBytes(config, ConfigWriter::Keys::Clear)));
    CommandLineOptions options;
    options.action = CommandLineOptions::Action::Requests;
    options.configPath = configPath;
    options.configGiven = true;
    const auto target = AdminClient::locate(options);
    QVERIFY(target);
    QCOMPARE(target.value().base.scheme(), QStringLiteral("https"));
    QCOMPARE(target.value().trusted, testCertificate());

    // `switchyard requests --config FILE`: over HTTPS, trusting the certificate the file names.
    QString out;
    QString err;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    const int exitCode = AdminClient::run(options, outStream, errStream);
    outStream.flush();
    errStream.flush();
    QVERIFY2(exitCode == AdminClient::Success, qPrintable(err));
    QVERIFY2(out.contains(QLatin1String("general")), qPrintable(out));
}

QTEST_GUILESS_MAIN(TestTlsListen)
#include "tst_TlsListen.moc"
