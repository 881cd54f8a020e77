// SPDX-License-Identifier: GPL-3.0-or-later
// The views against the real engine and real traffic from fake upstreams: an edit in the
// routes editor changes where the next request goes, and a replay from the failures view
// creates a log row linked by replay_of.
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/log/LogReader.h"
#include "core/proxy/ProxyEngine.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "ui/EngineLink.h"
#include "ui/EngineLinkWiring.h"
#include "ui/failures/FailuresPage.h"
#include "ui/routes/ConfigHistoryDialog.h"
#include "ui/routes/RoutesPage.h"
#include "ui/routes/TargetsModel.h"
#include "ui/traces/PendingCallsModel.h"
#include "ui/traces/PendingCallsView.h"
#include "ui/traces/TraceModel.h"
#include "ui/traces/DiffView.h"
#include "ui/traces/TracesPage.h"
#include <future>
#include <QAbstractItemModelTester>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
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
    void applyKeepsTheFilesAddress();
    void callsInFlightAreListed();
    void historyRestoresAnEarlierConfig();
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
        wireEngineLink(engine->engine(), link.get()); // as AppWiring does
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

// Issue 16, problem 2: the engine runs on the address --port gave (here the test's own
// port), the file says 4141; whatever the window saves keeps the file's address, even when
// the file on disk cannot be read back (a hand edit the loader refused).
void TestWindowEndToEnd::applyKeepsTheFilesAddress()
{
    Rig rig;
    const QString path = rig.dir.filePath(QStringLiteral("config.json"));
    ListenConfig fileListen;
    fileListen.port = 4141;
    rig.link->onConfigFileLoaded(fileListen); // as AppWiring does at start
    Config inUse = rig.config;
    inUse.listen.port = 0; // what the engine runs on, from the command line
    rig.link->onConfigApplied(inUse);
    QCOMPARE(rig.link->config().listen.port, 4141);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ \"version\": 1, \"aliases\": [ { \"name\": ");
    }
    rig.link->onConfigFileRejected({path + QStringLiteral(": not valid JSON")});

    RoutesPage page(rig.link.get());
    TargetsModel *targets = page.targetsModel();
    targets->setAliasRow(0);
    QVERIFY(targets->setData(targets->index(0, TargetsModel::ModelColumn), QStringLiteral("model-a2")));
    QSignalSpy saved(rig.link.get(), &EngineLink::configSaved);
    page.replaceConfigFile();
    QVERIFY(saved.wait(10000));
    QVERIFY2(saved.constFirst().at(1).toStringList().isEmpty(), qPrintable(saved.constFirst().at(1).toStringList().join(QLatin1Char('\n'))));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Result<Config, QStringList> written = ConfigParser::parse(file.readAll());
    QVERIFY(written);
    QCOMPARE(written.value().listen.port, 4141);
    QCOMPARE(written.value().aliases.constFirst().targets.constFirst().model, QStringLiteral("model-a2"));
    // Applied later, the window's config still holds the file's address, not the one in use.
    QTRY_COMPARE(rig.link->config().listen.port, 4141);
}

// Issue 16, problem 7: a slow call shows in Traces while it runs, not only once it finished.
void TestWindowEndToEnd::callsInFlightAreListed()
{
    Rig rig;
    rig.a.enqueue(Behaviour::slowFirstByte(2000));
    TracesPage page(rig.link.get());
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.pending()->isHidden());
    const quint16 port = rig.engine->port();
    std::future<RawHttpClient::Response> call = std::async(std::launch::async, [port] {
        return RawHttpClient::fetch(port, "POST", "/v1/chat/completions", R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})");
    });
    PendingCallsModel *pending = page.pending()->model();
    QTRY_COMPARE_WITH_TIMEOUT(pending->rowCount(), 1, 1500);
    QVERIFY(!page.pending()->isHidden());
    QCOMPARE(pending->index(0, PendingCallsModel::ModelColumn).data().toString(), QStringLiteral("general"));
    QCOMPARE(pending->index(0, PendingCallsModel::EndpointColumn).data().toString(), QStringLiteral("/v1/chat/completions"));
    const QString id = pending->index(0, 0).data(PendingCallsModel::IdRole).toString();
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(pending->index(0, PendingCallsModel::ElapsedColumn).data(PendingCallsModel::SortRole).toLongLong() > 500, 1500);
    // Its phase: the attempt has started and waits for the upstream's first byte.
    QTRY_COMPARE_WITH_TIMEOUT(pending->index(0, PendingCallsModel::PhasesColumn).data().toString(),
                              QStringLiteral("a: waiting for the first byte"), 1500);
    QCOMPARE(pending->record(0).attempts.size(), 1);
    QVERIFY(pending->record(0).attempts.first().requestBody.isEmpty()); // the list carries no bodies
    QTRY_VERIFY_WITH_TIMEOUT(call.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 10000);
    QCOMPARE(call.get().status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(pending->rowCount(), 0, 3000);
    QVERIFY(page.pending()->isHidden());
    QTRY_VERIFY(page.model()->rowOfId(id) >= 0); // and it is a row of the log
}

