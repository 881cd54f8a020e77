// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/EngineLink.h"
#include "ui/traces/AttemptTimeline.h"
#include "ui/traces/JsonBodyView.h"
#include "ui/traces/JsonTreeModel.h"
#include "ui/traces/RequestDetailView.h"
#include "core/stream/StreamAssembler.h"
#include "ui/traces/DiffView.h"
#include "core/util/LineDiff.h"
#include "ui/traces/TraceActions.h"
#include <QAction>
#include <QClipboard>
#include <QApplication>
#include "ui/traces/TranslationNotesView.h"
#include "ui/traces/TraceModel.h"
#include "ui/traces/TracesPage.h"
#include "ui/traces/UpstreamBodiesView.h"
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace Switchyard;

class TestTracesPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsNewestRequestsWithACount();
    void filtersChangeTheRows();
    void searchWaitsForTypingToPause();
    void selectionLoadsTheDetail();
    void liveRowsAtTheTopComeIntoView();
    void liveRowsKeepTheSelectionAndScrolledRows();
    void screenshot();
    void translationNotesTab();
    void millionRowLog();
    void aLogCreatedLaterIsReadWithoutARefresh();
    void anEmptyLogSaysWhereToPointTools();
    void streamsShowTheAssembledReply_data();
    void requestActionsReplayAndCopy();
    void errorColumnFitsAt1024();
    void diffShowsWhatTheGatewayChanged();
    void streamsShowTheAssembledReply();

private:
    static CallRecord fallbackFailure(qint64 startedAtMs);
    static CallRecord translatedAgentCall(qint64 startedAtMs);
    static Config config();
    static void selectId(TracesPage &page, const QString &id);
    QString topVisibleId(const TracesPage &page) const;

    QTemporaryDir m_dir;
    std::unique_ptr<LogReader> m_reader;
    QList<CallRecord> m_records;
    CallRecord m_failure;
    CallRecord m_translated;
    qint64 m_now = 0;
};

// A call that fell back twice and still failed: rate limited, then a 503, then a timeout.
CallRecord TestTracesPage::fallbackFailure(qint64 startedAtMs)
{
    CallRecord r = Test::SyntheticCalls(3).one(startedAtMs, true);
    r.id = QStringLiteral("req_fallback_demo_0001");
    r.alias = r.requestedModel = QStringLiteral("long-context");
    r.provider = QStringLiteral("anthropic");
    r.model = QStringLiteral("claude-3-5-sonnet-latest");
    r.status = 504;
    r.errorClass = ErrorClass::TimeoutFirstByte;
    r.errorMessage = QStringLiteral("anthropic/claude-3-5-sonnet-latest: no first byte within 4000 ms (after 2 earlier attempts)");
    r.durationMs = 5480;
    r.stream = true;
    r.clientProcess = QStringLiteral("python3");
    r.clientPid = 48213;
    r.project = QStringLiteral("/home/dev/src/agent");
    r.client = QStringLiteral("OpenAI/Python 1.54.3");
    r.requestBody = R"({"model":"long-context","stream":true,"temperature":0.2,"max_tokens":1024,"messages":[)"
                    R"({"role":"system","content":"You are a careful code reviewer."},)"
                    R"({"role":"user","content":"Review this diff and list risky changes:\n--- a/server.cpp\n+++ b/server.cpp\n@@ -10,7 +10,7 @@"}]})";
    r.responseBody = R"({"error":{"message":"anthropic/claude-3-5-sonnet-latest: no first byte within 4000 ms","type":"timeout","code":"timeout_first_byte"}})";
    r.requestHeaders = HttpHeaders();
    r.requestHeaders.add("content-type", "application/json");
    r.requestHeaders.add("authorization", "Bearer ***");
    r.requestHeaders.add("user-agent", "OpenAI/Python 1.54.3");
    r.responseHeaders = HttpHeaders();
    r.responseHeaders.add("content-type", "application/json");
    r.responseHeaders.add("x-switchyard-attempts", "3");
    Attempt first{QStringLiteral("openai"), QStringLiteral("gpt-4o"), 429, ErrorClass::RateLimited,
                  QStringLiteral("openai/gpt-4o: 429 rate limited (Retry-After: 1)"), 0, 320, r.requestBody};
    first.requestBody.replace("\"long-context\"", "\"gpt-4o\"");
    Attempt second = first;
    second.status = 503;
    second.errorClass = ErrorClass::Upstream5xx;
    second.message = QStringLiteral("openai/gpt-4o: 503 Service Unavailable");
    second.startedAfterMs = 580;
    second.durationMs = 870;
    Attempt third{r.provider, r.model, 0, ErrorClass::TimeoutFirstByte, r.errorMessage, 1470, 4010,
                  R"({"model":"claude-3-5-sonnet-latest","max_tokens":1024,"stream":true,"temperature":0.2,)"
                  R"("system":"You are a careful code reviewer.","messages":[{"role":"user","content":"Review this diff and list risky changes:\n--- a/server.cpp\n+++ b/server.cpp\n@@ -10,7 +10,7 @@"}]})"};
    r.attempts = {first, second, third};
    return r;
}

