// SPDX-License-Identifier: GPL-3.0-or-later
// The window attached to a remote gateway (`switchyard --attach URL`): a headless Switchyard in
// another process, the real binary with its own config, token and log; this process runs only
// the window, reading that gateway through its admin API and event stream. Calls made to the
// remote appear live; a replay from the Failures view runs on the remote; the title and status
// bar name the gateway; a wrong token says so.
#include "core/remote/RemoteGateway.h"
#include "tests/support/AppProcess.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include "ui/EngineLink.h"
#include "ui/MainWindow.h"
#include "ui/RemoteWindow.h"
#include "ui/failures/FailuresPage.h"
#include "ui/traces/TraceModel.h"
#include "ui/traces/TracesPage.h"
#include <QAction>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray Token = "team-gateway-token";

// A headless gateway in another process, with a token, in front of a fake upstream.
struct RemoteGatewayProcess
{
    QTemporaryDir home;
    FakeProvider upstream;
    std::unique_ptr<AppProcess> process;
    quint16 port = 0;

    RemoteGatewayProcess()
    {
        QJsonObject config = QJsonDocument::fromJson(TestConfigs::oneProviderFile(upstream.baseUrl())).object();
        config.insert(u"listen"_s, QJsonObject{{u"host"_s, u"127.0.0.1"_s}, {u"port"_s, 4141}, {u"token"_s, QString::fromLatin1(Token)}});
        // One attempt per call and no cooldown: a failure the test makes is one upstream answer.
        config.insert(u"retry"_s, QJsonObject{{u"max_attempts"_s, 1}, {u"backoff_ms"_s, 0}});
        config.insert(u"cooldown"_s, QJsonObject{{u"failures"_s, 100}, {u"seconds"_s, 1}});
        const QString configPath = home.filePath(u"gateway.json"_s);
        writeFile(configPath, QJsonDocument(config).toJson());
        QFile::setPermissions(configPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        process = std::make_unique<AppProcess>(home.path());
        port = process->startHeadless(configPath, home.filePath(u"gateway.db"_s));
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(port); }

    RawHttpClient::Response call(const QByteArray &method, const QByteArray &path, const QByteArray &body = {}) const
    {
        QList<std::pair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + Token}};
        if (!body.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return RawHttpClient::fetch(port, method, path, body, headers);
    }
    RawHttpClient::Response chat() const
    {
        return call("POST", "/v1/chat/completions", R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})");
    }
};

AdminClient::Target target(const RemoteGatewayProcess &gateway, const QByteArray &token = Token)
{
    AdminClient::Target t;
    t.base = QUrl(gateway.url());
    t.token = QString::fromLatin1(token);
    return t;
}

} // namespace

class TestAttachedWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void namesTheGatewayAndShowsItsRoutes();
    void callsAppearLive();
    void replayFromFailuresRunsOnTheGateway();
    void wrongTokenSaysSo();
};

void TestAttachedWindow::init()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestAttachedWindow::namesTheGatewayAndShowsItsRoutes()
{
    RemoteGatewayProcess gateway;
    QVERIFY2(gateway.port, qPrintable(gateway.process->failure()));
    RemoteWindow attached(target(gateway));
    attached.start();
    MainWindow *window = attached.window();
    QVERIFY(window->windowTitle().contains(gateway.url()));
    QTRY_VERIFY_WITH_TIMEOUT(window->findChild<QLabel *>(u"statusAddress"_s)->text().contains(u"Attached to the gateway at "_s + gateway.url()),
                             10000);
    // The routes shown are the gateway's own config, keys masked.
    QTRY_VERIFY_WITH_TIMEOUT(!attached.link()->config().aliases.isEmpty(), 10000);
    QCOMPARE(attached.link()->config().aliases.constFirst().name, u"general"_s);
    const auto actions = window->findChildren<QAction *>();
    const auto settings = std::find_if(actions.begin(), actions.end(), [](QAction *a) { return a->text() == u"&Settings…"_s; });
    QVERIFY(settings != actions.end());
    QVERIFY(!(*settings)->isEnabled());
    // Keys of the gateway are not stored in this desktop's keychain.
    auto *setKey = window->findChild<QPushButton *>(u"setKeyButton"_s);
    QVERIFY(setKey);
    QVERIFY(!setKey->isEnabled());
}

