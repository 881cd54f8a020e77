// SPDX-License-Identifier: GPL-3.0-or-later
// "Add to baseline…" over a real log (written by the real LogWriter, read and edited through a
// real LogReader): the dialog on its own, then from the Traces, Failures and Sessions pages.
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/AddToBaselineDialog.h"
#include "ui/EngineLink.h"
#include "ui/failures/FailureRequestsModel.h"
#include "ui/failures/FailuresPage.h"
#include "ui/sessions/SessionListModel.h"
#include "ui/sessions/SessionTurnsModel.h"
#include "ui/sessions/SessionsPage.h"
#include "ui/traces/TraceModel.h"
#include "ui/traces/TracesPage.h"
#include <QAction>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <optional>

using namespace Switchyard;
using namespace Qt::StringLiterals;

class TestAddToBaseline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addsTwoRequestsToANewBaseline();
    void addingAgainAppendsOnlyNewRequests();
    void nameIsCheckedAsTyped_data();
    void nameIsCheckedAsTyped();
    void requestsWithoutBodiesAreSkipped();
    void tooManyRequestsAreRefusedUpFront();
    void outcomeNamesEachReason();
    void tracesPageAddsTheSelectedRows();
    void failuresPageAddsAGroup();
    void sessionsPageAddsAWholeSession();

private:
    CallRecord call(qint64 startedAtMs, bool fail = false);
    std::optional<BaselineInfo> info(const QString &name);
    QList<CallRecord> requests(const QString &name);
    // Waits for the list, names the baseline, presses Add and waits for the outcome.
    static bool addTo(AddToBaselineDialog *dialog, const QString &name, QString *message);

    QTemporaryDir m_dir;
    std::unique_ptr<LogReader> m_reader;
    Test::SyntheticCalls m_calls{77};
    CallRecord m_first, m_second, m_third, m_shed, m_failure;
    QList<CallRecord> m_session;
};

namespace {

constexpr int Patience = 15000;
const QString Session = u"5f1c2b9e-baseline-session-000001"_s;

// The answer of `work` on the reader's thread, or nullopt when none came in time.
template <typename R>
std::optional<R> onLogThread(LogReader &reader, std::function<R(LogQueries &, BaselineStore &)> work)
{
    std::optional<R> answer;
    QObject context;
    reader.edit<R>(&context, std::move(work), [&answer](const R &result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, Patience))
        qWarning("no answer from the log reader's thread");
    return answer;
}

template <typename T>
T *waitForChild(QObject *parent)
{
    T *child = nullptr;
    return QTest::qWaitFor([&] { return (child = parent->findChild<T *>()) != nullptr; }, Patience) ? child : nullptr;
}

} // namespace

CallRecord TestAddToBaseline::call(qint64 startedAtMs, bool fail)
{
    CallRecord r = m_calls.one(startedAtMs, fail);
    r.endpoint = u"/v1/chat/completions"_s; // never an embedding: it has no answer to compare
    return r;
}

void TestAddToBaseline::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(u"log.sqlite"_s);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_first = call(now - 50 * 60 * 1000);
    m_second = call(now - 40 * 60 * 1000);
    m_third = call(now - 30 * 60 * 1000);
    m_shed = call(now - 20 * 60 * 1000);
    m_shed.bodiesShed = true; // the writer was behind: the row without its bodies
    m_failure = call(now - 15 * 60 * 1000, true);
    for (int turn = 0; turn < 3; ++turn) {
        CallRecord r = call(now - (10 - turn) * 60 * 1000);
        r.requestHeaders.add("x-claude-code-session-id", Session.toUtf8());
        m_session << r;
    }
    LogWriter writer(path, LogConfig());
    QVERIFY2(writer.open(), qPrintable(writer.errorString()));
    writer.append(QList<CallRecord>{m_first, m_second, m_third, m_shed, m_failure} + m_session);
    writer.flush();
    m_reader = std::make_unique<LogReader>(path);
}

std::optional<BaselineInfo> TestAddToBaseline::info(const QString &name)
{
    const auto answer = onLogThread<Result<std::optional<BaselineInfo>>>(
        *m_reader, [name](LogQueries &, BaselineStore &store) { return store.info(name); });
    if (!answer || !*answer)
        return std::nullopt;
    return answer->value();
}

