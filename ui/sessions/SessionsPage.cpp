// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionsPage.h"
#include "ui/RowTable.h"
#include "ui/AddToBaselineDialog.h"
#include "ui/EngineLink.h"
#include "ui/sessions/SessionChangesModel.h"
#include "ui/sessions/SessionFormat.h"
#include "ui/sessions/SessionListModel.h"
#include "ui/sessions/SessionTimelineChart.h"
#include "ui/sessions/SessionTurnsModel.h"
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QVBoxLayout>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

namespace Switchyard {

SessionsPage::SessionsPage(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_sessions(new SessionListModel(this))
    , m_sessionsProxy(new QSortFilterProxyModel(this))
    , m_turns(new SessionTurnsModel(this))
    , m_changes(new SessionChangesModel(this))
    , m_reloadTimer(new QTimer(this))
{
    m_sessionsProxy->setSourceModel(m_sessions);
    m_sessionsProxy->setSortRole(SessionListModel::SortRole);
    m_sessionsView = makeRowTable(m_sessionsProxy, QStringLiteral("sessionsList"), {130, 90, 110, 70, 70, 60, 70}, this);
    m_sessionsView->setSortingEnabled(true);
    m_sessionsView->sortByColumn(SessionListModel::LastCallColumn, Qt::DescendingOrder);
    m_turnsView = makeRowTable(m_turns, QStringLiteral("sessionTurns"), {60, 70, 190, 60, 75, 75, 60, 70, 100}, this);
    m_changesView = makeRowTable(m_changes, QStringLiteral("turnChanges"), {90, 220, 70, 70}, this);
    m_chart = new SessionTimelineChart(m_turns, this);
    m_turnTitle = new QLabel(tr("Select a turn to see what changed"), this);
    m_turnTitle->setObjectName(QStringLiteral("turnTitle"));
    m_turnTitle->setWordWrap(true);

    auto *changes = new QWidget(this);
    auto *changesLayout = new QVBoxLayout(changes);
    changesLayout->setContentsMargins(0, 0, 0, 0);
    changesLayout->addWidget(m_turnTitle);
    changesLayout->addWidget(m_changesView, 1);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_chart);
    right->addWidget(m_turnsView);
    right->addWidget(changes);
    right->setSizes({200, 260, 200});
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_sessionsView);
    split->addWidget(right);
    split->setSizes({420, 860});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildToolbar());
    layout->addWidget(split, 1);
    m_sessionsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_sessionsView->addAction(m_addSession);
    m_turnsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_addTurns = AddToBaselineDialog::selectionAction(m_turnsView, SessionTurnsModel::IdRole, link->reader(), tr("chosen in Sessions"));
    m_turnsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_turnsView->addAction(m_addTurns);

    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(ReloadDelayMs);
    connect(m_reloadTimer, &QTimer::timeout, this, &SessionsPage::reload);
    connect(link, &EngineLink::callsArrived, this, &SessionsPage::noteCallsArrived);
    connect(m_sessions, &SessionListModel::loaded, this, &SessionsPage::onSessionsLoaded);
    connect(m_sessionsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SessionsPage::showSession);
    connect(m_turnsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SessionsPage::showTurn);
    connect(m_turns, &SessionTurnsModel::loaded, this, [this] { selectTurn(m_turns->rowCount() - 1); });
    connect(m_chart, &SessionTimelineChart::turnClicked, this, &SessionsPage::selectTurn);
    connect(m_turnsView, &QTreeView::doubleClicked, this, &SessionsPage::openInTraces);
    reload();
}

QWidget *SessionsPage::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_range = new QComboBox(bar);
    m_range->setObjectName(QStringLiteral("sessionsRange"));
    m_range->addItem(tr("Last hour"), 1);
    m_range->addItem(tr("Last 24 hours"), 24);
    m_range->addItem(tr("Last 7 days"), 24 * 7);
    m_range->addItem(tr("Last 30 days"), 24 * 30);
    m_range->setCurrentIndex(1);
    connect(m_range, &QComboBox::currentIndexChanged, this, &SessionsPage::reload);
    m_summary = new QLabel(bar);
    m_summary->setObjectName(QStringLiteral("sessionsSummary"));
    m_open = new QPushButton(tr("Open in Traces"), bar);
    m_open->setObjectName(QStringLiteral("openInTraces"));
    m_open->setEnabled(false);
    m_open->setToolTip(tr("Show the selected turn's request in Traces (or double-click the turn)"));
    connect(m_open, &QPushButton::clicked, this, &SessionsPage::openInTraces);
    m_addSession = new QAction(tr("Add session to baseline…"), this);
    m_addSession->setToolTip(tr("Add every call of the selected session, with its bodies, to a baseline an evaluation can replay"));
    m_addSession->setEnabled(false);
    connect(m_addSession, &QAction::triggered, this, &SessionsPage::addSessionToBaseline);
    auto *addSession = new QToolButton(bar);
    addSession->setObjectName(QStringLiteral("addSessionToBaseline"));
    addSession->setDefaultAction(m_addSession);
    row->addWidget(new QLabel(tr("Sessions active in"), bar));
    row->addWidget(m_range);
    row->addWidget(m_summary, 1);
    row->addWidget(addSession);
    row->addWidget(m_open);
    return bar;
}

