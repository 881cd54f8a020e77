// SPDX-License-Identifier: GPL-3.0-or-later
// The views against the real engine and real traffic from fake upstreams: an edit in the
// routes editor changes where the next request goes, and a replay from the failures view
// creates a log row linked by replay_of.
#include "core/log/LogReader.h"
#include "core/proxy/ProxyEngine.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "ui/EngineLink.h"
#include "ui/failures/FailuresPage.h"
#include "ui/routes/RoutesPage.h"
#include "ui/routes/TargetsModel.h"
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using Behaviour = FakeProvider::Behaviour;

class TestWindowEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routesEditChangesWhereRequestsGo();
    void replayFromFailuresIsLinked();
};

namespace {

// The engine with its log, and a window link wired to it the way AppWiring does.
struct Rig
{
    FakeProvider a;
    FakeProvider b;
    QTemporaryDir dir;
    Config config;
    std::unique_ptr<EngineThread> engine;
    std::unique_ptr<LogReader> reader;
    std::unique_ptr<EngineLink> link;

    Rig()
    {
        config = TestConfigs::base();
        config.providers = {TestConfigs::provider(QStringLiteral("a"), a.port()), TestConfigs::provider(QStringLiteral("b"), b.port())};
        config.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                             {TestConfigs::target(QStringLiteral("a"), QStringLiteral("model-a"))})};
        const QString db = dir.filePath(QStringLiteral("log.db"));
        engine = std::make_unique<EngineThread>(config, db, dir.filePath(QStringLiteral("config.json")));
        reader = std::make_unique<LogReader>(db);
        link = std::make_unique<EngineLink>(reader.get());
        ProxyEngine *e = engine->engine();
        EngineLink *l = link.get();
        QObject::connect(e, &ProxyEngine::configApplied, l, &EngineLink::onConfigApplied, Qt::QueuedConnection);
        QObject::connect(e, &ProxyEngine::callsFinished, l, &EngineLink::onCallsFinished, Qt::QueuedConnection);
        QObject::connect(e, &ProxyEngine::replayFinished, l, &EngineLink::onReplayFinished, Qt::QueuedConnection);
        QObject::connect(e, &ProxyEngine::routeTested, l, &EngineLink::onRouteTested, Qt::QueuedConnection);
        QObject::connect(e, &ProxyEngine::routeExplained, l, &EngineLink::onRouteExplained, Qt::QueuedConnection);
        QObject::connect(e, &ProxyEngine::configSaved, l, &EngineLink::onConfigSaved, Qt::QueuedConnection);
        QObject::connect(l, &EngineLink::replayRequested, e, &ProxyEngine::replayRequest, Qt::QueuedConnection);
        QObject::connect(l, &EngineLink::routeTestRequested, e, &ProxyEngine::testRoute, Qt::QueuedConnection);
        QObject::connect(l, &EngineLink::routeExplanationRequested, e, &ProxyEngine::explainRoute, Qt::QueuedConnection);
        QObject::connect(l, &EngineLink::configSaveRequested, e, &ProxyEngine::saveConfig, Qt::QueuedConnection);
        // The engine started before the link existed: hand it the config it runs on, with
        // the address the file would hold.
        Config shown = config;
        shown.listen.port = 4141;
        link->onConfigApplied(shown);
    }

    RawHttpClient::Response chat()
    {
        return RawHttpClient::fetch(engine->port(), "POST", "/v1/chat/completions",
                                    R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})");
    }
};

} // namespace

void TestWindowEndToEnd::routesEditChangesWhereRequestsGo()
{
    Rig rig;
    QCOMPARE(rig.chat().headers.value("x-switchyard-provider"), QByteArray("a"));

    RoutesPage page(rig.link.get());
    TargetsModel *targets = page.targetsModel();
    targets->setAliasRow(0);
    QVERIFY(targets->setData(targets->index(0, TargetsModel::ProviderColumn), QStringLiteral("b")));
    QVERIFY(targets->setData(targets->index(0, TargetsModel::ModelColumn), QStringLiteral("model-b")));
    QTRY_VERIFY_WITH_TIMEOUT(page.canApply(), 5000);
    QSignalSpy saved(rig.link.get(), &EngineLink::configSaved);
    page.apply();
    QVERIFY(saved.wait(10000));
    QVERIFY2(saved.constFirst().at(1).toStringList().isEmpty(), qPrintable(saved.constFirst().at(1).toStringList().join(QLatin1Char('\n'))));

    const auto after = rig.chat();
    QCOMPARE(after.status, 200);
    QCOMPARE(after.headers.value("x-switchyard-provider"), QByteArray("b"));
    QCOMPARE(rig.b.requestCount(), 1);
    QVERIFY(rig.b.requests().constFirst().body.contains("\"model-b\""));
    // Saved to the file too, with the file's own address.
    QVERIFY(QFile::exists(rig.dir.filePath(QStringLiteral("config.json"))));
}

void TestWindowEndToEnd::replayFromFailuresIsLinked()
{
    Rig rig;
    rig.a.enqueue(Behaviour::httpError(503, QStringLiteral("overloaded")));
    rig.a.enqueue(Behaviour::httpError(503, QStringLiteral("overloaded")));
    QCOMPARE(rig.chat().status, 503);
    QVERIFY(rig.engine->waitForWritten(1));

    FailuresPage page(rig.link.get());
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY_WITH_TIMEOUT(!page.currentRequestId().isEmpty(), 10000);
    const QString original = page.currentRequestId();

    QSignalSpy finished(rig.link.get(), &EngineLink::replayFinished);
    page.replay();
    QVERIFY(finished.wait(10000));
    const CallRecord replay = finished.constFirst().at(1).value<CallRecord>();
    QVERIFY2(finished.constFirst().at(2).toString().isEmpty(), qPrintable(finished.constFirst().at(2).toString()));
    QVERIFY(replay.ok); // the upstream recovered
    QCOMPARE(replay.replayOf, original);
    QVERIFY(replay.id != original);

    // The replay is a row of the log, linked to the original.
    QVERIFY(rig.engine->waitForWritten(2));
    std::optional<CallRecord> stored;
    rig.reader->query<Result<CallRecord>>(
        rig.link.get(), [id = replay.id](LogQueries &q) { return q.request(id); },
        [&stored](const Result<CallRecord> &r) {
            if (r)
                stored = r.value();
        });
    QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 5000);
    QCOMPARE(stored->replayOf, original);
}

QTEST_MAIN(TestWindowEndToEnd)
#include "tst_WindowEndToEnd.moc"