QList<CallRecord> TestAddToBaseline::requests(const QString &name)
{
    const auto answer =
        onLogThread<Result<QList<CallRecord>>>(*m_reader, [name](LogQueries &, BaselineStore &store) { return store.requests(name); });
    return answer && *answer ? answer->value() : QList<CallRecord>();
}

bool TestAddToBaseline::addTo(AddToBaselineDialog *dialog, const QString &name, QString *message)
{
    if (!QTest::qWaitFor([dialog] { return dialog->isListed(); }, Patience))
        return false;
    const int listed = dialog->nameBox()->findData(name);
    if (listed >= 0)
        dialog->nameBox()->setCurrentIndex(listed);
    else
        dialog->nameBox()->setEditText(name);
    if (dialog->baselineName() != name || !dialog->addButton()->isEnabled())
        return false;
    QSignalSpy added(dialog, &AddToBaselineDialog::added);
    QSignalSpy failed(dialog, &AddToBaselineDialog::failed);
    dialog->addButton()->click();
    if (!QTest::qWaitFor([&] { return added.size() + failed.size() > 0; }, Patience))
        return false;
    *message = added.isEmpty() ? failed.constFirst().at(0).toString() : added.constFirst().at(1).toString();
    return !added.isEmpty() && added.constFirst().at(0).toString() == name;
}

void TestAddToBaseline::addsTwoRequestsToANewBaseline()
{
    AddToBaselineDialog dialog(m_reader.get(), {{m_first.id, m_second.id}, {}, u"chosen in Traces"_s});
    QString message;
    QVERIFY(addTo(&dialog, u"first"_s, &message));
    QCOMPARE(message, u"Added 2 requests to baseline ‘first’"_s);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const std::optional<BaselineInfo> first = info(u"first"_s);
    QVERIFY(first);
    QCOMPARE(first->requests, 2);
    QCOMPARE(first->origin, u"chosen in Traces"_s);
    const QList<CallRecord> kept = requests(u"first"_s);
    QCOMPARE(kept.size(), 2);
    QCOMPARE(kept.at(0).id, m_first.id);
    QCOMPARE(kept.at(0).requestBody, m_first.requestBody);
    QCOMPARE(kept.at(0).responseBody, m_first.responseBody);
    QCOMPARE(kept.at(1).id, m_second.id);
    QCOMPARE(kept.at(1).requestBody, m_second.requestBody);
    QCOMPARE(kept.at(1).responseBody, m_second.responseBody);
}

void TestAddToBaseline::addingAgainAppendsOnlyNewRequests()
{
    QVERIFY(info(u"first"_s)); // addsTwoRequestsToANewBaseline made it
    // Listed newest first, as Traces shows them: the baseline keeps the order they were made in.
    AddToBaselineDialog dialog(m_reader.get(), {{m_third.id, m_second.id}, {}, u"chosen again"_s});
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isListed(), Patience);
    QVERIFY(dialog.nameBox()->findText(u"first (2 requests)"_s) >= 0);
    QString message;
    QVERIFY(addTo(&dialog, u"first"_s, &message));
    QCOMPARE(message, u"Added 1 request to baseline ‘first’ (1 already in it)"_s);
    const std::optional<BaselineInfo> first = info(u"first"_s);
    QVERIFY(first);
    QCOMPARE(first->requests, 3);
    QCOMPARE(first->origin, u"chosen in Traces"_s); // an existing baseline keeps its origin
    const QList<CallRecord> kept = requests(u"first"_s);
    QCOMPARE(kept.size(), 3);
    QCOMPARE(kept.at(2).id, m_third.id);
}

void TestAddToBaseline::nameIsCheckedAsTyped_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("hint");
    QTest::newRow("empty") << QString() << false << u"Pick a baseline to add to, or type a name for a new one."_s;
    QTest::newRow("slash") << u"bad/name"_s << false << u"letters, digits, spaces"_s;
    QTest::newRow("65 characters") << QString(65, u'a') << false << u"letters, digits, spaces"_s;
    QTest::newRow("quote") << u"it's"_s << false << u"letters, digits, spaces"_s;
    QTest::newRow("new name") << u"nightly run_2.1"_s << true << u"Creates the baseline ‘nightly run_2.1’."_s;
    QTest::newRow("padded") << u"  padded "_s << true << u"Creates the baseline ‘padded’."_s;
}

