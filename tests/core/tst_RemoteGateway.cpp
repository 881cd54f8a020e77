// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteGateway: the window's engine for a window attached to another instance, on its own
// thread like ProxyEngine, against a real engine (real sockets, a real SQLite log) through the
// admin API; and, for the event stream's reconnection, against a scripted fake gateway.
#include "core/admin/RequestJson.h"
#include "core/config/ConfigWriter.h"
#include "core/remote/RemoteGateway.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

class TestRemoteGateway final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsAndFollowsFinishedCalls();
    void unreachableGatewayFailsToStart();
    void tokenIsNeededAndAccepted();
    void httpsTrustsTheGatewayCertificate();
    void replaysLoggedRequest();
    void explainsAndTestsRoutes();
    void savesConfigLive();
    void listsAndRestoresHistory();
    void runsEvaluationToTheEnd();
    void eventStreamReconnects();
};

namespace {

constexpr int Timeout = 15000;

// A RemoteGateway on its own thread; what it emits is collected on the test's thread.
class Remote final : public QObject
{
public:
    explicit Remote(const QString &url, const QString &token = QString(), const QList<QSslCertificate> &trusted = {})
        : gateway(new RemoteGateway(AdminClient::Target{QUrl(url), token, trusted}))
    {
        gateway->moveToThread(&thread);
        const auto queued = Qt::QueuedConnection;
        connect(gateway, &RemoteGateway::started, this, [this](const QString &u) { urls << u; }, queued);
        connect(gateway, &RemoteGateway::startFailed, this, [this](const QString &m) { failures << m; }, queued);
        connect(gateway, &RemoteGateway::configApplied, this, [this](const Config &c) { configs << c; }, queued);
        connect(gateway, &RemoteGateway::callsFinished, this, [this](const QList<CallRecord> &r) { batches << r; calls << r; }, queued);
        connect(gateway, &RemoteGateway::connectionChanged, this, [this](bool up, const QString &m) { connection << std::pair{up, m}; }, queued);
        connect(gateway, &RemoteGateway::replayFinished, this,
                [this](quint64 t, const CallRecord &r, const QString &e) { replays[t] = std::pair{r, e}; }, queued);
        connect(gateway, &RemoteGateway::routeTested, this, [this](quint64 t, const CallRecord &r) { tested[t] = r; }, queued);
        connect(gateway, &RemoteGateway::routeExplained, this,
                [this](quint64 t, const QJsonObject &p, const QString &e) { explained[t] = std::pair{p, e}; }, queued);
        connect(gateway, &RemoteGateway::configSaved, this, [this](quint64 t, const QStringList &e) { saved[t] = e; }, queued);
        connect(gateway, &RemoteGateway::configHistoryListed, this,
                [this](quint64 t, const QList<ConfigVersion> &v) { histories[t] = v; }, queued);
        connect(gateway, &RemoteGateway::evaluationEstimated, this,
                [this](quint64 t, const QJsonObject &e, const QStringList &errors) { estimates[t] = std::pair{e, errors}; }, queued);
        connect(gateway, &RemoteGateway::evaluationStarted, this,
                [this](quint64 t, const QString &id, const QStringList &errors) { evaluations[t] = std::pair{id, errors}; }, queued);
        connect(gateway, &RemoteGateway::evaluationChanged, this, [this](const QJsonObject &r) { reports << r; }, queued);
        thread.start();
    }
    ~Remote() override
    {
        QMetaObject::invokeMethod(gateway, [g = gateway] { g->stop(); delete g; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    // Runs `f(gateway)` on the gateway's thread, as a queued call from the window would.
    template <typename F>
    void run(F f)
    {
        QMetaObject::invokeMethod(gateway, [g = gateway, f] { f(g); }, Qt::QueuedConnection);
    }
    void start() { run([](RemoteGateway *g) { g->start(Config()); }); }
    bool connected() const { return !connection.isEmpty() && connection.constLast().first; }
    bool hasAlias(const QString &name) const
    {
        return !configs.isEmpty() && configs.constLast().alias(name) != nullptr;
    }

    QThread thread;
    RemoteGateway *gateway;
    QStringList urls, failures;
    QList<Config> configs;
    QList<QList<CallRecord>> batches;
    QList<CallRecord> calls;
    QList<std::pair<bool, QString>> connection;
    QHash<quint64, std::pair<CallRecord, QString>> replays;
    QHash<quint64, CallRecord> tested;
    QHash<quint64, std::pair<QJsonObject, QString>> explained;
    QHash<quint64, QStringList> saved;
    QHash<quint64, QList<ConfigVersion>> histories;
    QHash<quint64, std::pair<QJsonObject, QStringList>> estimates;
    QHash<quint64, std::pair<QString, QStringList>> evaluations;
    QList<QJsonObject> reports;
};

QByteArray chat(const QString &model = u"general"_s)
{
    return QJsonDocument(QJsonObject{{u"model"_s, model},
                                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}})
        .toJson(QJsonDocument::Compact);
}

QString callThrough(const EngineThread &engine)
{
    const RawHttpClient::Response r =
        RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", chat(), {{"Content-Type", "application/json"}});
    return r.status == 200 ? QString::fromLatin1(r.headers.value("x-switchyard-request-id")) : QString();
}

// The engine, its log in a temporary directory, and a gateway attached to it and started.
struct Attached
{
    FakeProvider up;
    QTemporaryDir dir;
    EngineThread engine{TestConfigs::oneUpstream(up.port()), dir.filePath(u"requests.db"_s)};
    Remote remote{engine.url()};

    bool start()
    {
        remote.start();
        return QTest::qWaitFor([this] { return remote.connected() || !remote.failures.isEmpty(); }, Timeout)
               && remote.failures.isEmpty();
    }
};

} // namespace

void TestRemoteGateway::startsAndFollowsFinishedCalls()
{
    Attached a;
    QVERIFY(a.start());
    QCOMPARE(a.remote.urls, QStringList{a.engine.url()});
    QVERIFY(a.remote.hasAlias(u"general"_s));
    QCOMPARE(a.remote.configs.constLast().providers.size(), 1);
    QVERIFY(a.remote.connection.constLast().second.contains(a.engine.url()));

    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << callThrough(a.engine);
    QVERIFY(!ids.contains(QString()));
    QTRY_COMPARE_WITH_TIMEOUT(a.remote.calls.size(), 3, Timeout);
    QStringList arrived;
    for (const CallRecord &r : std::as_const(a.remote.calls)) {
        arrived << r.id;
        QCOMPARE(r.alias, u"general"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.ok);
    }
    QCOMPARE(arrived, ids);
    QVERIFY(a.remote.batches.size() <= 3);
}

void TestRemoteGateway::unreachableGatewayFailsToStart()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString url = u"http://127.0.0.1:%1"_s.arg(closed.serverPort());
    closed.close();
    Remote remote(url);
    remote.start();
    QTRY_COMPARE_WITH_TIMEOUT(remote.failures.size(), 1, Timeout);
    QVERIFY2(remote.failures.constFirst().startsWith(u"cannot reach "_s + url + u": "_s), qPrintable(remote.failures.constFirst()));
    QVERIFY(remote.urls.isEmpty());
}

void TestRemoteGateway::tokenIsNeededAndAccepted()
{
    FakeProvider up;
    Config config = TestConfigs::oneUpstream(up.port());
    config.listen.token = u"s3cret-token"_s;
    EngineThread engine(config);
    {
        Remote without(engine.url());
        without.start();
        QTRY_COMPARE_WITH_TIMEOUT(without.failures.size(), 1, Timeout);
        const QString &message = without.failures.constFirst();
        QVERIFY2(message.contains(engine.url()) && message.contains(u"access token"_s) && message.contains(u"--token"_s),
                 qPrintable(message));
    }
    {
        Remote wrong(engine.url(), u"not-it"_s);
        wrong.start();
        QTRY_COMPARE_WITH_TIMEOUT(wrong.failures.size(), 1, Timeout);
        QVERIFY2(wrong.failures.constFirst().contains(u"refused the access token"_s), qPrintable(wrong.failures.constFirst()));
    }
    Remote with(engine.url(), u"s3cret-token"_s);
    with.start();
    QTRY_VERIFY_WITH_TIMEOUT(with.connected(), Timeout);
    QVERIFY(with.failures.isEmpty());
    QCOMPARE(with.urls.size(), 1);
    // The token comes back masked; the stream needs it too (it is open, so it was sent).
    QCOMPARE(with.configs.constLast().listen.token, QString(ConfigWriter::MaskedKey));
}

void TestRemoteGateway::httpsTrustsTheGatewayCertificate()
{
    const QString tls = QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/tls/");
    FakeProvider up;
    Config config = TestConfigs::oneUpstream(up.port());
    config.listen.tlsCert = tls + u"test-cert.pem"_s;
    config.listen.tlsKey = tls + u"test-key.pem"_s;
    EngineThread engine(config);
    QVERIFY2(engine.url().startsWith(u"https://"_s), qPrintable(engine.url() + engine.startFailure()));
    {
        Remote untrusted(engine.url());
        untrusted.start();
        QTRY_COMPARE_WITH_TIMEOUT(untrusted.failures.size(), 1, Timeout);
        QVERIFY2(untrusted.failures.constFirst().startsWith(u"cannot reach "_s + engine.url()), qPrintable(untrusted.failures.constFirst()));
    }
    Remote trusted(engine.url(), QString(), QSslCertificate::fromPath(config.listen.tlsCert, QSsl::Pem));
    trusted.start();
    QTRY_VERIFY_WITH_TIMEOUT(trusted.connected(), Timeout);
    QVERIFY(trusted.failures.isEmpty());
    QVERIFY(trusted.hasAlias(u"general"_s));
    // This gateway keeps no log: the record is what the answer says.
    trusted.run([](RemoteGateway *g) { g->testRoute(u"general"_s, 1); });
    QTRY_VERIFY_WITH_TIMEOUT(trusted.tested.contains(1), Timeout);
    QVERIFY(trusted.tested.value(1).ok);
    QCOMPARE(trusted.tested.value(1).alias, u"general"_s);
    // Its call came through the event stream, over TLS.
    QTRY_VERIFY_WITH_TIMEOUT(!trusted.calls.isEmpty(), Timeout);
    QCOMPARE(trusted.calls.constFirst().id, trusted.tested.value(1).id);
}

void TestRemoteGateway::replaysLoggedRequest()
{
    Attached a;
    QVERIFY(a.start());
    const QString id = callThrough(a.engine);
    QVERIFY(a.engine.waitForWritten(1));
    a.remote.run([id](RemoteGateway *g) { g->replayRequest(id, QByteArray(), 7); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.replays.contains(7), Timeout);
    const auto [record, error] = a.remote.replays.value(7);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(record.replayOf, id);
    QVERIFY(!record.id.isEmpty() && record.id != id);
    QCOMPARE(record.status, 200);

    a.remote.run([](RemoteGateway *g) { g->replayRequest(u"req_unknown"_s, QByteArray(), 8); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.replays.contains(8), Timeout);
    QVERIFY(!a.remote.replays.value(8).second.isEmpty());
    QVERIFY(a.remote.replays.value(8).first.id.isEmpty());
}

void TestRemoteGateway::explainsAndTestsRoutes()
{
    Attached a;
    QVERIFY(a.start());
    a.remote.run([](RemoteGateway *g) { g->explainRoute(u"general"_s, 1); });
    a.remote.run([](RemoteGateway *g) { g->explainRoute(u"no-such-model"_s, 2); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.explained.contains(1) && a.remote.explained.contains(2), Timeout);
    QVERIFY2(a.remote.explained.value(1).second.isEmpty(), qPrintable(a.remote.explained.value(1).second));
    QVERIFY(!a.remote.explained.value(1).first.isEmpty());
    QVERIFY(QJsonDocument(a.remote.explained.value(1).first).toJson().contains("model-a"));
    QVERIFY(!a.remote.explained.value(2).second.isEmpty());

    a.remote.run([](RemoteGateway *g) { g->testRoute(u"general"_s, 3); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.tested.contains(3), Timeout);
    const CallRecord tested = a.remote.tested.value(3);
    QVERIFY2(tested.errorMessage.isEmpty(), qPrintable(tested.errorMessage));
    QVERIFY(!tested.id.isEmpty());
    QVERIFY(tested.ok);
    QCOMPARE(tested.alias, u"general"_s);
    QCOMPARE(tested.provider, u"a"_s);
    QCOMPARE(tested.client, u"switchyard test route"_s);
    QVERIFY(!tested.attempts.isEmpty()); // the logged detail, not a record made up from the answer
}

void TestRemoteGateway::savesConfigLive()
{
    Attached a;
    QVERIFY(a.start());
    QCOMPARE(RawHttpClient::fetch(a.engine.port(), "GET", "/api/route?model=fresh").status, 404);
    Config config = a.remote.configs.constLast();
    config.aliases << TestConfigs::alias(u"fresh"_s, Strategy::Fallback, {TestConfigs::target(u"a"_s, u"model-fresh"_s)});
    a.remote.run([config](RemoteGateway *g) { g->saveConfig(config, 11); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.saved.contains(11), Timeout);
    QVERIFY2(a.remote.saved.value(11).isEmpty(), qPrintable(a.remote.saved.value(11).join(u'\n')));
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.hasAlias(u"fresh"_s), Timeout);
    QCOMPARE(RawHttpClient::fetch(a.engine.port(), "GET", "/api/route?model=fresh").status, 200);

    Config broken = config;
    broken.aliases << TestConfigs::alias(u"lost"_s, Strategy::Fallback, {TestConfigs::target(u"opnai"_s, u"m"_s)});
    a.remote.run([broken](RemoteGateway *g) { g->saveConfig(broken, 12); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.saved.contains(12), Timeout);
    const QStringList errors = a.remote.saved.value(12);
    QVERIFY(!errors.isEmpty());
    QVERIFY2(errors.join(u'\n').contains(u"opnai"_s), qPrintable(errors.join(u'\n')));
}

void TestRemoteGateway::listsAndRestoresHistory()
{
    Attached a;
    QVERIFY(a.start());
    Config config = a.remote.configs.constLast();
    config.aliases << TestConfigs::alias(u"fresh"_s, Strategy::Fallback, {TestConfigs::target(u"a"_s, u"model-fresh"_s)});
    a.remote.run([config](RemoteGateway *g) { g->saveConfig(config, 1); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.saved.contains(1), Timeout);

    a.remote.run([](RemoteGateway *g) { g->listConfigHistory(2); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.histories.contains(2), Timeout);
    const QList<ConfigVersion> versions = a.remote.histories.value(2);
    QVERIFY(versions.size() >= 2);
    for (qsizetype i = 1; i < versions.size(); ++i)
        QVERIFY(versions.at(i - 1).number < versions.at(i).number); // oldest first, as the dialog wants
    const ConfigVersion &last = versions.constLast();
    QCOMPARE(last.source, u"admin API"_s);
    QVERIFY(last.client.contains(u"switchyard-window"_s));
    QVERIFY(last.at.isValid() && qAbs(last.at.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QVERIFY(last.config.contains("\"fresh\""));
    QVERIFY(!versions.at(versions.size() - 2).config.contains("\"fresh\""));
    QVERIFY(QJsonDocument::fromJson(versions.constFirst().config).isObject());

    const int before = versions.at(versions.size() - 2).number;
    a.remote.run([before](RemoteGateway *g) { g->restoreConfigVersion(before, 3); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.saved.contains(3), Timeout);
    QVERIFY2(a.remote.saved.value(3).isEmpty(), qPrintable(a.remote.saved.value(3).join(u'\n')));
    QTRY_VERIFY_WITH_TIMEOUT(!a.remote.hasAlias(u"fresh"_s), Timeout);
    QCOMPARE(RawHttpClient::fetch(a.engine.port(), "GET", "/api/route?model=fresh").status, 404);

    a.remote.run([](RemoteGateway *g) { g->restoreConfigVersion(999, 4); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.saved.contains(4), Timeout);
    QVERIFY(!a.remote.saved.value(4).isEmpty());

    a.remote.run([](RemoteGateway *g) { g->listConfigHistory(5); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.histories.contains(5), Timeout);
    QCOMPARE(a.remote.histories.value(5).size(), versions.size() + 1);
    QCOMPARE(a.remote.histories.value(5).constLast().source, u"restore of version %1"_s.arg(before));
}

void TestRemoteGateway::runsEvaluationToTheEnd()
{
    Attached a;
    QVERIFY(a.start());
    for (int i = 0; i < 3; ++i)
        QVERIFY(!callThrough(a.engine).isEmpty());
    QVERIFY(a.engine.waitForWritten(3));
    const RawHttpClient::Response baseline =
        RawHttpClient::fetch(a.engine.port(), "POST", "/api/baselines", R"({"name":"b","filter":{"alias":"general","limit":5}})",
                             {{"Content-Type", "application/json"}});
    QVERIFY2(baseline.status == 201, baseline.body.constData());

    const QJsonObject alias{{u"targets"_s, QJsonArray{QJsonObject{{u"provider"_s, u"a"_s}, {u"model"_s, u"model-a"_s}}}}};
    a.remote.run([alias](RemoteGateway *g) { g->estimateEvaluation(u"b"_s, alias, 1); });
    a.remote.run([alias](RemoteGateway *g) { g->estimateEvaluation(u"no-such-baseline"_s, alias, 2); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.estimates.contains(1) && a.remote.estimates.contains(2), Timeout);
    QVERIFY2(a.remote.estimates.value(1).second.isEmpty(), qPrintable(a.remote.estimates.value(1).second.join(u'\n')));
    QVERIFY(!a.remote.estimates.value(1).first.isEmpty());
    QVERIFY(!a.remote.estimates.value(2).second.isEmpty());

    a.remote.run([alias](RemoteGateway *g) { g->startEvaluation(u"b"_s, alias, 3); });
    QTRY_VERIFY_WITH_TIMEOUT(a.remote.evaluations.contains(3), Timeout);
    const auto [id, errors] = a.remote.evaluations.value(3);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!a.remote.reports.isEmpty() && a.remote.reports.constLast().value("state"_L1).toString() != "running"_L1,
                             30000);
    const QJsonObject report = a.remote.reports.constLast();
    QCOMPARE(report.value("id"_L1).toString(), id);
    QCOMPARE(report.value("state"_L1).toString(), u"done"_s);
    // No more polls once it ended.
    const qsizetype reports = a.remote.reports.size();
    QTest::qWait(3 * RemoteGateway::EvaluationPollMs);
    QCOMPARE(a.remote.reports.size(), reports);
}

namespace {

// A scripted gateway on the test's thread: /health, /api/config, and /api/events whose first
// connection sends a keep-alive and two calls in one write, then closes; later ones send one call.
class FakeGateway final : public QObject
{
public:
    FakeGateway()
    {
        server.listen(QHostAddress::LocalHost);
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        });
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(server.serverPort()); }

    static QByteArray event(const QString &id)
    {
        CallRecord r;
        r.id = id;
        r.startedAt = QDateTime::currentDateTimeUtc();
        r.alias = u"general"_s;
        r.status = 200;
        r.ok = true;
        return "event: request\nid: " + id.toUtf8() + "\ndata: " + QJsonDocument(RequestJson::summary(r)).toJson(QJsonDocument::Compact) + "\n\n";
    }

    void answer(QTcpSocket *socket)
    {
        const QByteArray head = socket->readAll();
        const QByteArray path = head.split(' ').value(1);
        if (path == "/api/events") {
            ++streams;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n: connected\n\n");
            if (streams == 1) {
                socket->write(": keep-alive\n\n" + event(u"req_1"_s) + event(u"req_2"_s));
                socket->flush();
                socket->disconnectFromHost();
            } else {
                socket->write(event(u"req_%1"_s.arg(streams + 1)));
            }
            return;
        }
        QByteArray body = R"({"status":"ok"})";
        if (path == "/api/config") {
            ++configReads;
            body = QJsonDocument(ConfigWriter::toJson(TestConfigs::oneUpstream(9))).toJson(QJsonDocument::Compact);
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                      + "\r\n\r\n" + body);
    }

    QTcpServer server;
    int streams = 0;
    int configReads = 0;
};

} // namespace

void TestRemoteGateway::eventStreamReconnects()
{
    FakeGateway fake;
    Remote remote(fake.url());
    remote.start();
    // Connected, dropped (retry in 1 s), connected again.
    QTRY_VERIFY_WITH_TIMEOUT(fake.streams >= 2 && remote.connected(), Timeout);
    QVERIFY(remote.connection.size() >= 3);
    QCOMPARE(remote.connection.at(0).first, true);
    QCOMPARE(remote.connection.at(1).first, false);
    QVERIFY2(remote.connection.at(1).second.contains(u"trying again in 1 s"_s), qPrintable(remote.connection.at(1).second));
    QTRY_COMPARE_WITH_TIMEOUT(remote.calls.size(), 3, Timeout);
    QCOMPARE(remote.calls.at(0).id, u"req_1"_s);
    QCOMPARE(remote.calls.at(1).id, u"req_2"_s);
    QCOMPARE(remote.calls.at(2).id, u"req_3"_s);
    QCOMPARE(remote.batches.constFirst().size(), 2); // arrived together: one batch
    // After the gap the config is read again.
    QTRY_VERIFY_WITH_TIMEOUT(fake.configReads >= 2, Timeout);
}

QTEST_GUILESS_MAIN(TestRemoteGateway)
#include "tst_RemoteGateway.moc"