// Claude Code through an alias whose target is an OpenAI reasoning model: what was mapped and
// what was dropped, as the engine notes it.
CallRecord TestTracesPage::translatedAgentCall(qint64 startedAtMs)
{
    CallRecord r;
    r.id = QStringLiteral("req_0190b7c2a8f14d3e9c6a5e4f3b2a1908");
    r.startedAt = QDateTime::fromMSecsSinceEpoch(startedAtMs, Qt::UTC);
    r.durationMs = 3120;
    r.ttftMs = 840;
    r.endpoint = QStringLiteral("/v1/messages");
    r.requestedModel = r.alias = QStringLiteral("general");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-5");
    r.status = 200;
    r.ok = true;
    r.stream = true;
    r.client = QStringLiteral("claude-cli/2.1.328 (external, sdk-cli)");
    r.clientProcess = QStringLiteral("claude");
    r.clientPid = 51877;
    r.project = QStringLiteral("/home/dev/src/switchyard");
    r.usage.promptTokens = 21480;
    r.usage.completionTokens = 612;
    r.requestBody = R"({"model":"general","max_tokens":32000,"stream":true,"thinking":{"type":"adaptive"},)"
                    R"("output_config":{"effort":"high"},"context_management":{"edits":[]},"messages":[{"role":"user","content":"Fix the failing test"}]})";
    Attempt a{r.provider, r.model, 200, ErrorClass::None, QString(), 0, 3120,
              R"({"model":"gpt-5","max_completion_tokens":32000,"reasoning_effort":"high","stream":true,"messages":[{"role":"user","content":"Fix the failing test"}]})"};
    using A = TranslationNote::Action;
    a.translationNotes = {
        {A::Dropped, QStringLiteral("context_management"), QStringLiteral("context editing is done by Anthropic's API; the target receives the whole conversation")},
        {A::Dropped, QStringLiteral("cache_control"), QStringLiteral("4 cache mark(s): OpenAI-compatible targets cache prompt prefixes by themselves")},
        {A::Dropped, QStringLiteral("tools[].defer_loading"), QStringLiteral("1 deferred tool(s) are offered to the target up front (it has no tool search)")},
        {A::Mapped, QStringLiteral("output_config.effort"), QStringLiteral("→ reasoning_effort \"high\"")},
        {A::Mapped, QStringLiteral("max_tokens"), QStringLiteral("→ max_completion_tokens (gpt-5 is a reasoning model)")},
        {A::Mapped, QStringLiteral("messages[].role \"system\""), QStringLiteral("1 mid-conversation system turn(s) → system messages in place")},
        {A::Mapped, QStringLiteral("metadata.user_id"), QStringLiteral("→ user, hashed (151 characters; OpenAI takes at most 64)")}};
    r.attempts = {a};
    return r;
}

Config TestTracesPage::config()
{
    Config c;
    for (const char *name : {"openai", "anthropic", "openrouter"})
        c.providers.append(ProviderConfig{QString::fromLatin1(name), ProviderKind::OpenAI, QUrl(), QString(), QString(), QString()});
    auto alias = [&c](const char *name, QList<TargetConfig> targets) {
        c.aliases.append(AliasConfig{QString::fromLatin1(name), Strategy::Fallback, targets});
    };
    auto target = [](const char *provider, const char *model) {
        return TargetConfig{QString::fromLatin1(provider), QString::fromLatin1(model), std::nullopt, std::nullopt, std::nullopt};
    };
    alias("general", {target("openai", "gpt-4o-mini"), target("anthropic", "claude-3-5-haiku-latest")});
    alias("cheap", {target("openrouter", "meta-llama/llama-3.1-8b-instruct")});
    alias("long-context", {target("openai", "gpt-4o"), target("anthropic", "claude-3-5-sonnet-latest")});
    alias("embed", {target("openai", "text-embedding-3-small")});
    return c;
}

void TestTracesPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("log.sqlite"));
    m_now = QDateTime::currentMSecsSinceEpoch();
    Test::SyntheticCalls calls(2024);
    m_records = calls.generate(500, m_now - 6LL * 24 * 3600 * 1000, m_now - 7 * 3600 * 1000, 0.07);
    m_records += calls.generate(400, m_now - 6 * 3600 * 1000, m_now - 20 * 1000, 0.07);
    m_failure = fallbackFailure(m_now - 4 * 60 * 1000 - 500);
    m_records.append(m_failure);
    m_translated = translatedAgentCall(m_now - 2 * 60 * 1000);
    m_records.append(m_translated);
    LogWriter writer(path, LogConfig());
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    writer.append(m_records);
    writer.flush();
    m_reader = std::make_unique<LogReader>(path);
}

