// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/RequestTable.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/EngineLink.h"
#include "ui/failures/FailureDetailView.h"
#include "ui/failures/FailureGroupsModel.h"
#include "ui/failures/FailureRequestsModel.h"
#include "ui/failures/FailuresPage.h"
#include "ui/failures/ReplayDialog.h"
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QApplication>
#include <QTest>
#include <QTreeView>

using namespace Switchyard;

class TestFailuresPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void groupsFailuresFromTheLog();
    void liveFailuresUpdateAndAddGroups();
    void liveFailuresDuringALoadAreCountedOnce();
    void relativeAge_data();
    void relativeAge();
    void listsTheRequestsOfAGroup();
    void pageListsRequestsOfTheSelectedGroup();
    void pageShowsAttemptsOfTheSelectedRequest();
    void timeRangeRegroups();
    void replayShowsTheResultBesideTheOriginal();
    void editAndReplaySendsTheEditedBody();
    void dialogValidates_data();
    void dialogValidates();
    void dialogResetsToTheOriginal();
    void dialogSendPassesTheEditedBody();
    void dialogRefusesUnknownModels();
    void everyAttemptShowsWhenNarrow();
    void editedReplayShowsItsBodyAndCountsFollow();
    void screenshot();

private:
    CallRecord failure(qint64 ms, ErrorClass errorClass, const QString &provider, const QString &alias);
    QString writeLog(const QList<CallRecord> &records);
    QList<CallRecord> knownLog();
    static void waitForPage(FailuresPage &page);
    static void selectGroup(FailuresPage &page, const FailureKey &key);
    static void answerReplays(EngineLink &link, QObject *context, int *requested);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Test::SyntheticCalls> m_calls;
    qint64 m_now = 0;
};

namespace {

const FailureKey s_general{ErrorClass::RateLimited, QStringLiteral("openai"), QStringLiteral("general")};
const FailureKey s_long{ErrorClass::Upstream5xx, QStringLiteral("anthropic"), QStringLiteral("long-context")};
const FailureKey s_direct{ErrorClass::ConnectFailed, QStringLiteral("openrouter"), QString()};
constexpr qint64 Minute = 60 * 1000;
constexpr auto Strict = QAbstractItemModelTester::FailureReportingMode::QtTest;

// A page over a log, with a tester on each of its models from before the first row.
struct PageFixture
{
    explicit PageFixture(const QString &logPath)
        : reader(logPath)
        , link(&reader)
        , page(&link)
    {
    }
    LogReader reader;
    EngineLink link;
    FailuresPage page;
    QAbstractItemModelTester groupsTester{page.groupsModel(), Strict};
    QAbstractItemModelTester proxyTester{page.groupsProxy(), Strict};
    QAbstractItemModelTester requestsTester{page.requestsModel(), Strict};
};

CallRecord replayOf(const QString &id, qint64 nowMs)
{
    Test::SyntheticCalls calls(77);
    CallRecord r = calls.one(nowMs, false);
    r.id = QStringLiteral("req_replay_") + id.right(6);
    r.alias = r.requestedModel = QStringLiteral("general");
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.usage.promptTokens = 412;
    r.usage.completionTokens = 96;
    r.costUsd = (412 * 0.80 + 96 * 4.00) / 1e6;
    r.replayOf = id;
    r.provider = QStringLiteral("anthropic");
    r.model = QStringLiteral("claude-3-5-haiku-latest");
    Attempt limited = r.attempts.first();
    limited.provider = QStringLiteral("openai");
    limited.model = QStringLiteral("gpt-4o-mini");
    limited.status = 429;
    limited.errorClass = ErrorClass::RateLimited;
    limited.message = QStringLiteral("openai/gpt-4o-mini: 429 Too Many Requests (retry after 2 s)");
    limited.durationMs = 180;
    r.attempts.first().provider = r.provider;
    r.attempts.first().model = r.model;
    r.attempts.first().startedAfterMs = 200;
    r.attempts.first().durationMs = r.durationMs - 200;
    r.attempts.prepend(limited);
    return r;
}

} // namespace

void TestFailuresPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_calls = std::make_unique<Test::SyntheticCalls>(4141);
    m_now = QDateTime::currentMSecsSinceEpoch();
}

CallRecord TestFailuresPage::failure(qint64 ms, ErrorClass errorClass, const QString &provider, const QString &alias)
{
    CallRecord r = m_calls->one(ms, true);
    r.errorClass = errorClass;
    r.provider = provider;
    r.alias = alias;
    r.requestedModel = alias.isEmpty() ? provider + QStringLiteral("/model") : alias;
    r.errorMessage = QStringLiteral("%1/%2: %3").arg(provider, r.model, errorClassName(errorClass));
    for (Attempt &a : r.attempts) {
        a.provider = provider;
        a.errorClass = errorClass;
        a.message = r.errorMessage;
    }
    return r;
}

QString TestFailuresPage::writeLog(const QList<CallRecord> &records)
{
    const QString path = m_dir->filePath(QStringLiteral("log.sqlite"));
    LogWriter writer(path, LogConfig());
    if (!writer.open())
        qFatal("cannot open the test log: %s", qPrintable(writer.errorString()));
    writer.append(records);
    writer.flush();
    return path;
}

// Two hours of calls: six known failures in three groups among successes, and one failure
// three days old.
QList<CallRecord> TestFailuresPage::knownLog()
{
    const qint64 base = m_now - 2 * 60 * Minute;
    QList<CallRecord> records = m_calls->generate(20, base, m_now - Minute, 0.0);
    records << failure(m_now - 3 * 24 * 60 * Minute, s_general.errorClass, s_general.provider, s_general.alias)
            << failure(base + 5 * Minute, s_long.errorClass, s_long.provider, s_long.alias)
            << failure(base + 10 * Minute, s_general.errorClass, s_general.provider, s_general.alias)
            << failure(base + 15 * Minute, s_direct.errorClass, s_direct.provider, s_direct.alias)
            << failure(base + 20 * Minute, s_general.errorClass, s_general.provider, s_general.alias)
            << failure(base + 30 * Minute, s_general.errorClass, s_general.provider, s_general.alias)
            << failure(base + 40 * Minute, s_long.errorClass, s_long.provider, s_long.alias);
    return records;
}

