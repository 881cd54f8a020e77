// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/traces/PendingCallsModel.h"
#include "ui/traces/PendingPhasesDelegate.h"
#include "ui/SemanticColours.h"
#include "ui/EngineLink.h"
#include "ui/traces/JsonTreeModel.h"
#include "ui/traces/TraceModel.h"
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace Switchyard;

Q_DECLARE_METATYPE(Switchyard::RequestFilter)

class TestTraceModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pagesThroughAllRowsWithFetchMore();
    void filters_data();
    void filters();
    void liveRowsGoToTheTopInOneInsert();
    void rowsShownLiveAreNotRepeatedByAPage();
    void oldestLiveRowsAreDroppedAndPageBackIn();
    void staleResultsAfterAFilterChangeAreDropped();
    void unpricedCostIsADashNeverZero();
    void sortRoleHoldsRawValues();
    void unroutedCallsShowTheRequestedModel();
    void pendingCallsComeAndGo();
    void pendingCallsShowTheirPhases();
    void oneClientNameAndReplaysMarked();
    void jsonTreeShowsNesting();
    void jsonTreeCutsLongStrings();
    void jsonTreeFallsBackToText();
    void jsonTreeShowsStreamEvents();

private:
    qint64 expectedCount(const std::function<bool(const CallRecord &)> &accept) const;
    void loadEverything(TraceModel &model);

    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_now = 0;
    QList<CallRecord> m_records;
    std::unique_ptr<LogWriter> m_writer;
    std::unique_ptr<LogReader> m_reader;
};

void TestTraceModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("log.sqlite"));
    m_now = QDateTime::currentMSecsSinceEpoch();
    Test::SyntheticCalls calls(77);
    m_records = calls.generate(5000, m_now - 10LL * 24 * 3600 * 1000, m_now - 60 * 1000, 0.1);
    LogConfig keepBodies; // the calls span ten days, past the default body retention
    keepBodies.bodyRetentionDays = 30;
    m_writer = std::make_unique<LogWriter>(m_path, keepBodies);
    QVERIFY2(m_writer->open(), qPrintable(m_writer->errorString()));
    m_writer->append(m_records);
    m_writer->flush();
    m_reader = std::make_unique<LogReader>(m_path);
}

qint64 TestTraceModel::expectedCount(const std::function<bool(const CallRecord &)> &accept) const
{
    return qint64(std::count_if(m_records.cbegin(), m_records.cend(), accept));
}

void TestTraceModel::loadEverything(TraceModel &model)
{
    QTRY_VERIFY(!model.isLoading());
    while (model.canFetchMore(QModelIndex())) {
        model.fetchMore(QModelIndex());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 20000);
    }
}

void TestTraceModel::pagesThroughAllRowsWithFetchMore()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &TraceModel::pageLoaded);
    QSignalSpy total(&model, &TraceModel::totalCountChanged);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore(QModelIndex()));

    model.setFilter(RequestFilter());
    QTRY_COMPARE(model.rowCount(), TraceModel::PageSize);
    QTRY_COMPARE(model.totalCount(), qint64(5000));
    QVERIFY(model.canFetchMore(QModelIndex()));

    loadEverything(model);
    QCOMPARE(model.rowCount(), 5000);
    QVERIFY(!model.canFetchMore(QModelIndex()));
    QCOMPARE(pages.count(), 5000 / TraceModel::PageSize + 1); // the last page comes back empty
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.insert(model.record(row).id);
        if (row > 0)
            QVERIFY(model.record(row - 1).startedAt >= model.record(row).startedAt);
    }
    QCOMPARE(ids.size(), 5000);
    QCOMPARE(model.record(0).id, m_records.constLast().id);
    QCOMPARE(model.index(0, TraceModel::TimeColumn).data(TraceModel::IdRole).toString(), m_records.constLast().id);
    QCOMPARE(model.headerData(TraceModel::CostColumn, Qt::Horizontal).toString(), QStringLiteral("Cost"));
}