void TestTracesPage::selectId(TracesPage &page, const QString &id)
{
    int row = -1;
    QTRY_VERIFY((row = page.model()->rowOfId(id)) >= 0);
    page.table()->selectRow(row);
}

QString TestTracesPage::topVisibleId(const TracesPage &page) const
{
    return page.table()->indexAt(QPoint(4, 4)).data(TraceModel::IdRole).toString();
}

void TestTracesPage::showsNewestRequestsWithACount()
{
    EngineLink link(m_reader.get());
    link.onConfigApplied(config());
    TracesPage page(&link);
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.resize(1200, 750);
    page.show();
    QTRY_VERIFY(page.model()->rowCount() > 0);
    QTRY_COMPARE(page.countText(), QStringLiteral("%1 requests (%2 loaded)").arg(QLocale().toString(902)).arg(page.model()->rowCount()));
    QCOMPARE(page.model()->record(0).id, m_records.at(899).id); // the newest
    auto *alias = page.findChild<QComboBox *>(QStringLiteral("aliasFilter"));
    QCOMPARE(alias->count(), 5);
    QCOMPARE(alias->itemText(0), QStringLiteral("All aliases"));
    QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("modelFilter"))->count(), 7);
    QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("providerFilter"))->count(), 4);
}

void TestTracesPage::filtersChangeTheRows()
{
    EngineLink link(m_reader.get());
    link.onConfigApplied(config());
    TracesPage page(&link);
    QTRY_VERIFY(page.model()->rowCount() > 0);
    auto *status = page.findChild<QComboBox *>(QStringLiteral("statusFilter"));
    status->setCurrentIndex(status->findText(QStringLiteral("Errors")));
    const qint64 errors = std::count_if(m_records.cbegin(), m_records.cend(), [](const CallRecord &r) { return !r.ok; });
    QTRY_COMPARE(page.model()->totalCount(), errors);
    QTRY_VERIFY(page.model()->rowCount() > 0);
    for (int row = 0; row < page.model()->rowCount(); ++row)
        QVERIFY(!page.model()->record(row).ok);

    auto *alias = page.findChild<QComboBox *>(QStringLiteral("aliasFilter"));
    alias->setCurrentIndex(alias->findText(QStringLiteral("long-context")));
    const qint64 longErrors = std::count_if(m_records.cbegin(), m_records.cend(), [](const CallRecord &r) {
        return !r.ok && r.alias == QLatin1String("long-context");
    });
    QTRY_COMPARE(page.model()->totalCount(), longErrors);
    QTRY_COMPARE(page.model()->rowCount(), int(longErrors));
    QVERIFY(page.model()->rowOfId(m_failure.id) >= 0);

    auto *range = page.findChild<QComboBox *>(QStringLiteral("timeRangeFilter"));
    range->setCurrentIndex(range->findText(QStringLiteral("Last hour")));
    QTRY_VERIFY(!page.model()->isLoading() && page.model()->totalCount() >= 0);
    for (int row = 0; row < page.model()->rowCount(); ++row)
        QVERIFY(page.model()->record(row).startedAt.toMSecsSinceEpoch() >= m_now - 3600 * 1000 - 60000);
    QVERIFY(page.model()->rowOfId(m_failure.id) >= 0);

    status->setCurrentIndex(status->findText(QStringLiteral("OK")));
    alias->setCurrentIndex(0);
    range->setCurrentIndex(range->findText(QStringLiteral("All time")));
    const qint64 ok = qint64(m_records.size()) - errors;
    QTRY_COMPARE(page.model()->totalCount(), ok);
    QTRY_COMPARE(page.countText(), QStringLiteral("%1 requests (%2 loaded)").arg(QLocale().toString(ok)).arg(page.model()->rowCount()));
}

void TestTracesPage::searchWaitsForTypingToPause()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    QTRY_VERIFY(page.model()->rowCount() > 0);
    const quint64 generation = page.model()->generation();
    auto *search = page.findChild<QLineEdit *>(QStringLiteral("searchField"));
    QTest::keyClicks(search, QStringLiteral("careful code"));
    QCOMPARE(page.model()->generation(), generation); // nothing yet: still typing
    QTRY_COMPARE(page.model()->filter().text, QStringLiteral("careful code"));
    QCOMPARE(page.model()->generation(), generation + 1); // one query for the whole word
    QTRY_COMPARE(page.model()->totalCount(), qint64(1));
    QCOMPARE(page.model()->record(0).id, m_failure.id);
}