void TestFailuresPage::waitForPage(FailuresPage &page)
{
    QTRY_VERIFY_WITH_TIMEOUT(!page.groupsModel()->isLoading(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!page.requestsModel()->isLoading() && !page.currentRequestId().isEmpty(), 10000);
}

void TestFailuresPage::selectGroup(FailuresPage &page, const FailureKey &key)
{
    auto *view = page.findChild<QTreeView *>(QStringLiteral("groupsView"));
    QVERIFY(view);
    const int row = page.groupsModel()->rowOf(key);
    QVERIFY(row >= 0);
    view->setCurrentIndex(page.groupsProxy()->mapFromSource(page.groupsModel()->index(row, 0)));
    QTRY_VERIFY_WITH_TIMEOUT(!page.requestsModel()->isLoading() && page.requestsModel()->group() == key, 10000);
}

// The engine's side of replay, answered later as from the engine's thread.
void TestFailuresPage::answerReplays(EngineLink &link, QObject *context, int *requested)
{
    connect(&link, &EngineLink::replayRequested, context, [&link, requested](const QString &id, const QByteArray &, quint64 ticket) {
        ++*requested;
        const CallRecord answer = replayOf(id, QDateTime::currentMSecsSinceEpoch());
        QMetaObject::invokeMethod(&link, [&link, ticket, answer] { link.onReplayFinished(ticket, answer, QString()); }, Qt::QueuedConnection);
    });
}

void TestFailuresPage::groupsFailuresFromTheLog()
{
    LogReader reader(writeLog(knownLog()));
    FailureGroupsModel model;
    QAbstractItemModelTester tester(&model, Strict);
    QSignalSpy loaded(&model, &FailureGroupsModel::loaded);

    model.load(&reader, m_now - 24 * 60 * Minute);
    QVERIFY(model.isLoading());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.failureCount(), 6);
    QCOMPARE(model.failuresInRange(), 6);
    // Newest group first.
    QCOMPARE(model.group(0).key, s_long);
    QCOMPARE(model.group(1).key, s_general);
    QCOMPARE(model.group(2).key, s_direct);
    const qint64 base = m_now - 2 * 60 * Minute;
    const FailureGroup general = model.group(1);
    QCOMPARE(general.count, 3);
    QCOMPARE(general.firstSeenMs, base + 10 * Minute);
    QCOMPARE(general.lastSeenMs, base + 30 * Minute);
    QCOMPARE(model.index(1, FailureGroupsModel::CountColumn).data(FailureGroupsModel::SortRole).toLongLong(), 3);
    QCOMPARE(model.index(1, FailureGroupsModel::FirstSeenColumn).data(FailureGroupsModel::SortRole).toLongLong(), base + 10 * Minute);
    QCOMPARE(model.index(1, FailureGroupsModel::LastSeenColumn).data(FailureGroupsModel::SortRole).toLongLong(), base + 30 * Minute);
    QCOMPARE(model.index(1, FailureGroupsModel::LastSeenColumn).data().toString(), QStringLiteral("1 h ago"));
    QCOMPARE(model.index(1, FailureGroupsModel::ErrorClassColumn).data().toString(), QStringLiteral("rate_limited"));
    QCOMPARE(model.index(2, FailureGroupsModel::AliasColumn).data().toString(), QStringLiteral("(direct)"));
    QCOMPARE(model.index(2, FailureGroupsModel::AliasColumn).data(FailureGroupsModel::SortRole).toString(), QString());
    QCOMPARE(model.group(0).count, 2);
    QCOMPARE(model.group(2).count, 1);

    // All time takes in the failure of three days ago.
    model.load(&reader, 0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.failureCount(), 7);
    QCOMPARE(model.group(model.rowOf(s_general)).count, 4);
    QCOMPARE(model.group(model.rowOf(s_general)).firstSeenMs, m_now - 3 * 24 * 60 * Minute);
}

void TestFailuresPage::liveFailuresUpdateAndAddGroups()
{
    LogReader reader(writeLog(knownLog()));
    EngineLink link(&reader);
    FailureGroupsModel model;
    QAbstractItemModelTester tester(&model, Strict);
    connect(&link, &EngineLink::callsArrived, &model, &FailureGroupsModel::addCalls);
    QSignalSpy loaded(&model, &FailureGroupsModel::loaded);
    model.load(&reader, m_now - 24 * 60 * Minute);
    QVERIFY(loaded.wait(10000));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const FailureKey timeouts{ErrorClass::TimeoutFirstByte, QStringLiteral("anthropic"), QStringLiteral("general")};
    const FailureKey bad{ErrorClass::BadUpstreamResponse, QStringLiteral("openai"), QStringLiteral("cheap")};
    link.onCallsFinished({failure(m_now, s_general.errorClass, s_general.provider, s_general.alias), m_calls->one(m_now, false),
                          failure(m_now + 1, timeouts.errorClass, timeouts.provider, timeouts.alias),
                          failure(m_now + 2, timeouts.errorClass, timeouts.provider, timeouts.alias),
                          failure(m_now + 3, bad.errorClass, bad.provider, bad.alias),
                          failure(m_now - 30 * 24 * 60 * Minute, s_long.errorClass, s_long.provider, s_long.alias)});

    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 1); // both new groups in one insert
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.group(model.rowOf(timeouts)).count, 2);
    QCOMPARE(model.group(model.rowOf(timeouts)).lastSeenMs, m_now + 2);
    QCOMPARE(model.group(model.rowOf(bad)).count, 1);
    QVERIFY(changed.count() >= 1);
    const FailureGroup general = model.group(model.rowOf(s_general));
    QCOMPARE(general.count, 4);
    QCOMPARE(general.lastSeenMs, m_now);
    QCOMPARE(general.firstSeenMs, m_now - 110 * Minute);
    QCOMPARE(model.group(model.rowOf(s_long)).count, 2); // the month-old one is outside the range
    QCOMPARE(model.failureCount(), 10);
}