// Reading a session's turns means reading their bodies: done for the page in view only, and
// once when it comes into view after calls arrived.
void SessionsPage::noteCallsArrived()
{
    if (isVisible())
        m_reloadTimer->start();
    else
        m_stale = true;
}

void SessionsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_stale, false))
        reload();
}

void SessionsPage::reload()
{
    if (!m_link->reader())
        return;
    SessionFilter filter;
    filter.sinceMs = QDateTime::currentMSecsSinceEpoch() - qint64(m_range->currentData().toInt()) * 3600 * 1000;
    m_sessions->load(m_link->reader(), filter);
}

void SessionsPage::onSessionsLoaded()
{
    double cost = 0;
    for (int row = 0; row < m_sessions->rowCount(); ++row)
        cost += m_sessions->session(row).costUsd;
    m_summary->setText(m_sessions->errorString().isEmpty()
                           ? tr("%n session(s), %1", nullptr, m_sessions->rowCount()).arg(SessionFormat::money(cost))
                           : tr("Reading the log failed: %1").arg(m_sessions->errorString()));
    if (m_selected.isEmpty() && m_sessions->rowCount() > 0) {
        m_sessionsView->setCurrentIndex(m_sessionsProxy->index(0, 0));
        return;
    }
    // Live: the selected session grew, so its turns are read again.
    const int row = m_sessions->rowOf(m_selected);
    if (row >= 0 && m_sessions->session(row).turns != m_turns->totalTurns() && !m_turns->isLoading())
        m_turns->load(m_link->reader(), m_selected);
}

void SessionsPage::selectSession(const QString &id)
{
    const int row = m_sessions->rowOf(id);
    if (row >= 0)
        m_sessionsView->setCurrentIndex(m_sessionsProxy->mapFromSource(m_sessions->index(row, 0)));
}

void SessionsPage::showSession(const QModelIndex &proxyIndex)
{
    const QString id = proxyIndex.data(SessionListModel::IdRole).toString();
    if (id.isEmpty() || id == m_selected)
        return;
    m_selected = id;
    m_addSession->setEnabled(m_link->reader() != nullptr);
    m_changes->clear();
    m_turns->load(m_link->reader(), id);
}

void SessionsPage::selectTurn(int row)
{
    if (row >= 0 && row < m_turns->rowCount())
        m_turnsView->setCurrentIndex(m_turns->index(row, 0));
}

void SessionsPage::showTurn(const QModelIndex &index)
{
    m_open->setEnabled(index.isValid());
    if (!index.isValid()) {
        m_changes->clear();
        return;
    }
    const SessionTurnReport turn = m_turns->turn(index.row());
    m_changes->setTurn(turn);
    m_chart->setCurrentTurn(index.row());
    const SessionTurn::Breakdown &c = turn.context;
    m_turnTitle->setText(tr("Turn %1 · context: system %2, tools %3, history %4, new %5 tokens · %6 change(s) since the previous turn")
                             .arg(index.row() + 1)
                             .arg(SessionFormat::tokens(c.system), SessionFormat::tokens(c.tools), SessionFormat::tokens(c.history),
                                  SessionFormat::tokens(c.newTurn))
                             .arg(turn.changes.size()));
}

void SessionsPage::openInTraces()
{
    const QString id = m_turnsView->currentIndex().data(SessionTurnsModel::IdRole).toString();
    if (!id.isEmpty())
        Q_EMIT requestOpened(id);
}

void SessionsPage::addSessionToBaseline()
{
    if (!m_selected.isEmpty() && m_link->reader())
        AddToBaselineDialog::start(m_link->reader(), {{}, m_selected, tr("session %1, chosen in Sessions").arg(m_selected)},
                                   m_sessionsView);
}

} // namespace Switchyard
