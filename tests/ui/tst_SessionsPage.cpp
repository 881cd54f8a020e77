// SPDX-License-Identifier: GPL-3.0-or-later
// The Sessions view over a log the real engine wrote: Claude Code- and Codex-shaped sessions
// (SessionScenario), each model checked by QAbstractItemModelTester from before its first row.
#include "core/log/LogReader.h"
#include "core/proxy/ProxyEngine.h"
#include "tests/support/EngineThread.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/SessionScenario.h"
#include "ui/EngineLink.h"
#include "ui/sessions/SessionChangesModel.h"
#include "ui/sessions/SessionListModel.h"
#include "ui/sessions/SessionTimelineChart.h"
#include "ui/sessions/SessionTurnsModel.h"
#include "ui/sessions/SessionsPage.h"
#include <QAbstractItemModelTester>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;

class TestSessionsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsSessionsAndTheirTurns();
    void changesOfTheSelectedTurn();
    void jumpsToTraces();
    void newTurnsArriveLive();
    void screenshot();

private:
    void selectClaude(SessionsPage &page);
    QTemporaryDir m_dir;
    std::unique_ptr<SessionScenario> m_scenario;
    std::unique_ptr<EngineThread> m_engine;
    int m_written = 8;
    int m_claudeTurns = 5; // the scenario's; newTurnsArriveLive adds two
};

namespace {

constexpr auto Strict = QAbstractItemModelTester::FailureReportingMode::QtTest;

// A page over the log, its models tested from before the first row; calls reach the link
// the way AppWiring connects them.
struct PageFixture
{
    explicit PageFixture(const QString &logPath, ProxyEngine *engine)
        : reader(logPath)
        , link(&reader)
        , page(&link)
    {
        QObject::connect(engine, &ProxyEngine::callsFinished, &link, &EngineLink::onCallsFinished, Qt::QueuedConnection);
    }
    LogReader reader;
    EngineLink link;
    SessionsPage page;
    QAbstractItemModelTester listTester{page.sessionsModel(), Strict};
    QAbstractItemModelTester proxyTester{page.sessionsView()->model(), Strict};
    QAbstractItemModelTester turnsTester{page.turnsModel(), Strict};
    QAbstractItemModelTester changesTester{page.changesModel(), Strict};
};

} // namespace

void TestSessionsPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_scenario = std::make_unique<SessionScenario>();
    m_engine = std::make_unique<EngineThread>(m_scenario->config(), m_dir.filePath(u"requests.db"_s));
    QVERIFY(m_scenario->runClaudeCode(m_engine->port()));
    QVERIFY(m_scenario->runCodex(m_engine->port()));
    QVERIFY(m_engine->waitForWritten(m_written));
    QVERIFY(SessionScenario::shiftStartedAt(m_dir.filePath(u"requests.db"_s), m_scenario->codexIds.at(2), 12 * 60 * 1000));
}

void TestSessionsPage::selectClaude(SessionsPage &page)
{
    QTRY_COMPARE_WITH_TIMEOUT(page.sessionsModel()->rowCount(), 2, 10000);
    page.selectSession(SessionScenario::ClaudeSession);
    QTRY_VERIFY_WITH_TIMEOUT(page.turnsModel()->sessionId() == SessionScenario::ClaudeSession && !page.turnsModel()->isLoading(), 10000);
    QCOMPARE(page.turnsModel()->rowCount(), m_claudeTurns);
}

void TestSessionsPage::listsSessionsAndTheirTurns()
{
    PageFixture f(m_dir.filePath(u"requests.db"_s), m_engine->engine());
    SessionsPage &page = f.page;
    QTRY_COMPARE_WITH_TIMEOUT(page.sessionsModel()->rowCount(), 2, 10000);
    SessionListModel *list = page.sessionsModel();
    const int claude = list->rowOf(SessionScenario::ClaudeSession);
    QVERIFY(claude >= 0);
    QCOMPARE(list->index(claude, SessionListModel::TurnsColumn).data().toString(), u"5 (1 side)"_s);
    QCOMPARE(list->index(claude, SessionListModel::TurnsColumn).data(SessionListModel::SortRole).toLongLong(), 5);
    QVERIFY(list->index(claude, SessionListModel::CostColumn).data().toString().startsWith(u'$'));
    selectClaude(page);
    SessionTurnsModel *turns = page.turnsModel();
    const QStringList verdicts{u"first_turn"_s, u"hit"_s, u"prefix_changed"_s, u"route_changed"_s, u"first_turn"_s};
    for (int row = 0; row < verdicts.size(); ++row) {
        QCOMPARE(turns->index(row, 0).data(SessionTurnsModel::VerdictRole).toString(), verdicts.at(row));
        QCOMPARE(turns->index(row, 0).data(SessionTurnsModel::IdRole).toString(), m_scenario->claudeIds.at(row));
    }
    QCOMPARE(turns->index(2, SessionTurnsModel::ReasonColumn).data().toString(), u"the prefix changed: tool `Bash` changed"_s);
    QVERIFY(turns->index(3, SessionTurnsModel::ReasonColumn).data().toString().contains(u"anthropic-b/claude-sonnet-4-5"_s));
    QCOMPARE(turns->index(4, SessionTurnsModel::TurnColumn).data().toString(), u"5 (side)"_s);
    QCOMPARE(turns->index(1, SessionTurnsModel::CacheReadColumn).data(SessionTurnsModel::SortRole).toLongLong(),
             qint64(SessionScenario::PromptTokens - 200));
    QCOMPARE(page.chart()->barCount(), 5);
    // The Codex session: its late third turn found the cache expired.
    page.selectSession(SessionScenario::CodexSession);
    QTRY_VERIFY_WITH_TIMEOUT(turns->sessionId() == SessionScenario::CodexSession && !turns->isLoading() && turns->rowCount() == 3, 10000);
    QCOMPARE(turns->index(2, 0).data(SessionTurnsModel::VerdictRole).toString(), u"expired"_s);
    QVERIFY(turns->index(2, SessionTurnsModel::ReasonColumn).data().toString().startsWith(u"the cache expired: 12 min"_s));
}