void TestFailuresPage::liveFailuresDuringALoadAreCountedOnce()
{
    const QList<CallRecord> records = knownLog();
    LogReader reader(writeLog(records));
    FailureGroupsModel model;
    QAbstractItemModelTester tester(&model, Strict);
    QSignalSpy loaded(&model, &FailureGroupsModel::loaded);
    model.load(&reader, m_now - 24 * 60 * Minute);
    // One the writer had already committed (the scan sees it), one it had not.
    model.addCalls({records.last(), failure(m_now, s_direct.errorClass, s_direct.provider, s_direct.alias)});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.failureCount(), 7);
    QCOMPARE(model.group(model.rowOf(s_long)).count, 2);
    QCOMPARE(model.group(model.rowOf(s_direct)).count, 2);
}

void TestFailuresPage::relativeAge_data()
{
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(20000) << QStringLiteral("just now");
    QTest::newRow("minutes") << 3 * Minute + 5000 << QStringLiteral("3 min ago");
    QTest::newRow("hours") << 5 * 60 * Minute << QStringLiteral("5 h ago");
    QTest::newRow("one day") << 30 * 60 * Minute << QStringLiteral("1 day ago");
    QTest::newRow("days") << 3 * 24 * 60 * Minute << QStringLiteral("3 days ago");
    QTest::newRow("clock skew") << qint64(-5000) << QStringLiteral("just now");
}

void TestFailuresPage::relativeAge()
{
    QFETCH(qint64, ageMs);
    QFETCH(QString, text);
    QCOMPARE(FailureGroupsModel::relativeAge(m_now - ageMs, m_now), text);
    QVERIFY(!FailureGroupsModel::relativeAge(m_now - 40 * 24 * 60 * Minute, m_now).contains(QLatin1String("ago")));
}

void TestFailuresPage::listsTheRequestsOfAGroup()
{
    const QList<CallRecord> records = knownLog();
    LogReader reader(writeLog(records));
    FailureRequestsModel model;
    QAbstractItemModelTester tester(&model, Strict);
    QSignalSpy loaded(&model, &FailureRequestsModel::loaded);
    model.load(&reader, s_general, m_now - 24 * 60 * Minute);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 3);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(s_general.matches(model.record(row)));
    QVERIFY(model.index(0, FailureRequestsModel::TimeColumn).data(FailureRequestsModel::SortRole).toLongLong()
            > model.index(1, FailureRequestsModel::TimeColumn).data(FailureRequestsModel::SortRole).toLongLong());
    QCOMPARE(model.index(0, FailureRequestsModel::AttemptsColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(0, FailureRequestsModel::StatusColumn).data(FailureRequestsModel::SortRole).toInt(), model.record(0).status);
    QCOMPARE(model.index(0, 0).data(FailureRequestsModel::IdRole).toString(), model.record(0).id);

    // The direct group: an empty alias is matched exactly, not as "any alias".
    model.load(&reader, s_direct, 0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 1);

    model.load(&reader, s_general, 0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 4);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const CallRecord live = failure(m_now, s_general.errorClass, s_general.provider, s_general.alias);
    model.addCalls({live, failure(m_now, s_long.errorClass, s_long.provider, s_long.alias), m_calls->one(m_now, false)});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.record(0).id, live.id);
}