void TestTracesPage::selectionLoadsTheDetail()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    RequestDetailView *detail = page.detail();
    QAbstractItemModelTester requestTester(detail->requestView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester responseTester(detail->responseView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(detail, &RequestDetailView::loaded);
    selectId(page, m_failure.id);
    QCOMPARE(detail->requestId(), m_failure.id);
    QCOMPARE(detail->timeline()->barCount(), 3); // from the row, before the bodies arrive
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(detail->isLoaded());
    QCOMPARE(detail->fieldText(QStringLiteral("id")), m_failure.id);
    QCOMPARE(detail->fieldText(QStringLiteral("route")), QStringLiteral("long-context → anthropic/claude-3-5-sonnet-latest"));
    QCOMPARE(detail->fieldText(QStringLiteral("status")), QStringLiteral("504 · error"));
    QVERIFY(detail->fieldText(QStringLiteral("error")).startsWith(QStringLiteral("timeout_first_byte: ")));
    QCOMPARE(detail->fieldText(QStringLiteral("duration")), QStringLiteral("5.48 s, 3 attempts"));
    QCOMPARE(detail->fieldText(QStringLiteral("cost")), QStringLiteral("— (no price known)"));
    QCOMPARE(detail->fieldText(QStringLiteral("client")), QStringLiteral("python3 (pid 48213) · OpenAI/Python 1.54.3"));
    QCOMPARE(detail->fieldText(QStringLiteral("project")), QStringLiteral("/home/dev/src/agent"));
    QCOMPARE(detail->timeline()->barCount(), 3);
    QVERIFY(detail->timeline()->barRect(0).right() <= detail->timeline()->barRect(1).left());
    QVERIFY(detail->timeline()->barRect(2).width() > detail->timeline()->barRect(1).width());
    QCOMPARE(detail->timeline()->barText(0), QStringLiteral("429 rate_limited · 320 ms"));
    QCOMPARE(detail->timeline()->barText(2), QStringLiteral("timeout_first_byte · 4.01 s"));

    JsonTreeModel *request = detail->requestView()->model();
    QCOMPARE(request->kind(), JsonTreeModel::Kind::Json);
    QCOMPARE(request->rowCount(), 5); // max_tokens, messages, model, stream, temperature
    QVERIFY(detail->requestView()->tree()->isExpanded(request->index(1, 0)));
    QCOMPARE(detail->responseView()->model()->rowCount(), 1);
    UpstreamBodiesView *upstream = detail->upstreamView();
    QCOMPARE(upstream->attemptCount(), 3);
    QVERIFY(upstream->showsSideBySide()); // the Anthropic body differs from the client's
    QVERIFY(upstream->upstreamView()->model()->index(0, 0).isValid());
    QTreeWidget *headers = detail->headersView();
    QCOMPARE(headers->topLevelItemCount(), 3);
    QCOMPARE(headers->topLevelItem(0)->childCount(), 3);
    QCOMPARE(headers->topLevelItem(0)->child(1)->text(1), QStringLiteral("Bearer ***"));
    // Issue 16, problem 14: what the client received (with the gateway's own headers), then the upstream's.
    QTreeWidgetItem *sent = headers->topLevelItem(1);
    QVERIFY(sent->text(0).startsWith(QLatin1String("Response headers, to the client")));
    QStringList sentNames;
    for (int i = 0; i < sent->childCount(); ++i)
        sentNames << sent->child(i)->text(0);
    QVERIFY2(sentNames.contains(QStringLiteral("x-switchyard-request-id")), qPrintable(sentNames.join(QLatin1Char(','))));
    QVERIFY(sentNames.contains(QStringLiteral("x-switchyard-provider")));
    QVERIFY(headers->topLevelItem(2)->text(0).startsWith(QLatin1String("Response headers, from the upstream")));

    page.table()->clearSelection();
    page.table()->setCurrentIndex(QModelIndex());
    QCOMPARE(detail->requestId(), QString());
    QCOMPARE(detail->timeline()->barCount(), 0);
}

void TestTracesPage::liveRowsAtTheTopComeIntoView()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY(page.model()->rowCount() > 20);
    const QString selected = page.model()->record(2).id;
    page.table()->selectRow(2);
    QCOMPARE(page.table()->verticalScrollBar()->value(), 0);

    Test::SyntheticCalls calls(31);
    const QList<CallRecord> live = calls.generate(4, m_now + 1000, m_now + 4000);
    link.onCallsFinished(live);
    QCOMPARE(page.model()->rowCount(QModelIndex()) > 4, true);
    QCOMPARE(page.table()->verticalScrollBar()->value(), 0);
    QCOMPARE(page.table()->currentIndex().row(), 6);
    QCOMPARE(page.table()->currentIndex().data(TraceModel::IdRole).toString(), selected);
    QCOMPARE(page.detail()->requestId(), selected);
    QTRY_COMPARE(topVisibleId(page), live.constLast().id); // the newest row is at the top and visible
}