void TestTraceModel::filters_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<qint64>("expected");
    const qint64 day = 24LL * 3600 * 1000;
    RequestFilter errors;
    errors.ok = false;
    QTest::newRow("errors") << errors << expectedCount([](const CallRecord &r) { return !r.ok; });
    RequestFilter alias;
    alias.alias = QStringLiteral("cheap");
    QTest::newRow("alias cheap") << alias << expectedCount([](const CallRecord &r) { return r.alias == QLatin1String("cheap"); });
    RequestFilter provider;
    provider.provider = QStringLiteral("anthropic");
    provider.ok = true;
    QTest::newRow("ok from anthropic") << provider << expectedCount([](const CallRecord &r) {
        return r.ok && r.provider == QLatin1String("anthropic");
    });
    RequestFilter model;
    model.model = QStringLiteral("gpt-4o");
    QTest::newRow("model gpt-4o") << model << expectedCount([](const CallRecord &r) { return r.model == QLatin1String("gpt-4o"); });
    RequestFilter recent;
    recent.sinceMs = m_now - day;
    QTest::newRow("last 24 hours") << recent << expectedCount([&](const CallRecord &r) {
        return r.startedAt.toMSecsSinceEpoch() >= m_now - day;
    });
    RequestFilter text;
    text.text = QStringLiteral("item 42");
    QTest::newRow("text in the body") << text << expectedCount([](const CallRecord &r) {
        return r.requestBody.contains("item 42") || r.responseBody.contains("item 42");
    });
}

void TestTraceModel::filters()
{
    QFETCH(RequestFilter, filter);
    QFETCH(qint64, expected);
    QVERIFY(expected > 0);
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter(filter);
    // Generous: a text search reads compressed bodies, slow under the sanitizers.
    QTRY_COMPARE_WITH_TIMEOUT(model.totalCount(), expected, 20000);
    loadEverything(model);
    QCOMPARE(model.rowCount(), int(expected));
    for (const CallRecord &r : std::as_const(m_records)) {
        if (model.matches(r))
            QVERIFY2(model.rowOfId(r.id) >= 0, qPrintable(r.id));
    }
}

void TestTraceModel::liveRowsGoToTheTopInOneInsert()
{
    EngineLink link(m_reader.get());
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect(&link, &EngineLink::callsArrived, &model, &TraceModel::appendCalls);
    RequestFilter general;
    general.alias = QStringLiteral("general");
    model.setFilter(general);
    QTRY_COMPARE(model.rowCount(), TraceModel::PageSize);
    QTRY_VERIFY(model.totalCount() > 0);
    const qint64 totalBefore = model.totalCount();
    const QString topBefore = model.record(0).id;

    Test::SyntheticCalls calls(991);
    QList<CallRecord> live = calls.generate(12, m_now, m_now + 1100);
    const int matching = int(std::count_if(live.cbegin(), live.cend(), [](const CallRecord &r) { return r.alias == QLatin1String("general"); }));
    QVERIFY(matching > 0 && matching < live.size());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    link.onCallsFinished(live);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), matching - 1);
    QCOMPARE(model.rowCount(), TraceModel::PageSize + matching);
    QCOMPARE(model.record(matching).id, topBefore);
    QCOMPARE(model.totalCount(), totalBefore + matching);
    for (int row = 0; row < matching; ++row) {
        QCOMPARE(model.record(row).alias, QStringLiteral("general"));
        QVERIFY(model.record(row).requestBody.isEmpty()); // bodies are read on demand, not kept
        if (row > 0)
            QVERIFY(model.record(row - 1).startedAt >= model.record(row).startedAt);
    }
    link.onCallsFinished(live); // the same calls again change nothing
    QCOMPARE(inserted.count(), 1);
}

void TestTraceModel::rowsShownLiveAreNotRepeatedByAPage()
{
    Test::SyntheticCalls calls(4242);
    const QList<CallRecord> fresh = calls.generate(3, m_now - 30000, m_now - 20000, 0);
    m_writer->append(fresh);
    m_writer->flush();
    m_records += fresh;

    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter(RequestFilter());
    model.appendCalls(fresh); // before the first page, which holds them too
    QCOMPARE(model.rowCount(), 3);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(), TraceModel::PageSize); // 197 from the page after the 3 live ones
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.insert(model.record(row).id);
    QCOMPARE(ids.size(), model.rowCount());
}