void TestFailuresPage::pageListsRequestsOfTheSelectedGroup()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    EngineLink &link = f.link;
    waitForPage(page);
    QCOMPARE(page.groupsProxy()->rowCount(), 3);
    QCOMPARE(page.requestsModel()->group(), s_long); // the newest group is chosen first

    selectGroup(page, s_general);
    QCOMPARE(page.requestsModel()->rowCount(), 3);
    QTRY_VERIFY(s_general.matches(page.requestsModel()->record(page.requestsModel()->rowOf(page.currentRequestId()))));
    selectGroup(page, s_direct);
    QCOMPARE(page.requestsModel()->rowCount(), 1);
    QTRY_COMPARE(page.currentRequestId(), page.requestsModel()->record(0).id);
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("summary"))->text().contains(QLatin1String("6 failed requests in 3 groups")));

    // A live failure of the shown group appears in both lists.
    link.onCallsFinished({failure(m_now, s_direct.errorClass, s_direct.provider, s_direct.alias)});
    QCOMPARE(page.requestsModel()->rowCount(), 2);
    QCOMPARE(page.groupsModel()->group(page.groupsModel()->rowOf(s_direct)).count, 2);
    QTRY_VERIFY(page.findChild<QLabel *>(QStringLiteral("summary"))->text().contains(QLatin1String("7 failed requests")));
}

void TestFailuresPage::pageShowsAttemptsOfTheSelectedRequest()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    waitForPage(page);
    selectGroup(page, s_general);
    auto *requests = page.findChild<QTreeView *>(QStringLiteral("requestsView"));
    requests->setCurrentIndex(page.requestsModel()->index(1, 0));
    const CallRecord chosen = page.requestsModel()->record(1);
    QCOMPARE(page.currentRequestId(), chosen.id);
    const QString facts = page.detail()->originalText();
    QVERIFY2(facts.contains(QLatin1String("rate_limited")), qPrintable(facts));
    QVERIFY(facts.contains(chosen.errorMessage));
    QVERIFY(facts.contains(QStringLiteral("openai/") + chosen.model));
    QVERIFY(facts.contains(QLatin1String("Attempts")));
    QCOMPARE(chosen.attempts.size(), 2);
    for (const Attempt &a : chosen.attempts) // each attempt's start within the call
        QVERIFY(facts.contains(QLatin1Char('+') + RequestTable::duration(QJsonObject{{QStringLiteral("duration_ms"), a.startedAfterMs}})));
    // The body arrives from the log.
    QTRY_VERIFY_WITH_TIMEOUT(page.detail()->originalBody().contains(QLatin1String("\"messages\"")), 10000);
    QVERIFY(page.findChild<QPushButton *>(QStringLiteral("editReplayButton"))->isEnabled());
}

void TestFailuresPage::timeRangeRegroups()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    waitForPage(page);
    selectGroup(page, s_general);
    auto *range = page.findChild<QComboBox *>(QStringLiteral("timeRange"));
    auto *summary = page.findChild<QLabel *>(QStringLiteral("summary"));

    range->setCurrentIndex(range->findText(QStringLiteral("Last hour")));
    QTRY_VERIFY_WITH_TIMEOUT(!page.groupsModel()->isLoading(), 10000);
    QCOMPARE(page.groupsModel()->rowCount(), 0);
    QCOMPARE(summary->text(), QStringLiteral("No failed requests in the last hour."));
    QCOMPARE(page.requestsModel()->rowCount(), 0);
    QVERIFY(page.currentRequestId().isEmpty());
    QVERIFY(!page.findChild<QPushButton *>(QStringLiteral("replayButton"))->isEnabled());

    range->setCurrentIndex(range->findText(QStringLiteral("All time")));
    QTRY_VERIFY_WITH_TIMEOUT(!page.groupsModel()->isLoading(), 10000);
    QCOMPARE(summary->text(), QStringLiteral("7 failed requests in 3 groups"));
    QTRY_VERIFY_WITH_TIMEOUT(!page.currentRequestId().isEmpty(), 10000);
}

