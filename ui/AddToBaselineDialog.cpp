// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AddToBaselineDialog.h"
#include "core/log/LogReader.h"
#include "ui/SemanticColours.h"
#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPushButton>
#include <QSet>
#include <QStatusBar>
#include <QVBoxLayout>
#include <algorithm>

namespace Switchyard {

namespace {

constexpr int StatusMs = 8000;

QString requestCount(int n)
{
    return n == 1 ? AddToBaselineDialog::tr("1 request") : AddToBaselineDialog::tr("%1 requests").arg(n);
}

// "2 skipped: its body was not stored", one note per reason, in the order first met.
QStringList skippedNotes(const QList<BaselineSelection::Skipped> &skipped)
{
    QStringList reasons, notes;
    for (const BaselineSelection::Skipped &s : skipped) {
        if (reasons.contains(s.reason))
            continue;
        reasons << s.reason;
        const auto n = std::count_if(skipped.cbegin(), skipped.cend(), [&s](const auto &other) { return other.reason == s.reason; });
        notes << AddToBaselineDialog::tr("%1 skipped: %2").arg(QString::number(n), s.reason);
    }
    return notes;
}

// On the log reader's thread: the chosen requests with their bodies, appended to `name`.
Result<AddToBaselineDialog::Outcome> addRequests(LogQueries &queries, BaselineStore &store, const AddToBaselineDialog::Source &source,
                                                 const QString &name)
{
    BaselineFilter filter;
    filter.session = source.sessionId;
    filter.limit = BaselineStore::MaxRequests;
    const Result<BaselineSelection> chosen =
        source.ids.isEmpty() ? BaselineSelection::byFilter(queries, filter) : BaselineSelection::byIds(queries, source.ids);
    if (!chosen)
        return chosen.error();
    BaselineSelection selection = chosen.value();
    // In the order they were made, however the view listed them.
    std::stable_sort(selection.records.begin(), selection.records.end(),
                     [](const CallRecord &a, const CallRecord &b) { return a.startedAt < b.startedAt; });
    AddToBaselineDialog::Outcome outcome{name, int(selection.records.size()), 0, selection.skipped};
    if (selection.records.isEmpty())
        return outcome;
    const Result<int> added = store.add(name, source.origin, selection.records);
    if (!added)
        return added.error();
    outcome.added = added.value();
    return outcome;
}

} // namespace

AddToBaselineDialog::AddToBaselineDialog(LogReader *reader, const Source &source, QWidget *parent)
    : QDialog(parent)
    , m_reader(reader)
    , m_source(source)
    , m_name(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Add to baseline"));
    setMinimumWidth(500);
    auto *layout = new QVBoxLayout(this);
    auto *what = new QLabel(this);
    what->setObjectName(QStringLiteral("baselineSource"));
    what->setWordWrap(true);
    if (source.ids.isEmpty())
        what->setText(tr("Add the calls of session ‘%1’ (the latest %2 at most) to a baseline, which keeps its own copy of each, "
                         "bodies included.")
                          .arg(source.sessionId, QString::number(BaselineStore::MaxRequests)));
    else
        what->setText(
            tr("Add %1 to a baseline, which keeps its own copy of each, bodies included.").arg(requestCount(int(source.ids.size()))));
    layout->addWidget(what);
    m_name->setObjectName(QStringLiteral("baselineName"));
    m_name->setEditable(true);
    m_name->setInsertPolicy(QComboBox::NoInsert);
    m_name->setCompleter(nullptr); // a completion would turn a new name into a listed one
    m_name->lineEdit()->setPlaceholderText(tr("A new name, or pick a baseline"));
    m_name->setMinimumContentsLength(28);
    auto *form = new QFormLayout;
    form->addRow(tr("Baseline:"), m_name);
    layout->addLayout(form);
    m_hint->setObjectName(QStringLiteral("baselineHint"));
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_message->setObjectName(QStringLiteral("baselineMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_add = buttons->button(QDialogButtonBox::Ok);
    m_add->setText(tr("Add"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddToBaselineDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddToBaselineDialog::reject);
    connect(m_name, &QComboBox::editTextChanged, this, &AddToBaselineDialog::updateHint);

    if (source.ids.size() > BaselineStore::MaxRequests)
        showMessage(tr("A baseline holds at most %1 requests and %2 are chosen: choose fewer.")
                        .arg(QString::number(BaselineStore::MaxRequests), QString::number(source.ids.size())),
                    true);
    else if (source.ids.isEmpty() && source.sessionId.isEmpty())
        showMessage(tr("No request is chosen."), true);
    updateHint();
    listBaselines();
}

AddToBaselineDialog *AddToBaselineDialog::start(LogReader *reader, const Source &source, QWidget *view)
{
    auto *dialog = new AddToBaselineDialog(reader, source, view);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (auto *window = qobject_cast<QMainWindow *>(view->window())) {
        QStatusBar *bar = window->statusBar();
        connect(dialog, &AddToBaselineDialog::added, bar,
                [bar](const QString &, const QString &message) { bar->showMessage(message, StatusMs); });
    }
    dialog->open();
    return dialog;
}

QAction *AddToBaselineDialog::selectionAction(QAbstractItemView *view, int idRole, LogReader *reader, const QString &origin)
{
    auto *action = new QAction(tr("Add to baseline…"), view);
    action->setObjectName(QStringLiteral("addToBaseline"));
    action->setToolTip(tr("Add the selected requests, with their bodies, to a baseline an evaluation can replay"));
    const auto update = [action, view, reader] { action->setEnabled(reader && view->selectionModel()->hasSelection()); };
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, action, update);
    connect(view->model(), &QAbstractItemModel::modelReset, action, update);
    connect(action, &QAction::triggered, view, [view, idRole, reader, origin] {
        const QStringList ids = selectedIds(view, idRole);
        if (!ids.isEmpty() && reader)
            start(reader, Source{ids, QString(), origin}, view);
    });
    update();
    return action;
}

QStringList AddToBaselineDialog::selectedIds(const QAbstractItemView *view, int idRole)
{
    QStringList ids;
    QSet<QString> seen;
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const QString id = row.data(idRole).toString();
        if (!id.isEmpty() && !seen.contains(id)) {
            seen.insert(id);
            ids << id;
        }
    }
    return ids;
}

QString AddToBaselineDialog::outcomeText(const Outcome &outcome)
{
    QStringList notes = skippedNotes(outcome.skipped);
    if (const int present = outcome.usable - outcome.added; present > 0)
        notes << tr("%1 already in it").arg(present);
    const QString added = outcome.added == 1 ? tr("Added 1 request to baseline ‘%1’").arg(outcome.name)
                                             : tr("Added %1 requests to baseline ‘%2’").arg(QString::number(outcome.added), outcome.name);
    return notes.isEmpty() ? added : tr("%1 (%2)").arg(added, notes.join(QStringLiteral("; ")));
}

QString AddToBaselineDialog::baselineName() const
{
    const QString text = m_name->currentText();
    const int listed = m_name->findText(text, Qt::MatchExactly);
    return listed >= 0 ? m_name->itemData(listed).toString() : text.trimmed();
}

QString AddToBaselineDialog::hint() const
{
    return m_hint->text();
}

QString AddToBaselineDialog::message() const
{
    return m_message->text();
}

void AddToBaselineDialog::listBaselines()
{
    if (!m_reader)
        return showMessage(tr("The request log is not open."), true);
    m_reader->edit<Result<QList<BaselineInfo>>>(
        this, [](LogQueries &, BaselineStore &store) { return store.list(); },
        [this](const Result<QList<BaselineInfo>> &baselines) { showBaselines(baselines); });
}

void AddToBaselineDialog::showBaselines(const Result<QList<BaselineInfo>> &baselines)
{
    m_listed = true;
    if (!baselines) {
        showMessage(tr("Cannot list the baselines: %1").arg(baselines.error().message), true);
    } else {
        const QString typed = m_name->currentText();
        const QSignalBlocker blocker(m_name);
        m_name->clear();
        m_existing.clear();
        for (const BaselineInfo &info : baselines.value()) {
            m_name->addItem(tr("%1 (%2)").arg(info.name, requestCount(info.requests)), info.name);
            m_existing.insert(info.name, info.requests);
        }
        m_name->setCurrentIndex(-1);
        m_name->setEditText(typed);
    }
    updateHint();
    Q_EMIT baselinesListed();
}

void AddToBaselineDialog::updateHint()
{
    const QString name = baselineName();
    const bool valid = BaselineStore::isValidName(name);
    if (name.isEmpty())
        m_hint->setText(tr("Pick a baseline to add to, or type a name for a new one."));
    else if (!valid)
        m_hint->setText(tr("A baseline's name has 1 to 64 letters, digits, spaces, dots, underscores or hyphens."));
    else if (const auto existing = m_existing.constFind(name); existing != m_existing.constEnd())
        m_hint->setText(tr("Adds to ‘%1’, which holds %2; a request already in it is not added twice.").arg(name, requestCount(*existing)));
    else
        m_hint->setText(tr("Creates the baseline ‘%1’.").arg(name));
    const bool chosen = (!m_source.ids.isEmpty() || !m_source.sessionId.isEmpty()) && m_source.ids.size() <= BaselineStore::MaxRequests;
    m_add->setEnabled(valid && chosen && m_reader && !m_busy);
}

void AddToBaselineDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: %1;").arg(SemanticColours::css(SemanticColours::Tone::Error)) : QString());
}

void AddToBaselineDialog::accept()
{
    if (!m_add->isEnabled())
        return;
    m_busy = true;
    updateHint();
    m_name->setEnabled(false);
    showMessage(tr("Adding…"), false);
    m_reader->edit<Result<Outcome>>(
        this,
        [source = m_source, name = baselineName()](LogQueries &queries, BaselineStore &store) {
            return addRequests(queries, store, source, name);
        },
        [this](const Result<Outcome> &outcome) { finish(outcome); });
}

void AddToBaselineDialog::reject()
{
    if (!m_busy) // the add runs on: wait for its outcome rather than lose it
        QDialog::reject();
}

void AddToBaselineDialog::finish(const Result<Outcome> &outcome)
{
    m_busy = false;
    m_name->setEnabled(true);
    QString problem;
    if (!outcome)
        problem = outcome.error().message;
    else if (outcome.value().usable == 0)
        problem = outcome.value().skipped.isEmpty() ? tr("the session has no calls in the log")
                                                    : tr("none of these requests can be in a baseline (%1)")
                                                          .arg(skippedNotes(outcome.value().skipped).join(QStringLiteral("; ")));
    if (!problem.isEmpty()) {
        const QString text = tr("Nothing was added: %1").arg(problem);
        showMessage(text, true);
        updateHint();
        Q_EMIT failed(text);
        return;
    }
    const QString text = outcomeText(outcome.value());
    showMessage(text, false);
    updateHint();
    Q_EMIT added(outcome.value().name, text);
    QDialog::accept();
}

} // namespace Switchyard