void TestTracesPage::liveRowsKeepTheSelectionAndScrolledRows()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY(page.model()->rowCount() >= TraceModel::PageSize);
    QTableView *table = page.table();
    QTRY_VERIFY(table->verticalScrollBar()->maximum() > 0);
    table->scrollTo(page.model()->index(120, 0), QAbstractItemView::PositionAtTop);
    table->selectRow(125);
    const QString selected = page.model()->record(125).id;
    QTRY_COMPARE(topVisibleId(page), page.model()->record(120).id);
    const QString top = topVisibleId(page);
    QVERIFY(table->verticalScrollBar()->value() > 0);

    Test::SyntheticCalls calls(32);
    link.onCallsFinished(calls.generate(7, m_now + 5000, m_now + 9000));
    QCOMPARE(topVisibleId(page), top);
    QCOMPARE(table->currentIndex().data(TraceModel::IdRole).toString(), selected);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().constFirst().row(), 132);
    QCoreApplication::processEvents(); // the view's delayed layout must not move the rows either
    QCOMPARE(topVisibleId(page), top);
}

void TestTracesPage::screenshot()
{
    EngineLink link(m_reader.get());
    link.onConfigApplied(config());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY(page.model()->rowCount() > 0);
    QSignalSpy loaded(page.detail(), &RequestDetailView::loaded);
    selectId(page, m_failure.id);
    QTRY_COMPARE(loaded.count(), 1);
    QTRY_VERIFY(page.countText().contains(QLatin1String("requests")));
    const QImage image = page.grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(image.save(dir + QStringLiteral("/traces.png")));
}

// The detail's Translation notes tab shows each field a translation mapped or dropped, and why.
void TestTracesPage::translationNotesTab()
{
    EngineLink link(m_reader.get());
    link.onConfigApplied(config());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY(page.model()->rowOfId(m_translated.id) >= 0);
    QSignalSpy loaded(page.detail(), &RequestDetailView::loaded);
    selectId(page, m_translated.id);
    QTRY_COMPARE(loaded.count(), 1);
    TranslationNotesView *notes = page.detail()->notesView();
    QCOMPARE(notes->noteCount(), 7);
    QTabWidget *tabs = page.detail()->tabs();
    QCOMPARE(tabs->tabText(tabs->indexOf(notes)), QStringLiteral("Translation notes (7)"));
    tabs->setCurrentWidget(notes);
    const QTreeWidgetItem *group = notes->topLevelItem(0);
    QCOMPARE(group->child(0)->text(0), QStringLiteral("context_management"));
    QCOMPARE(group->child(0)->text(1), QStringLiteral("dropped"));
    // The headers the client received include the translation summary the gateway sent.
    const QTreeWidgetItem *sent = page.detail()->headersView()->topLevelItem(1);
    QString translation;
    for (int i = 0; i < sent->childCount(); ++i) {
        if (sent->child(i)->text(0) == QLatin1String("x-switchyard-translation"))
            translation = sent->child(i)->text(1);
    }
    QCOMPARE(translation, QStringLiteral("Messages -> Chat Completions; dropped: context_management, cache_control, tools[].defer_loading; "
                                         "mapped: output_config.effort, max_tokens, messages[].role \"system\", metadata.user_id"));
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(page.grab().toImage().save(dir + QStringLiteral("/traces-translation-notes.png")));
}

static qint64 residentKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// Fills `path` with a million synthetic calls over the last 28 days (about two minutes).
static void generateMillionRowLog(const QString &path, qint64 now)
{
    QElapsedTimer generating;
    generating.start();
    LogConfig keepAll;
    keepAll.retentionDays = 3650;
    keepAll.maxDbMib = 1 << 20;
    LogWriter writer(path, keepAll);
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    Test::SyntheticCalls calls(1000000);
    const qint64 span = 28LL * 24 * 3600 * 1000, chunk = 10000, total = 1000000;
    for (qint64 i = 0; i < total; i += chunk) {
        const qint64 from = now - span + span * i / total;
        writer.append(calls.generate(int(chunk), from, from + span * chunk / total - 1));
        writer.flush();
    }
    qInfo("generated %lld rows in %.1f s", total, double(generating.elapsed()) / 1000.0);
}