void TestAttachedWindow::callsAppearLive()
{
    RemoteGatewayProcess gateway;
    QVERIFY2(gateway.port, qPrintable(gateway.process->failure()));
    RemoteWindow attached(target(gateway));
    QSignalSpy arrived(attached.link(), &EngineLink::callsArrived);
    attached.start();
    QTRY_VERIFY_WITH_TIMEOUT(attached.window()->findChild<QLabel *>(u"statusAddress"_s)->text().startsWith(u"Attached"_s), 10000);
    QTest::qWait(300); // the event stream is opened after the config is read
    const RawHttpClient::Response answer = gateway.chat();
    QCOMPARE(answer.status, 200);
    const QByteArray id = answer.headers.value("x-switchyard-request-id");
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!arrived.isEmpty(), 10000);
    const auto records = arrived.constLast().at(0).value<QList<CallRecord>>();
    QCOMPARE(records.constLast().id.toLatin1(), id);
    // The Traces view lists it, read from the gateway's log.
    auto *traces = attached.window()->findChild<TracesPage *>();
    QVERIFY(traces);
    attached.window()->showPage(MainWindow::TracesPage);
    QTRY_VERIFY_WITH_TIMEOUT(traces->model()->rowCount() >= 1, 10000);

    if (const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR"); !dir.isEmpty()) {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(gateway.chat().status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(traces->model()->rowCount() >= 6, 10000);
        traces->selectRequest(QString::fromLatin1(id));
        attached.window()->resize(1280, 800);
        QVERIFY(QTest::qWaitForWindowExposed(attached.window()));
        QTest::qWait(500);
        QDir().mkpath(dir);
        QVERIFY(attached.window()->grab().save(QDir(dir).filePath(u"attached-window.png"_s)));
    }
}

void TestAttachedWindow::replayFromFailuresRunsOnTheGateway()
{
    RemoteGatewayProcess gateway;
    QVERIFY2(gateway.port, qPrintable(gateway.process->failure()));
    gateway.upstream.enqueue(FakeProvider::Behaviour::httpError(503, u"overloaded"_s));
    QCOMPARE(gateway.chat().status, 503);
    QCOMPARE(gateway.upstream.pendingBehaviours(), 0); // the replay will be answered
    // Attach once the gateway's log holds the failure (it commits every 100 ms).
    QTRY_VERIFY_WITH_TIMEOUT(gateway.call("GET", "/api/requests?status=error").body.contains("upstream_5xx"), 10000);
    RemoteWindow attached(target(gateway));
    attached.start();
    auto *failures = attached.window()->findChild<FailuresPage *>();
    QVERIFY(failures);
    attached.window()->showPage(MainWindow::FailuresPage);
    QTRY_VERIFY_WITH_TIMEOUT(!failures->currentRequestId().isEmpty(), 15000);
    const QString original = failures->currentRequestId();

    QSignalSpy finished(attached.link(), &EngineLink::replayFinished);
    failures->replay();
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.constFirst().at(2).toString().isEmpty(), qPrintable(finished.constFirst().at(2).toString()));
    const CallRecord replay = finished.constFirst().at(1).value<CallRecord>();
    QCOMPARE(replay.replayOf, original);
    // It ran on the gateway: its log holds the replay.
    QJsonArray rows;
    QTRY_VERIFY_WITH_TIMEOUT((rows = QJsonDocument::fromJson(gateway.call("GET", "/api/requests?limit=20").body)
                                         .object()
                                         .value("requests"_L1)
                                         .toArray(),
                              std::any_of(rows.begin(), rows.end(), [&](const QJsonValue &r) { return r["replay_of"_L1].toString() == original; })),
                             10000);
}

void TestAttachedWindow::wrongTokenSaysSo()
{
    RemoteGatewayProcess gateway;
    QVERIFY2(gateway.port, qPrintable(gateway.process->failure()));
    RemoteWindow attached(target(gateway, "not-the-token"));
    attached.start();
    auto *banner = attached.window()->findChild<QLabel *>(u"startFailure"_s);
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
    QVERIFY2(banner->text().contains(u"token"_s), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(gateway.url()));
}

QTEST_MAIN(TestAttachedWindow)
#include "tst_AttachedWindow.moc"