void TestAddToBaseline::nameIsCheckedAsTyped()
{
    QFETCH(QString, name);
    QFETCH(bool, accepted);
    QFETCH(QString, hint);
    AddToBaselineDialog dialog(m_reader.get(), {{m_first.id}, {}, u"chosen in Traces"_s});
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isListed(), Patience);
    dialog.nameBox()->setEditText(u"something valid"_s);
    QVERIFY(dialog.addButton()->isEnabled());
    dialog.nameBox()->setEditText(name);
    QCOMPARE(dialog.addButton()->isEnabled(), accepted);
    QVERIFY2(dialog.hint().contains(hint), qPrintable(dialog.hint()));
    if (!accepted) {
        dialog.accept(); // pressing Enter with a refused name does nothing
        QVERIFY(!dialog.isBusy());
        QVERIFY(dialog.message().isEmpty());
    }
}

void TestAddToBaseline::requestsWithoutBodiesAreSkipped()
{
    AddToBaselineDialog dialog(m_reader.get(), {{m_shed.id, m_third.id}, {}, u"chosen in Traces"_s});
    QString message;
    QVERIFY(addTo(&dialog, u"second"_s, &message));
    QCOMPARE(message, u"Added 1 request to baseline ‘second’ (1 skipped: its body was not stored)"_s);
    QCOMPARE(info(u"second"_s).value_or(BaselineInfo()).requests, 1);

    // Nothing usable: nothing added, no empty baseline, and the dialog says why and stays open.
    AddToBaselineDialog onlyShed(m_reader.get(), {{m_shed.id}, {}, u"chosen in Traces"_s});
    QVERIFY(!addTo(&onlyShed, u"third"_s, &message));
    QCOMPARE(message, u"Nothing was added: none of these requests can be in a baseline (1 skipped: its body was not stored)"_s);
    QCOMPARE(onlyShed.message(), message);
    QVERIFY(onlyShed.addButton()->isEnabled()); // another try is possible
    QVERIFY(!info(u"third"_s));
}

void TestAddToBaseline::tooManyRequestsAreRefusedUpFront()
{
    QStringList ids;
    for (int n = 0; n <= BaselineStore::MaxRequests; ++n)
        ids << u"req_%1"_s.arg(n);
    AddToBaselineDialog dialog(m_reader.get(), {ids, {}, u"chosen in Traces"_s});
    dialog.nameBox()->setEditText(u"huge"_s);
    QVERIFY(!dialog.addButton()->isEnabled());
    QCOMPARE(dialog.message(), u"A baseline holds at most 1000 requests and 1001 are chosen: choose fewer."_s);
}

void TestAddToBaseline::outcomeNamesEachReason()
{
    AddToBaselineDialog::Outcome outcome{u"b"_s, 4, 3, {}};
    outcome.skipped = {{u"req_1"_s, u"its body was not stored"_s},
                       {u"req_2"_s, u"a call to /v1/embeddings has no answer to compare"_s},
                       {u"req_3"_s, u"its body was not stored"_s}};
    QCOMPARE(AddToBaselineDialog::outcomeText(outcome),
             u"Added 3 requests to baseline ‘b’ (2 skipped: its body was not stored; 1 skipped: a call to /v1/embeddings has no "
             u"answer to compare; 1 already in it)"_s);
}

void TestAddToBaseline::tracesPageAddsTheSelectedRows()
{
    EngineLink link(m_reader.get());
    TracesPage page(&link);
    QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 8, Patience);
    QAction *action = page.addToBaselineAction();
    auto *button = page.findChild<QToolButton *>(u"addToBaseline"_s);
    QVERIFY(button);
    QCOMPARE(button->defaultAction(), action);
    QVERIFY(page.QWidget::actions().contains(action)); // Ctrl+B anywhere on the page
    QVERIFY(page.minimumSizeHint().width() <= 1000);   // the window still fits 1024 pixels
    QVERIFY(!action->isEnabled());
    QItemSelection rows;
    for (const QString &id : {m_first.id, m_third.id}) {
        const QModelIndex index = page.model()->index(page.model()->rowOfId(id), 0);
        rows.select(index, index);
    }
    page.table()->selectionModel()->select(rows, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(action->isEnabled());
    QCOMPARE(AddToBaselineDialog::selectedIds(page.table(), TraceModel::IdRole).size(), 2);
    action->trigger();
    auto *dialog = waitForChild<AddToBaselineDialog>(&page);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QString message;
    QVERIFY(addTo(dialog, u"from traces"_s, &message));
    QCOMPARE(message, u"Added 2 requests to baseline ‘from traces’"_s);
    QTRY_VERIFY(!page.findChild<AddToBaselineDialog *>()); // closed and gone
    const std::optional<BaselineInfo> kept = info(u"from traces"_s);
    QVERIFY(kept);
    QCOMPARE(kept->requests, 2);
    QCOMPARE(kept->origin, u"chosen in Traces"_s);
    page.table()->clearSelection();
    QVERIFY(!action->isEnabled());
}