void TestTraceModel::oldestLiveRowsAreDroppedAndPageBackIn()
{
    // A log of its own: the live calls are written too, as the app's log writer would.
    const QString path = m_dir.filePath(QStringLiteral("live.sqlite"));
    LogWriter writer(path, LogConfig());
    QVERIFY(writer.open());
    Test::SyntheticCalls calls(5150);
    const QList<CallRecord> older = calls.generate(1000, m_now - 3600 * 1000, m_now - 1800 * 1000, 0);
    writer.append(older);
    writer.flush();
    LogReader reader(path);
    TraceModel model(&reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter(RequestFilter());
    loadEverything(model);
    QCOMPARE(model.rowCount(), 1000);

    // A day of live calls: the model keeps the newest LiveRowLimit (give or take a page).
    const QList<CallRecord> live = calls.generate(TraceModel::LiveRowLimit + 2000, m_now - 1700 * 1000, m_now, 0);
    writer.append(live);
    writer.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (qsizetype i = 0; i < live.size(); i += 500)
        model.appendCalls(live.mid(i, 500));
    QVERIFY(!removed.isEmpty());
    QVERIFY(model.rowCount() <= TraceModel::LiveRowLimit + 2 * TraceModel::PageSize);
    QVERIFY(model.rowCount() >= TraceModel::LiveRowLimit);
    QCOMPARE(model.record(0).id, live.constLast().id);
    QCOMPARE(model.totalCount(), qint64(older.size() + live.size()));
    QVERIFY(model.canFetchMore(QModelIndex()));

    // Scrolling down brings every dropped row back from the log, once and in order.
    loadEverything(model);
    QCOMPARE(model.rowCount(), older.size() + live.size());
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.insert(model.record(row).id);
        if (row > 0)
            QVERIFY(model.record(row - 1).startedAt >= model.record(row).startedAt);
    }
    QCOMPARE(ids.size(), model.rowCount());

    // Rows the user is looking at stay, however far down.
    const int looking = model.rowCount() - 10;
    model.setLastVisibleRow(looking);
    removed.clear();
    model.appendCalls(calls.generate(TraceModel::PageSize * 2, m_now + 1, m_now + 2000, 0));
    QVERIFY(model.rowCount() > looking);
}

void TestTraceModel::staleResultsAfterAFilterChangeAreDropped()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &TraceModel::pageLoaded);
    RequestFilter ok;
    ok.ok = true;
    RequestFilter errors;
    errors.ok = false;
    model.setFilter(ok);   // its page and count are now on the reader thread...
    model.setFilter(errors); // ...and must not land in this table
    QTRY_COMPARE(pages.count(), 1);
    QTRY_COMPARE(model.totalCount(), expectedCount([](const CallRecord &r) { return !r.ok; }));
    QCOMPARE(model.rowCount(), TraceModel::PageSize);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(!model.record(row).ok);

    // A page asked for by fetchMore is dropped as well.
    model.fetchMore(QModelIndex());
    QVERIFY(model.isLoading());
    model.setFilter(ok);
    QTRY_COMPARE(pages.count(), 2);
    QCOMPARE(model.rowCount(), TraceModel::PageSize); // the stale page came first and was dropped
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.record(row).ok);
}

void TestTraceModel::unpricedCostIsADashNeverZero()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CallRecord unpriced = Test::SyntheticCalls(5).one(m_now, false);
    unpriced.costUsd.reset();
    CallRecord tiny = Test::SyntheticCalls(6).one(m_now - 1, false);
    tiny.costUsd = 0.00000016;
    CallRecord priced = Test::SyntheticCalls(7).one(m_now - 2, false);
    priced.costUsd = 0.0123;
    model.setFilter(RequestFilter());
    model.appendCalls({unpriced, tiny, priced});
    QCOMPARE(model.index(0, TraceModel::CostColumn).data().toString(), QStringLiteral("—"));
    QCOMPARE(model.index(0, TraceModel::CostColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("no price known"));
    QVERIFY(!model.index(0, TraceModel::CostColumn).data(TraceModel::SortRole).isValid());
    QCOMPARE(model.index(1, TraceModel::CostColumn).data().toString(), QStringLiteral("<$0.0001"));
    QCOMPARE(model.index(2, TraceModel::CostColumn).data().toString(), QStringLiteral("$0.0123"));
}