void TestFailuresPage::replayShowsTheResultBesideTheOriginal()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    EngineLink &link = f.link;
    waitForPage(page);
    int requested = 0;
    QObject engine;
    answerReplays(link, &engine, &requested);
    QSignalSpy replays(&link, &EngineLink::replayRequested);
    QSignalSpy finished(&link, &EngineLink::replayFinished);
    const QString id = page.currentRequestId();
    auto *replay = page.findChild<QPushButton *>(QStringLiteral("replayButton"));
    QVERIFY(replay->isEnabled());

    QTest::mouseClick(replay, Qt::LeftButton);
    QCOMPARE(replays.count(), 1);
    QCOMPARE(replays.first().at(0).toString(), id);
    QVERIFY(replays.first().at(1).toByteArray().isEmpty());
    QVERIFY(page.detail()->isReplayRunning());
    QVERIFY(!replay->isEnabled());

    QVERIFY(finished.wait(5000));
    QVERIFY(!page.detail()->isReplayRunning());
    QVERIFY(replay->isEnabled());
    const QString result = page.detail()->replayText();
    QVERIFY2(result.contains(QStringLiteral("req_replay_") + id.right(6)), qPrintable(result));
    QVERIFY(result.contains(QStringLiteral("ok · HTTP 200")));
    QVERIFY(result.contains(QLatin1String("anthropic/claude-3-5-haiku-latest")));
    QVERIFY(result.contains(QLatin1String("replay of ") + id));
    QVERIFY(page.detail()->replayBody().contains(QLatin1String("chat.completion")));
    QVERIFY(page.detail()->originalText().contains(QLatin1String("upstream_5xx"))); // the original stays beside it

    // A result that is not this page's ticket is ignored.
    link.onReplayFinished(9999, CallRecord(), QStringLiteral("not ours"));
    QVERIFY(!page.detail()->replayText().contains(QLatin1String("not ours")));
    QCOMPARE(requested, 1);
}

void TestFailuresPage::editAndReplaySendsTheEditedBody()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    EngineLink &link = f.link;
    waitForPage(page);
    QSignalSpy replays(&link, &EngineLink::replayRequested);
    auto *edit = page.findChild<QPushButton *>(QStringLiteral("editReplayButton"));
    QTRY_VERIFY_WITH_TIMEOUT(edit->isEnabled(), 10000);
    QTest::mouseClick(edit, Qt::LeftButton);
    auto *dialog = page.findChild<ReplayDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isValid());
    dialog->setText(QStringLiteral("{\"model\": \"cheap\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
    QCOMPARE(replays.count(), 1);
    QCOMPARE(replays.first().at(0).toString(), page.currentRequestId());
    const QJsonObject sent = QJsonDocument::fromJson(replays.first().at(1).toByteArray()).object();
    QCOMPARE(sent.value(QLatin1String("model")).toString(), QStringLiteral("cheap"));
    QVERIFY(page.detail()->isReplayRunning());
}

void TestFailuresPage::dialogValidates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("message");
    QTest::newRow("valid") << QStringLiteral("{\"model\": \"general\", \"messages\": []}") << true << QStringLiteral("model \"general\"");
    QTest::newRow("invalid JSON with position") << QStringLiteral("{\n  \"model\": \"general\"\n  \"stream\": true\n}") << false
                                                << QStringLiteral("line 3, column 3: expected \",\" or \"}\"");
    QTest::newRow("unquoted string") << QStringLiteral("{\"model\": general}") << false
                                     << QStringLiteral("line 1, column 11: not a JSON value");
    QTest::newRow("array") << QStringLiteral("[{\"model\": \"general\"}]") << false << QStringLiteral("not an array");
    QTest::newRow("missing model") << QStringLiteral("{\"messages\": []}") << false << QStringLiteral("no \"model\"");
    QTest::newRow("empty model") << QStringLiteral("{\"model\": \"\"}") << false << QStringLiteral("non-empty string");
    QTest::newRow("empty text") << QStringLiteral("  \n") << false << QStringLiteral("empty");
}