// Measures, without asserting, how the page copes with a million rows. Runs only when
// SWITCHYARD_TRACES_MILLION names a log file (generated there on the first run).
void TestTracesPage::millionRowLog()
{
    const QString path = qEnvironmentVariable("SWITCHYARD_TRACES_MILLION");
    if (path.isEmpty())
        QSKIP("set SWITCHYARD_TRACES_MILLION=/tmp/traces-1m.sqlite to measure a million-row log");
    if (!QFileInfo::exists(path))
        generateMillionRowLog(path, m_now);

    // The longest the GUI thread went without running a 5 ms timer.
    QElapsedTimer beat;
    beat.start();
    qint64 longestStall = 0;
    QTimer heartbeat;
    connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] { longestStall = qMax(longestStall, beat.restart()); });
    heartbeat.start(5);

    LogReader reader(path);
    EngineLink link(&reader);
    QElapsedTimer clock;
    clock.start();
    TracesPage page(&link);
    qint64 rowsAt = -1, countAt = -1;
    connect(page.model(), &TraceModel::pageLoaded, &page, [&] { rowsAt = rowsAt < 0 ? clock.elapsed() : rowsAt; });
    connect(page.model(), &TraceModel::totalCountChanged, &page, [&](qint64 total) {
        countAt = countAt < 0 && total >= 0 ? clock.elapsed() : countAt;
    });
    auto measure = [&](const char *what, const RequestFilter *filter) {
        if (filter) {
            rowsAt = countAt = -1;
            clock.restart();
            page.model()->setFilter(*filter);
        }
        QTRY_VERIFY_WITH_TIMEOUT(rowsAt >= 0 && countAt >= 0, 120000);
        qInfo("%s: first %d rows after %lld ms, count of %lld after %lld ms", what, page.model()->rowCount(), rowsAt,
              page.model()->totalCount(), countAt);
    };
    page.resize(1200, 750);
    page.show();
    measure("all requests, from creating the page (opens the database)", nullptr);
    longestStall = 0; // what follows leaves out creating and first showing the page
    measure("all requests", &page.model()->filter());

    // Scrolling to the end asks for the next page through fetchMore.
    auto jump = [&] {
        rowsAt = -1;
        clock.restart();
        page.table()->scrollToBottom();
        return QTest::qWaitFor([&] { return rowsAt >= 0; }, 60000) ? rowsAt : qint64(-1);
    };
    const qint64 rssBefore = residentKib();
    const int rowsBefore = page.model()->rowCount();
    const qint64 firstJump = jump();
    qint64 slowest = 0;
    QElapsedTimer all;
    all.start();
    for (int i = 0; i < 200; ++i)
        slowest = qMax(slowest, jump());
    qInfo("scroll to the end: first %lld ms; the next 200 pages %lld ms in all (slowest %lld ms), %d rows loaded", firstJump,
          all.elapsed(), slowest, page.model()->rowCount());
    qInfo("  about %lld bytes of memory per loaded row", (residentKib() - rssBefore) * 1024 / (page.model()->rowCount() - rowsBefore));
    QElapsedTimer resetting;
    resetting.start();
    page.model()->setFilter(page.model()->filter());
    qInfo("  dropping them for a new filter takes %lld ms on the GUI thread", resetting.elapsed());
    QTRY_VERIFY(!page.model()->isLoading() && page.model()->totalCount() >= 0);

    RequestFilter oldest;
    oldest.untilMs = m_now - 27LL * 24 * 3600 * 1000;
    measure("the oldest day (untilMs)", &oldest);
    qInfo("  and its next page after %lld ms", jump());
    RequestFilter errors;
    errors.ok = false;
    measure("errors only", &errors);
    RequestFilter model;
    model.model = QStringLiteral("gpt-4o");
    measure("model gpt-4o (no index on model)", &model);
    RequestFilter text;
    text.text = QStringLiteral("Summarise item 4242\"");
    measure("text in the bodies", &text);
    qInfo("longest GUI thread stall after the first show: %lld ms", longestStall);
}

// Issue 16, problem 3: on a fresh data folder the window may look before the writer has
// created the log; it must not stay at "Cannot read the log" until the user presses Refresh.
void TestTracesPage::aLogCreatedLaterIsReadWithoutARefresh()
{
    QTemporaryDir fresh;
    const QString path = fresh.filePath(QStringLiteral("data/requests.db"));
    LogReader reader(path);
    EngineLink link(&reader);
    link.onConfigApplied(config());
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QTest::qWait(300); // the page's first read finds no database

    LogWriter writer(path, LogConfig());
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    CallRecord first = Test::SyntheticCalls(77).one(QDateTime::currentMSecsSinceEpoch(), false);
    writer.append({first});
    writer.flush();
    link.onCallsFinished({first});
    QTRY_COMPARE_WITH_TIMEOUT(page.countText(), QStringLiteral("1 request"), 5000);
    QCOMPARE(page.model()->record(0).id, first.id);
}