void TestTraceModel::sortRoleHoldsRawValues()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CallRecord r = Test::SyntheticCalls(8).one(m_now, false);
    r.durationMs = 1234;
    r.ttftMs = 310;
    r.costUsd = 0.5;
    r.usage.promptTokens = 1000;
    r.usage.completionTokens = 24;
    model.setFilter(RequestFilter());
    model.appendCalls({r});
    auto sort = [&](int column) { return model.index(0, column).data(TraceModel::SortRole); };
    QCOMPARE(sort(TraceModel::TimeColumn).toLongLong(), m_now);
    QCOMPARE(sort(TraceModel::StatusColumn).toInt(), 200);
    QCOMPARE(sort(TraceModel::DurationColumn).toLongLong(), qint64(1234));
    QCOMPARE(model.index(0, TraceModel::DurationColumn).data().toString(), QStringLiteral("1.23 s"));
    QCOMPARE(sort(TraceModel::TtftColumn).toLongLong(), qint64(310));
    QCOMPARE(model.index(0, TraceModel::TtftColumn).data().toString(), QStringLiteral("310 ms"));
    QCOMPARE(sort(TraceModel::TokensColumn).toLongLong(), qint64(1024));
    QCOMPARE(sort(TraceModel::CostColumn).toDouble(), 0.5);
    QCOMPARE(model.index(0, TraceModel::CostColumn).data().toString(), QStringLiteral("$0.5000"));
    QCOMPARE(model.index(0, TraceModel::StatusColumn).data(TraceModel::OkRole).toBool(), true);
    QCOMPARE(model.index(0, 0).data(TraceModel::RecordRole).value<CallRecord>().id, r.id);
}

// Issue 16, problem 7: calls in flight, one insert per started batch, gone when they finish.
void TestTraceModel::pendingCallsComeAndGo()
{
    PendingCallsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    qint64 now = m_now;
    model.setClock([&now] { return now; });
    CallRecord a = Test::SyntheticCalls(31).one(m_now - 1200, false);
    a.requestedModel = QStringLiteral("general");
    a.stream = true;
    CallRecord b = Test::SyntheticCalls(32).one(m_now - 100, false);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addStarted({a, b});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data(PendingCallsModel::IdRole).toString(), b.id); // newest first
    QCOMPARE(model.index(1, PendingCallsModel::ModelColumn).data().toString(), QStringLiteral("general (stream)"));
    QCOMPARE(model.index(1, PendingCallsModel::ElapsedColumn).data().toString(), QStringLiteral("1.20 s"));
    QCOMPARE(model.index(1, PendingCallsModel::ElapsedColumn).data(PendingCallsModel::SortRole).toLongLong(), qint64(1200));
    now += 1000;
    QCOMPARE(model.index(1, PendingCallsModel::ElapsedColumn).data(PendingCallsModel::SortRole).toLongLong(), qint64(2200));
    model.removeFinished({a});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(PendingCallsModel::IdRole).toString(), b.id);
    model.removeFinished({b});
    QCOMPARE(model.rowCount(), 0);
}

// Issue 16, "pending requests live, with a waterfall of their phases": progress updates the
// row in place; the bars follow the attempts and the first byte.
void TestTraceModel::pendingCallsShowTheirPhases()
{
    PendingCallsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PendingPhasesDelegate delegate(&model);
    const qint64 start = m_now - 3000;
    qint64 now = m_now;
    model.setClock([&now] { return now; });
    CallRecord started;
    started.id = QStringLiteral("req_pending");
    started.startedAt = QDateTime::fromMSecsSinceEpoch(start, Qt::UTC);
    started.requestedModel = QStringLiteral("general");
    CallRecord other = started;
    other.id = QStringLiteral("req_other");
    model.addStarted({started, other, started}); // a start and its progress may share a batch
    QCOMPARE(model.rowCount(), 2);
    model.removeFinished({other});
    QCOMPARE(model.index(0, PendingCallsModel::PhasesColumn).data().toString(), QStringLiteral("routing"));
    QVERIFY(delegate.bars(0).isEmpty());

    // The first attempt failed after 1 s, the second has been waiting since 1.2 s.
    CallRecord progress = started;
    progress.attempts = {Attempt{QStringLiteral("openai"), QStringLiteral("gpt-4o"), 503, ErrorClass::Upstream5xx, {}, 0, 1000, {}},
                         Attempt{QStringLiteral("anthropic"), QStringLiteral("claude"), 0, ErrorClass::None, {}, 1200, 0, {}}};
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addStarted({progress});
    QCOMPARE(inserted.count(), 0); // the same row, updated
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, PendingCallsModel::PhasesColumn).data().toString(),
             QStringLiteral("attempt 2 (anthropic), waiting for the first byte"));
    QList<PendingPhasesDelegate::Bar> bars = delegate.bars(0);
    QCOMPARE(bars.size(), 2);
    QCOMPARE(bars.at(0).toMs, qint64(1000));
    QCOMPARE(bars.at(0).tone, int(SemanticColours::Tone::Error));
    QCOMPARE(bars.at(1).fromMs, qint64(1200));
    QCOMPARE(bars.at(1).toMs, qint64(3000)); // waiting until now
    QCOMPARE(bars.at(1).tone, int(SemanticColours::Tone::Muted));

    // The first byte came at 2.5 s; half a second later it is still receiving.
    progress.ttftMs = 2500;
    model.addStarted({progress});
    now += 500;
    QCOMPARE(model.index(0, PendingCallsModel::PhasesColumn).data().toString(),
             QStringLiteral("attempt 2 (anthropic), receiving · first byte after 1.30 s"));
    bars = delegate.bars(0);
    QCOMPARE(bars.size(), 3);
    QCOMPARE(bars.at(1).toMs, qint64(2500));
    QCOMPARE(bars.at(2).fromMs, qint64(2500));
    QCOMPARE(bars.at(2).toMs, qint64(3500));
    QCOMPARE(bars.at(2).tone, int(SemanticColours::Tone::Info));
    model.removeFinished({progress});
    QCOMPARE(model.rowCount(), 0);
}