// Routes → History against the real engine: the window's Apply is a version, its diff shows
// what changed, and restoring the first version sends requests where they went before.
void TestWindowEndToEnd::historyRestoresAnEarlierConfig()
{
    Rig rig;
    QCOMPARE(rig.chat().headers.value("x-switchyard-provider"), QByteArray("a"));
    Config toB = rig.link->config();
    toB.aliases[0].targets = {TestConfigs::target(QStringLiteral("b"), QStringLiteral("model-b"))};
    QSignalSpy saved(rig.link.get(), &EngineLink::configSaved);
    rig.link->requestConfigSave(toB);
    QVERIFY(saved.wait(5000));
    QCOMPARE(saved.constLast().at(1).toStringList(), QStringList());
    QCOMPARE(rig.chat().headers.value("x-switchyard-provider"), QByteArray("b"));

    RoutesPage page(rig.link.get());
    ConfigHistoryDialog *dialog = page.showHistory();
    QSignalSpy listed(dialog, &ConfigHistoryDialog::listed);
    QVERIFY(listed.wait(5000));
    QAbstractItemModelTester tester(dialog->versionsView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTreeWidget *versions = dialog->versionsView();
    QCOMPARE(versions->topLevelItemCount(), 2);
    QCOMPARE(versions->topLevelItem(0)->text(2), QStringLiteral("window")); // newest first, selected
    QCOMPARE(versions->topLevelItem(1)->text(2), QStringLiteral("start"));
    QVERIFY(dialog->diffView()->addedCount() > 0);
    QVERIFY2(dialog->diffView()->toPlainText().contains(QLatin1String("model-b")), qPrintable(dialog->diffView()->toPlainText()));
    QVERIFY(!dialog->restoreButton()->isEnabled()); // the newest is the one in force

    versions->setCurrentItem(versions->topLevelItem(1));
    QVERIFY(dialog->restoreButton()->isEnabled());
    QSignalSpy restored(dialog, &ConfigHistoryDialog::restoreFinished);
    dialog->restoreSelected();
    QVERIFY(restored.wait(5000));
    QCOMPARE(restored.constFirst().at(0).toInt(), 1);
    QCOMPARE(restored.constFirst().at(1).toStringList(), QStringList());
    QCOMPARE(rig.chat().headers.value("x-switchyard-provider"), QByteArray("a"));
    QVERIFY(listed.wait(5000)); // listed again: the restore is a version of its own
    QCOMPARE(versions->topLevelItemCount(), 3);
    QCOMPARE(versions->topLevelItem(0)->text(2), QStringLiteral("restore of version 1"));
    QVERIFY2(dialog->statusText().contains(QLatin1String("in force again")), qPrintable(dialog->statusText()));

    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        versions->setCurrentItem(versions->topLevelItem(1)); // the window's change, with its diff
        dialog->resize(1200, 640);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QDir().mkpath(dir);
        QVERIFY(dialog->grab().save(QDir(dir).filePath(QStringLiteral("config-history.png"))));
    }
    dialog->close();
}

QTEST_MAIN(TestWindowEndToEnd)
#include "tst_WindowEndToEnd.moc"
