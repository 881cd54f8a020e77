// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TranslationNotesView.h"
#include <QTest>

using namespace Switchyard;

// The Traces detail's "Translation notes" tab: each translated attempt's notes, grouped by
// attempt, with what was done and why; an untranslated call says nothing was changed.
class TestTranslationNotesView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsEachNoteUnderItsAttempt();
    void saysWhenNothingWasTranslated();
};

void TestTranslationNotesView::showsEachNoteUnderItsAttempt()
{
    CallRecord record;
    Attempt failed;
    failed.provider = QStringLiteral("oai");
    failed.model = QStringLiteral("gpt-5");
    failed.translationNotes = {{TranslationNote::Action::Dropped, QStringLiteral("context_management"),
                                QStringLiteral("context editing is done by Anthropic's API")},
                               {TranslationNote::Action::Mapped, QStringLiteral("output_config.effort"),
                                QStringLiteral("→ reasoning_effort \"high\"")}};
    Attempt passthrough; // the fallback target spoke the client's dialect: nothing to note
    passthrough.provider = QStringLiteral("claude");
    passthrough.model = QStringLiteral("claude-sonnet-4-5");
    record.attempts = {failed, passthrough};

    TranslationNotesView view;
    view.setCall(record);
    QCOMPARE(view.noteCount(), 2);
    QCOMPARE(view.topLevelItemCount(), 1);
    const QTreeWidgetItem *group = view.topLevelItem(0);
    QVERIFY2(group->text(0).contains(QStringLiteral("Attempt 1: oai/gpt-5")), qPrintable(group->text(0)));
    QCOMPARE(group->childCount(), 2);
    QCOMPARE(group->child(0)->text(0), QStringLiteral("context_management"));
    QCOMPARE(group->child(0)->text(1), QStringLiteral("dropped"));
    QVERIFY(group->child(0)->text(2).contains(QStringLiteral("Anthropic's API")));
    QCOMPARE(group->child(1)->text(1), QStringLiteral("mapped"));
}

void TestTranslationNotesView::saysWhenNothingWasTranslated()
{
    CallRecord record;
    record.attempts = {Attempt()};
    TranslationNotesView view;
    view.setCall(record);
    QCOMPARE(view.noteCount(), 0);
    QCOMPARE(view.topLevelItemCount(), 1);
    QVERIFY(view.topLevelItem(0)->text(0).startsWith(QStringLiteral("Nothing was translated")));
    view.setCall(CallRecord()); // a new call replaces the old rows
    QCOMPARE(view.topLevelItemCount(), 1);
}

QTEST_MAIN(TestTranslationNotesView)
#include "tst_TranslationNotesView.moc"