void TestSessionsPage::changesOfTheSelectedTurn()
{
    PageFixture f(m_dir.filePath(u"requests.db"_s), m_engine->engine());
    SessionsPage &page = f.page;
    selectClaude(page);
    page.selectTurn(2);
    SessionChangesModel *changes = page.changesModel();
    QCOMPARE(changes->rowCount(), 3);
    QCOMPARE(changes->index(0, SessionChangesModel::KindColumn).data(SessionChangesModel::KindRole).toInt(), int(SegmentChange::Kind::Changed));
    QCOMPARE(changes->index(0, SessionChangesModel::SegmentColumn).data().toString(), u"tool `Bash`"_s);
    QCOMPARE(changes->index(1, SessionChangesModel::SegmentColumn).data().toString(), u"message 4 (assistant)"_s);
    QVERIFY(changes->index(1, SessionChangesModel::TokensColumn).data(SessionChangesModel::SortRole).toLongLong() > 0);
    const QString title = page.findChild<QLabel *>(u"turnTitle"_s)->text();
    QVERIFY2(title.startsWith(u"Turn 3 · context: system"_s), qPrintable(title));
}

void TestSessionsPage::jumpsToTraces()
{
    PageFixture f(m_dir.filePath(u"requests.db"_s), m_engine->engine());
    SessionsPage &page = f.page;
    selectClaude(page);
    page.selectTurn(3);
    QSignalSpy opened(&page, &SessionsPage::requestOpened);
    auto *button = page.findChild<QPushButton *>(u"openInTraces"_s);
    QVERIFY(button->isEnabled());
    button->click();
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.constFirst().constFirst().toString(), m_scenario->claudeIds.at(3));
}

void TestSessionsPage::newTurnsArriveLive()
{
    PageFixture f(m_dir.filePath(u"requests.db"_s), m_engine->engine());
    SessionsPage &page = f.page;
    selectClaude(page);
    const auto oneMoreTurn = [this] {
        // One more turn of the Claude Code session, as the agent goes on.
        const QByteArray body = R"({"model":"claude","max_tokens":100,"messages":[{"role":"user","content":"one more"}]})";
        const RawHttpClient::Response r = RawHttpClient::fetch(
            m_engine->port(), "POST", "/v1/messages", body,
            {{"Content-Type", "application/json"}, {"X-Claude-Code-Session-Id", SessionScenario::ClaudeSession.toUtf8()}});
        ++m_claudeTurns;
        return r.status == 200 && m_engine->waitForWritten(++m_written);
    };
    // Hidden behind another tab, the page does not read the session's bodies for every call...
    QVERIFY(oneMoreTurn());
    QTest::qWait(3 * SessionsPage::ReloadDelayMs);
    QCOMPARE(page.turnsModel()->rowCount(), 5);
    // ...and catches up when it comes into view.
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_COMPARE_WITH_TIMEOUT(page.turnsModel()->rowCount(), 6, 10000);
    // In view, turns arrive live.
    QVERIFY(oneMoreTurn());
    QTRY_COMPARE_WITH_TIMEOUT(page.turnsModel()->rowCount(), 7, 10000);
    QCOMPARE(page.sessionsModel()->session(page.sessionsModel()->rowOf(SessionScenario::ClaudeSession)).turns, 7);
}

void TestSessionsPage::screenshot()
{
    PageFixture f(m_dir.filePath(u"requests.db"_s), m_engine->engine());
    SessionsPage &page = f.page;
    page.resize(1280, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    selectClaude(page);
    page.selectTurn(2);
    QTest::qWait(100); // the chart's queued replot
    const QImage image = page.grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(QDir(dir).filePath(u"sessions.png"_s)));
    }
}

QTEST_MAIN(TestSessionsPage)
#include "tst_SessionsPage.moc"