// Issue 16, problem 6: a call to an unknown model shows the model the client asked for.
void TestTraceModel::unroutedCallsShowTheRequestedModel()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CallRecord r = Test::SyntheticCalls(9).one(m_now, true);
    r.alias.clear();
    r.provider.clear();
    r.model.clear();
    r.attempts.clear();
    r.requestedModel = QStringLiteral("gpt-9-turbo");
    r.errorClass = ErrorClass::UnknownModel;
    model.setFilter(RequestFilter());
    model.appendCalls({r});
    QCOMPARE(model.index(0, TraceModel::TargetColumn).data().toString(), QStringLiteral("gpt-9-turbo (not routed)"));
    QVERIFY(!model.index(0, TraceModel::TargetColumn).data().toString().startsWith(QLatin1Char('/')));
}

// Issue 16, problems 9 and 14: one name per tool whether its process was found or not, no
// "pid 0", and replays marked in the list.
void TestTraceModel::oneClientNameAndReplaysMarked()
{
    TraceModel model(m_reader.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CallRecord found = Test::SyntheticCalls(10).one(m_now, false);
    found.client = QStringLiteral("curl/7.88.1");
    found.clientProcess = QStringLiteral("curl");
    found.clientPid = 4242;
    CallRecord unknown = Test::SyntheticCalls(11).one(m_now - 1, false);
    unknown.client = QStringLiteral("curl/7.88.1");
    unknown.clientProcess.clear();
    unknown.clientPid = 0;
    CallRecord replay = found;
    replay.id = QStringLiteral("replay-1");
    replay.startedAt = QDateTime::fromMSecsSinceEpoch(m_now - 2, Qt::UTC);
    replay.replayOf = found.id;
    replay.clientPid = 0;
    CallRecord evaluated = replay; // an evaluation's replay through a proposed route
    evaluated.id = QStringLiteral("evaluated-1");
    evaluated.startedAt = QDateTime::fromMSecsSinceEpoch(m_now - 3, Qt::UTC);
    evaluated.evaluationId = QStringLiteral("eval_0123");
    model.setFilter(RequestFilter());
    model.appendCalls({found, unknown, replay, evaluated});
    QCOMPARE(model.index(0, TraceModel::ClientColumn).data().toString(), QStringLiteral("curl"));
    QCOMPARE(model.index(1, TraceModel::ClientColumn).data().toString(), QStringLiteral("curl"));
    QCOMPARE(model.index(2, TraceModel::ClientColumn).data().toString(), QStringLiteral("replay · curl"));
    QCOMPARE(model.index(3, TraceModel::ClientColumn).data().toString(), QStringLiteral("evaluation · eval_0123"));
    const QString tip = model.index(2, TraceModel::ClientColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Replay of ") + found.id), qPrintable(tip));
    QVERIFY2(!tip.contains(QLatin1String("pid 0")), qPrintable(tip));
    QVERIFY(model.index(0, TraceModel::ClientColumn).data(Qt::ToolTipRole).toString().contains(QLatin1String("curl (pid 4242)")));
}

void TestTraceModel::jsonTreeShowsNesting()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBody(R"({"model":"general","messages":[{"role":"user","content":"hi"}],"stream":true,"n":2,"stop":null,"t":0.5})");
    QCOMPARE(model.kind(), JsonTreeModel::Kind::Json);
    QCOMPARE(model.rowCount(), 6); // keys in order: messages, model, n, stop, stream, t
    const QModelIndex messages = model.index(0, JsonTreeModel::KeyColumn);
    QCOMPARE(messages.data().toString(), QStringLiteral("messages"));
    QCOMPARE(model.index(0, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("[…] 1 item"));
    QCOMPARE(model.index(0, JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("array"));
    QCOMPARE(model.rowCount(messages), 1);
    const QModelIndex first = model.index(0, 0, messages);
    QCOMPARE(first.data().toString(), QStringLiteral("[0]"));
    QCOMPARE(model.rowCount(first), 2);
    const QModelIndex content = model.index(0, JsonTreeModel::ValueColumn, first);
    QCOMPARE(model.index(0, 0, first).data().toString(), QStringLiteral("content"));
    QCOMPARE(content.data().toString(), QStringLiteral("hi"));
    QCOMPARE(content.data(JsonTreeModel::PathRole).toString(), QStringLiteral("messages[0].content"));
    QCOMPARE(model.parent(content), first.siblingAtColumn(0));
    QCOMPARE(model.index(2, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(2, JsonTreeModel::ValueColumn).data(JsonTreeModel::SortRole).toDouble(), 2.0);
    QCOMPARE(model.index(3, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("null"));
    QCOMPARE(model.index(4, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("true"));
    QCOMPARE(model.index(5, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("0.5"));
    QCOMPARE(model.index(5, JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("number"));
}

void TestTraceModel::jsonTreeCutsLongStrings()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString longText = QStringLiteral("line one\nline two ") + QString(500, QLatin1Char('x'));
    model.setJson(QJsonObject{{QStringLiteral("content"), longText}});
    const QString shown = model.index(0, JsonTreeModel::ValueColumn).data().toString();
    QCOMPARE(shown.size(), JsonTreeModel::MaxDisplayChars + 1);
    QVERIFY(shown.endsWith(QStringLiteral("…")));
    QVERIFY(shown.startsWith(QStringLiteral("line one⏎ line two")));
    const QString tip = model.index(0, JsonTreeModel::ValueColumn).data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QString(500, QLatin1Char('x'))));
    QVERIFY(tip.contains(QStringLiteral("line one\nline two")));
}

void TestTraceModel::jsonTreeFallsBackToText()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBody("upstream said: 502 Bad Gateway {not json");
    QCOMPARE(model.kind(), JsonTreeModel::Kind::Text);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("text"));
    QCOMPARE(model.plainText(), QStringLiteral("upstream said: 502 Bad Gateway {not json"));
    model.setBody(QByteArray());
    QCOMPARE(model.kind(), JsonTreeModel::Kind::Empty);
    QCOMPARE(model.rowCount(), 0);
}

void TestTraceModel::jsonTreeShowsStreamEvents()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBody("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                  "event: ping\ndata: {}\n\n"
                  "data: [DONE]\n\n");
    QCOMPARE(model.kind(), JsonTreeModel::Kind::EventStream);
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(model.rowCount(first), 1);
    const QModelIndex data = model.index(0, 0, first);
    QCOMPARE(data.data().toString(), QStringLiteral("data"));
    QCOMPARE(model.index(0, JsonTreeModel::TypeColumn, first).data().toString(), QStringLiteral("object"));
    QCOMPARE(model.index(0, JsonTreeModel::ValueColumn, model.index(1, 0)).data().toString(), QStringLiteral("{…} 0 keys"));
    QCOMPARE(model.index(1, JsonTreeModel::ValueColumn, model.index(1, 0)).data().toString(), QStringLiteral("ping"));
    QCOMPARE(model.index(0, JsonTreeModel::ValueColumn, model.index(2, 0)).data().toString(), QStringLiteral("[DONE]"));
}

QTEST_MAIN(TestTraceModel)
#include "tst_TraceModel.moc"