void TestFailuresPage::dialogValidates()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, message);
    ReplayDialog dialog(QStringLiteral("req_1"), R"({"model":"general","messages":[]})");
    dialog.setText(text);
    QCOMPARE(dialog.isValid(), valid);
    QVERIFY2(dialog.validationMessage().contains(message), qPrintable(dialog.validationMessage()));
    QCOMPARE(dialog.findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled(), valid);
    QCOMPARE(dialog.editedBody().isEmpty(), !valid);
    const auto marks = dialog.findChild<QPlainTextEdit *>(QStringLiteral("editor"))->extraSelections();
    QCOMPARE(marks.size(), message.startsWith(QLatin1String("line")) ? 1 : 0);
}

void TestFailuresPage::dialogResetsToTheOriginal()
{
    ReplayDialog dialog(QStringLiteral("req_1"), R"({"model":"general","messages":[{"role":"user","content":"hi"}]})");
    const QString original = dialog.text();
    QVERIFY(original.contains(QLatin1String("\n    \"model\": \"general\"")));
    auto *reset = dialog.findChild<QPushButton *>(QStringLiteral("resetButton"));
    QVERIFY(!reset->isEnabled());
    dialog.setText(QStringLiteral("[1, 2"));
    QVERIFY(!dialog.isValid());
    QVERIFY(reset->isEnabled());
    QTest::mouseClick(reset, Qt::LeftButton);
    QCOMPARE(dialog.text(), original);
    QVERIFY(dialog.isValid());
}

void TestFailuresPage::dialogSendPassesTheEditedBody()
{
    ReplayDialog dialog(QStringLiteral("req_1"), R"({"model":"general","messages":[]})");
    QSignalSpy sent(&dialog, &ReplayDialog::sendRequested);
    dialog.setText(QStringLiteral("{\n  \"model\": \"long-context\",\n  \"max_tokens\": 5\n}"));
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.first().at(0).toByteArray(), QByteArray(R"({"max_tokens":5,"model":"long-context"})"));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

// Issue 16, problem 12: at 1024 pixels (a side about 460 wide) long upstream messages do not
// push the later attempts out of view.
void TestFailuresPage::everyAttemptShowsWhenNarrow()
{
    CallRecord r = failure(m_now, ErrorClass::Upstream5xx, QStringLiteral("anthropic"), QStringLiteral("general"));
    const QString longMessage = QStringLiteral("anthropic/claude-3-5-sonnet-latest: 529 overloaded_error: ") + QString(400, QLatin1Char('x'));
    r.attempts = {r.attempts.constFirst(), r.attempts.constFirst(), r.attempts.constFirst()};
    for (int i = 0; i < 3; ++i) {
        r.attempts[i].model = QStringLiteral("model-%1").arg(i + 1);
        r.attempts[i].message = longMessage;
    }
    QTextDocument document;
    document.setDefaultFont(QApplication::font());
    document.setHtml(FailureDetailView::describe(r));
    document.setTextWidth(460);
    const QTextCursor third = document.find(QStringLiteral("anthropic/model-3"));
    QVERIFY(!third.isNull());
    const qreal y = document.documentLayout()->blockBoundingRect(third.block()).top();
    QVERIFY2(y < 400, qPrintable(QString::number(y)));
    QVERIFY(document.toPlainText().contains(QStringLiteral("…")));
}