// Issue 16, problem 4: a first start says what to do instead of showing an empty table.
void TestTracesPage::anEmptyLogSaysWhereToPointTools()
{
    QTemporaryDir fresh;
    const QString path = fresh.filePath(QStringLiteral("requests.db"));
    LogWriter writer(path, LogConfig());
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    LogReader reader(path);
    EngineLink link(&reader);
    link.onConfigApplied(config());
    link.onStarted(QStringLiteral("http://127.0.0.1:4141"));
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QTRY_VERIFY(page.showsFirstRunHint());
    const QString hint = page.findChild<QLabel *>(QStringLiteral("firstRunHint"))->text();
    for (const char *part : {"OPENAI_BASE_URL=http://127.0.0.1:4141/v1", "ANTHROPIC_BASE_URL=http://127.0.0.1:4141", "Claude Code",
                             "Codex", "wire_api", "Ctrl+K"})
        QVERIFY2(hint.contains(QLatin1String(part)), part);
    CallRecord first = Test::SyntheticCalls(78).one(QDateTime::currentMSecsSinceEpoch(), false);
    writer.append({first});
    writer.flush();
    link.onCallsFinished({first});
    QTRY_VERIFY(!page.showsFirstRunHint());
}

// Issue 16, problem 8: a streamed answer reads as the reply it makes up, in all three dialects.
void TestTracesPage::streamsShowTheAssembledReply_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("finish");
    QTest::newRow("openai chat chunks") << QByteArray(
        "data: {\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"write_file\",\"arguments\":\"{\\\"pa\"}}]}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"th\\\":\\\"a.txt\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7}}\n\n"
        "data: [DONE]\n\n") << QStringLiteral("tool_calls");
    QTest::newRow("anthropic messages") << QByteArray(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-3-5-haiku-latest\",\"usage\":{\"input_tokens\":12}}}\n\n"
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"write_file\"}}\n\n"
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"path\\\":\\\"a.txt\\\"}\"}}\n\n"
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}\n\n")
                                        << QStringLiteral("tool_use");
    QTest::newRow("openai responses") << QByteArray(
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hello\"}\n\n"
        "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"write_file\"}}\n\n"
        "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"delta\":\"{\\\"path\\\":\\\"a.txt\\\"}\"}\n\n"
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"model\":\"gpt-5\",\"status\":\"completed\",\"usage\":{\"input_tokens\":12,\"output_tokens\":7}}}\n\n")
                                      << QStringLiteral("completed");
}

void TestTracesPage::streamsShowTheAssembledReply()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, finish);
    const QJsonObject reply = StreamAssembler::assemble(body);
    QCOMPARE(reply.value(QLatin1String("text")).toString(), QStringLiteral("Hello"));
    QCOMPARE(reply.value(QLatin1String("finish_reason")).toString(), finish);
    const QJsonObject tool = reply.value(QLatin1String("tool_calls")).toArray().at(0).toObject();
    QCOMPARE(tool.value(QLatin1String("id")).toString(), QStringLiteral("call_1"));
    QCOMPARE(tool.value(QLatin1String("name")).toString(), QStringLiteral("write_file"));
    QCOMPARE(tool.value(QLatin1String("arguments")).toObject().value(QLatin1String("path")).toString(), QStringLiteral("a.txt"));
    const QJsonObject usage = reply.value(QLatin1String("usage")).toObject();
    QVERIFY2(usage.value(QLatin1String("completion_tokens")).toInt() == 7 || usage.value(QLatin1String("output_tokens")).toInt() == 7,
             QJsonDocument(usage).toJson().constData());

    JsonBodyView view;
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setBody(body);
    QVERIFY(view.showsAssembledReply());
    QCOMPARE(view.model()->kind(), JsonTreeModel::Kind::Json);
    // The deepest key is not clipped: the key column is as wide as it needs.
    const int keyWidth = view.tree()->header()->sectionSize(JsonTreeModel::KeyColumn);
    QVERIFY2(keyWidth >= static_cast<const QAbstractItemView *>(view.tree())->sizeHintForColumn(JsonTreeModel::KeyColumn), qPrintable(QString::number(keyWidth)));
    view.showRawEvents(true);
    QVERIFY(!view.showsAssembledReply());
    QCOMPARE(view.model()->kind(), JsonTreeModel::Kind::EventStream);
}