void TestAddToBaseline::failuresPageAddsAGroup()
{
    EngineLink link(m_reader.get());
    FailuresPage page(&link);
    QVERIFY(page.findChild<QTreeView *>(u"requestsView"_s)->actions().contains(page.addToBaselineAction()));
    QVERIFY(page.findChild<QTreeView *>(u"groupsView"_s)->actions().contains(page.addGroupToBaselineAction()));
    QTRY_VERIFY_WITH_TIMEOUT(page.addGroupToBaselineAction()->isEnabled(), Patience);
    QTRY_VERIFY_WITH_TIMEOUT(page.addToBaselineAction()->isEnabled(), Patience); // the first request is selected
    QCOMPARE(page.requestsModel()->ids(), QStringList{m_failure.id});
    page.addGroupToBaseline();
    auto *dialog = waitForChild<AddToBaselineDialog>(&page);
    QVERIFY(dialog);
    QString message;
    QVERIFY(addTo(dialog, u"failures"_s, &message));
    QCOMPARE(message, u"Added 1 request to baseline ‘failures’"_s);
    const std::optional<BaselineInfo> kept = info(u"failures"_s);
    QVERIFY(kept);
    QCOMPARE(kept->requests, 1);
    QVERIFY(kept->origin.startsWith(u"chosen in Failures: "_s));
    QCOMPARE(requests(u"failures"_s).constFirst().responseBody, m_failure.responseBody);
}

void TestAddToBaseline::sessionsPageAddsAWholeSession()
{
    EngineLink link(m_reader.get());
    SessionsPage page(&link);
    QTRY_VERIFY_WITH_TIMEOUT(page.sessionsModel()->rowCount() > 0, Patience);
    page.selectSession(Session);
    QTRY_VERIFY_WITH_TIMEOUT(page.turnsModel()->sessionId() == Session && !page.turnsModel()->isLoading(), Patience);
    QCOMPARE(page.turnsModel()->rowCount(), 3);
    QVERIFY(page.addSessionAction()->isEnabled());
    QVERIFY(page.sessionsView()->actions().contains(page.addSessionAction()));
    QVERIFY(page.turnsView()->actions().contains(page.addTurnsAction()));
    page.addSessionAction()->trigger();
    auto *dialog = waitForChild<AddToBaselineDialog>(&page);
    QVERIFY(dialog);
    QString message;
    QVERIFY(addTo(dialog, u"session one"_s, &message));
    QCOMPARE(message, u"Added 3 requests to baseline ‘session one’"_s);
    QTRY_VERIFY(!page.findChild<AddToBaselineDialog *>());
    const QList<CallRecord> kept = requests(u"session one"_s);
    QCOMPARE(kept.size(), 3);
    for (int turn = 0; turn < 3; ++turn)
        QCOMPARE(kept.at(turn).id, m_session.at(turn).id);
    QCOMPARE(info(u"session one"_s).value_or(BaselineInfo()).origin, u"session %1, chosen in Sessions"_s.arg(Session));

    // Two of its turns, selected in the turns table, go into another baseline.
    QItemSelection turns;
    turns.select(page.turnsModel()->index(0, 0), page.turnsModel()->index(0, 0));
    turns.select(page.turnsModel()->index(2, 0), page.turnsModel()->index(2, 0));
    page.turnsView()->selectionModel()->select(turns, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(page.addTurnsAction()->isEnabled());
    page.addTurnsAction()->trigger();
    dialog = waitForChild<AddToBaselineDialog>(&page);
    QVERIFY(dialog);
    QVERIFY(addTo(dialog, u"two turns"_s, &message));
    QCOMPARE(message, u"Added 2 requests to baseline ‘two turns’"_s);
}

QTEST_MAIN(TestAddToBaseline)
#include "tst_AddToBaseline.moc"