// Issue 16, problem 9: Edit & Replay does not call an unknown model valid.
void TestFailuresPage::dialogRefusesUnknownModels()
{
    ReplayDialog dialog(QStringLiteral("req_1"), R"({"model":"general","messages":[]})");
    dialog.setKnownModels({QStringLiteral("general"), QStringLiteral("cheap")}, {QStringLiteral("openai")});
    QVERIFY(dialog.isValid());
    dialog.setText(QStringLiteral("{\"model\": \"gpt-9-turbo\"}"));
    QVERIFY(!dialog.isValid());
    QVERIFY2(dialog.validationMessage().contains(QLatin1String("No alias or provider is called \"gpt-9-turbo\"")),
             qPrintable(dialog.validationMessage()));
    QVERIFY(dialog.validationMessage().contains(QLatin1String("general, cheap")));
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled());
    dialog.setText(QStringLiteral("{\"model\": \"openai/gpt-4o\"}"));
    QVERIFY(dialog.isValid());
    dialog.setText(QStringLiteral("{\"model\": \"nobody/gpt-4o\"}"));
    QVERIFY(!dialog.isValid());
    dialog.setText(QStringLiteral("{\"model\": \"cheap\"}"));
    QVERIFY(dialog.isValid());
}

// Issue 16, problem 9: after an edited replay the replay side shows the body that was sent,
// and a new failure of the group shows in the requests' count at once.
void TestFailuresPage::editedReplayShowsItsBodyAndCountsFollow()
{
    PageFixture f(writeLog(knownLog()));
    FailuresPage &page = f.page;
    EngineLink &link = f.link;
    waitForPage(page);
    QObject engine;
    connect(&link, &EngineLink::replayRequested, &engine, [&link](const QString &id, const QByteArray &body, quint64 ticket) {
        CallRecord answer = replayOf(id, QDateTime::currentMSecsSinceEpoch());
        answer.requestBody = body;
        QMetaObject::invokeMethod(&link, [&link, ticket, answer] { link.onReplayFinished(ticket, answer, QString()); }, Qt::QueuedConnection);
    });
    QSignalSpy finished(&link, &EngineLink::replayFinished);
    auto *edit = page.findChild<QPushButton *>(QStringLiteral("editReplayButton"));
    QTRY_VERIFY_WITH_TIMEOUT(edit->isEnabled(), 10000);
    QTest::mouseClick(edit, Qt::LeftButton);
    auto *dialog = page.findChild<ReplayDialog *>();
    QVERIFY(dialog);
    dialog->setText(QStringLiteral("{\"model\": \"cheap\", \"max_tokens\": 7}"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
    QVERIFY(finished.wait(5000));
    QVERIFY2(page.detail()->replayBody().contains(QLatin1String("\"max_tokens\": 7")), qPrintable(page.detail()->replayBody()));
    QVERIFY(page.detail()->replayBody().contains(QLatin1String("chat.completion")));

    auto *title = page.findChild<QLabel *>(QStringLiteral("requestsTitle"));
    QVERIFY(title);
    const int before = page.requestsModel()->rowCount();
    QVERIFY(title->text().contains(QStringLiteral("(%1)").arg(before)));
    const FailureKey key = page.requestsModel()->group();
    link.onCallsFinished({failure(QDateTime::currentMSecsSinceEpoch(), key.errorClass, key.provider, key.alias)});
    QTRY_COMPARE(page.requestsModel()->rowCount(), before + 1);
    QVERIFY2(title->text().contains(QStringLiteral("(%1)").arg(before + 1)), qPrintable(title->text()));
}

void TestFailuresPage::screenshot()
{
    QList<CallRecord> records = m_calls->generate(4000, m_now - 8 * 60 * Minute, m_now - Minute, 0.09);
    PageFixture f(writeLog(records));
    FailuresPage &page = f.page;
    EngineLink &link = f.link;
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    waitForPage(page);
    QVERIFY(page.groupsModel()->rowCount() > 10);
    selectGroup(page, s_general);
    QTRY_VERIFY_WITH_TIMEOUT(page.findChild<QPushButton *>(QStringLiteral("editReplayButton"))->isEnabled(), 10000);
    int requested = 0;
    QObject engine;
    answerReplays(link, &engine, &requested);
    page.replay();
    QTRY_VERIFY_WITH_TIMEOUT(page.detail()->replayText().contains(QLatin1String("replay of")), 5000);

    const QImage image = page.grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("failures.png"))));
    }
}

QTEST_MAIN(TestFailuresPage)
#include "tst_FailuresPage.moc"