// Issue 16, developer tools: Replay, Edit & Replay, Copy as cURL and Copy response on any
// request, in the table's context menu and as shortcuts.
void TestTracesPage::requestActionsReplayAndCopy()
{
    EngineLink link(m_reader.get());
    link.onConfigApplied(config());
    link.onStarted(QStringLiteral("http://127.0.0.1:4141"));
    TracesPage page(&link);
    page.resize(1200, 750);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QApplication::setActiveWindow(&page);
    QVERIFY(QTest::qWaitForWindowActive(&page));
    TraceActions *actions = page.actions();
    QCOMPARE(page.table()->contextMenuPolicy(), Qt::ActionsContextMenu);
    QCOMPARE(page.table()->actions().size(), 4);
    QVERIFY(!actions->replayAction()->isEnabled()); // nothing selected
    QSignalSpy loaded(page.detail(), &RequestDetailView::loaded);
    selectId(page, m_failure.id);
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(actions->copyCurlAction()->isEnabled());
    page.table()->setFocus();
    QTRY_VERIFY(page.table()->hasFocus());

    const QString curl = actions->curlCommand();
    QVERIFY2(curl.startsWith(QLatin1String("curl ")) && curl.contains(QLatin1String("'http://127.0.0.1:4141") + m_failure.endpoint + QLatin1Char('\'')), qPrintable(curl));
    QVERIFY2(curl.contains(QLatin1String("-H 'content-type: application/json'")), qPrintable(curl));
    QVERIFY(curl.contains(QLatin1String("--data-binary '{\"model\":\"long-context\"")));
    QVERIFY2(!curl.contains(QLatin1String("uthorization")) && !curl.contains(QLatin1String("***")), qPrintable(curl));
    QVERIFY(!curl.contains(QLatin1String("user-agent")));
    QTest::keyClick(page.table(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QApplication::clipboard()->text(), curl);
    QTest::keyClick(page.table(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QApplication::clipboard()->text().toUtf8(), page.detail()->record().responseBody);

    QSignalSpy replays(&link, &EngineLink::replayRequested);
    QTest::keyClick(page.table(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(replays.count(), 1);
    QCOMPARE(replays.constFirst().at(0).toString(), m_failure.id);
    QVERIFY(!actions->replayAction()->isEnabled()); // until it is answered
    CallRecord replay = m_records.at(10);
    replay.id = QStringLiteral("req_replay_new");
    replay.replayOf = m_failure.id;
    replay.startedAt = QDateTime::currentDateTimeUtc();
    link.onCallsFinished({replay});
    link.onReplayFinished(replays.constFirst().at(2).toULongLong(), replay, QString());
    QVERIFY(actions->replayAction()->isEnabled());
    QTRY_COMPARE(page.detail()->requestId(), QStringLiteral("req_replay_new")); // the new row is selected
    QVERIFY(page.detail()->fieldText(QStringLiteral("replayOf")) == m_failure.id);
}

// Issue 16, problem 12: in a 1024-pixel window the error column is in view, no scrolling.
void TestTracesPage::errorColumnFitsAt1024()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    page.resize(1024, 640);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY(page.model()->rowCount() > 0);
    QHeaderView *header = page.table()->horizontalHeader();
    const int errorRight = header->sectionViewportPosition(TraceModel::ErrorColumn) + header->sectionSize(TraceModel::ErrorColumn);
    QVERIFY2(header->sectionViewportPosition(TraceModel::ErrorColumn) + 60 < page.table()->viewport()->width(),
             qPrintable(QString::number(errorRight)));
    QVERIFY(!page.table()->horizontalScrollBar()->isVisible());
}

// Issue 16, developer tools: a real diff of the client's body against what went upstream.
void TestTracesPage::diffShowsWhatTheGatewayChanged()
{
    using Kind = LineDiff::Line::Kind;
    const QList<LineDiff::Line> lines = LineDiff::diff({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
                                                      {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("e")});
    const QList<LineDiff::Line> expected{{Kind::Same, QStringLiteral("a")},  {Kind::Added, QStringLiteral("x")},
                                         {Kind::Removed, QStringLiteral("b")}, {Kind::Same, QStringLiteral("c")},
                                         {Kind::Same, QStringLiteral("d")},  {Kind::Added, QStringLiteral("e")}};
    QCOMPARE(lines, expected);

    UpstreamBodiesView view;
    view.resize(900, 500);
    view.show();
    view.setCall(m_translated);
    QVERIFY(view.showsSideBySide());
    view.showDiff(true);
    QVERIFY(view.showsDiff());
    QVERIFY(view.diffView()->removedCount() > 0);
    QVERIFY(view.diffView()->addedCount() > 0);
    QVERIFY(view.diffView()->toPlainText().contains(QLatin1String("\n- ")));
    QVERIFY(view.diffView()->toPlainText().contains(QLatin1String("\n+ ")));
    view.showDiff(false);
    QVERIFY(view.showsSideBySide());
}

QTEST_MAIN(TestTracesPage)
#include "tst_TracesPage.moc"
