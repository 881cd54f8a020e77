// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/BaselineSelection.h"
#include "core/log/BaselineStore.h"
#include <QDialog>
#include <QHash>

class QAbstractItemView;
class QAction;
class QComboBox;
class QLabel;
class QPushButton;

namespace Switchyard {

class LogReader;

// "Add to baseline…": picks an existing baseline (listed as "name (N requests)") or takes a
// new name, checked as it is typed, then selects the chosen requests with their bodies and
// appends them on the log reader's thread (BaselineSelection, BaselineStore::add). Requests
// that cannot be in a baseline are skipped and said so; a refusal (past MaxRequests, a log
// error) stays in the dialog, with nothing added, so another name can be tried.
class AddToBaselineDialog final : public QDialog
{
    Q_OBJECT
public:
    // What to add: these requests, or (ids empty) every call of a session, up to MaxRequests.
    struct Source
    {
        QStringList ids;
        QString sessionId;
        QString origin; // kept as a new baseline's origin: "chosen in Traces"
    };
    // What an add did.
    struct Outcome
    {
        QString name;
        int usable = 0; // requests that could go in
        int added = 0;  // of them, those not in the baseline before
        QList<BaselineSelection::Skipped> skipped;
    };

    AddToBaselineDialog(LogReader *reader, const Source &source, QWidget *parent = nullptr);

    // Opens one over `view` (deleted when closed); the outcome goes to the window's status bar.
    static AddToBaselineDialog *start(LogReader *reader, const Source &source, QWidget *view);
    // An "Add to baseline…" action (a child of `view`, placed by the caller), enabled while rows
    // are selected, adding the requests whose ids the selected rows hold at `idRole`.
    static QAction *selectionAction(QAbstractItemView *view, int idRole, LogReader *reader, const QString &origin);
    static QStringList selectedIds(const QAbstractItemView *view, int idRole);
    // "Added 3 requests to baseline ‘b’ (1 skipped: its body was not stored)".
    static QString outcomeText(const Outcome &outcome);

    // The baseline the name field names: a listed one, or the typed name.
    QString baselineName() const;
    QComboBox *nameBox() const { return m_name; }
    QPushButton *addButton() const { return m_add; }
    bool isListed() const { return m_listed; }
    bool isBusy() const { return m_busy; }
    QString hint() const;
    QString message() const;

public Q_SLOTS:
    void accept() override;
    void reject() override;

Q_SIGNALS:
    void baselinesListed();
    // The requests went in; `message` is outcomeText's.
    void added(const QString &baseline, const QString &message);
    // Nothing was added; the dialog stays open with `message`.
    void failed(const QString &message);

private:
    void listBaselines();
    void showBaselines(const Result<QList<BaselineInfo>> &baselines);
    void updateHint();
    void showMessage(const QString &text, bool error);
    void finish(const Result<Outcome> &outcome);

    LogReader *m_reader;
    Source m_source;
    QHash<QString, int> m_existing; // name → requests
    QComboBox *m_name;
    QLabel *m_hint;
    QLabel *m_message;
    QPushButton *m_add = nullptr;
    bool m_listed = false;
    bool m_busy = false;
};

} // namespace Switchyard
