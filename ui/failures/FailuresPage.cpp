// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/failures/FailuresPage.h"
#include "ui/RowTable.h"
#include "ui/AddToBaselineDialog.h"
#include "core/log/LogReader.h"
#include "ui/EngineLink.h"
#include "ui/failures/FailureDetailView.h"
#include "ui/failures/FailureRequestsModel.h"
#include "ui/failures/ReplayDialog.h"
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

constexpr int SummaryDelayMs = 200;

// `title` (made bold) above `content`.
QWidget *titled(QLabel *title, QWidget *content, QWidget *parent)
{
    auto *panel = new QWidget(parent);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    layout->addWidget(title);
    layout->addWidget(content, 1);
    return panel;
}

QString groupName(const FailureKey &key)
{
    return QStringLiteral("%1 · %2 · %3")
        .arg(errorClassName(key.errorClass), key.provider, key.alias.isEmpty() ? FailuresPage::tr("(direct)") : key.alias);
}

} // namespace

FailuresPage::FailuresPage(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_groups(new FailureGroupsModel(this))
    , m_groupsProxy(new QSortFilterProxyModel(this))
    , m_requests(new FailureRequestsModel(this))
{
    m_groupsProxy->setSourceModel(m_groups);
    m_groupsProxy->setSortRole(FailureGroupsModel::SortRole);
    m_groupsProxy->setDynamicSortFilter(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(buildToolbar());

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setChildrenCollapsible(false);
    auto *lists = new QSplitter(Qt::Horizontal, vertical);
    lists->setChildrenCollapsible(false);
    m_groupsView = makeRowTable(m_groupsProxy, QStringLiteral("groupsView"), {140, 84, 96, 52, 76}, this);
    m_groupsView->setSortingEnabled(true);
    m_groupsView->sortByColumn(FailureGroupsModel::LastSeenColumn, Qt::DescendingOrder);
    lists->addWidget(titled(new QLabel(tr("Failure groups"), this), m_groupsView, lists));
    m_requestsView = makeRowTable(m_requests, QStringLiteral("requestsView"), {128, 48, 130, 60, 62, 60}, this);
    m_requestsTitle = new QLabel(tr("Requests"), this);
    m_requestsTitle->setObjectName(QStringLiteral("requestsTitle"));
    lists->addWidget(titled(m_requestsTitle, m_requestsView, lists));
    m_requestsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_addToBaseline =
        AddToBaselineDialog::selectionAction(m_requestsView, FailureRequestsModel::IdRole, link->reader(), tr("chosen in Failures"));
    m_requestsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_requestsView->addAction(m_addToBaseline);
    m_groupsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_addGroup = m_groupsView->addAction(tr("Add group to baseline…"), this, &FailuresPage::addGroupToBaseline);
    m_addGroup->setEnabled(false); // until a group's requests are listed
    lists->setSizes({580, 600});

    m_detail = new FailureDetailView(vertical);
    m_detail->setObjectName(QStringLiteral("failureDetail"));
    vertical->addWidget(lists);
    vertical->addWidget(m_detail);
    vertical->setSizes({280, 420});
    layout->addWidget(vertical, 1);

    m_summaryTimer = new QTimer(this);
    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(SummaryDelayMs);
    connect(m_summaryTimer, &QTimer::timeout, this, &FailuresPage::updateSummary);

    connect(m_link, &EngineLink::callsArrived, m_groups, &FailureGroupsModel::addCalls);
    connect(m_link, &EngineLink::callsArrived, m_requests, &FailureRequestsModel::addCalls);
    connect(m_link, &EngineLink::callsArrived, this, [this] { // a log not there at first (a fresh start) is read again
        if (!m_groups->errorString().isEmpty())
            QTimer::singleShot(300, this, &FailuresPage::reload);
    });
    connect(m_link, &EngineLink::replayFinished, this, &FailuresPage::onReplayFinished);
    connect(m_groups, &FailureGroupsModel::loaded, this, &FailuresPage::restoreGroupSelection);
    connect(m_groups, &FailureGroupsModel::countsChanged, m_summaryTimer, qOverload<>(&QTimer::start));
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FailuresPage::selectGroup);
    connect(m_requestsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FailuresPage::selectRequest);
    connect(m_requests, &FailureRequestsModel::loaded, this, [this] {
        if (m_requests->rowCount() > 0)
            m_requestsView->setCurrentIndex(m_requests->index(qMax(0, m_requests->rowOf(m_current.id)), 0));
        else
            selectRequest(QModelIndex());
        updateRequestsTitle();
    });
    // A replay that failed the same way joins the group live: its count follows.
    connect(m_requests, &QAbstractItemModel::rowsInserted, this, &FailuresPage::updateRequestsTitle);
    connect(m_detail, &FailureDetailView::replayRequested, this, &FailuresPage::replay);
    connect(m_detail, &FailureDetailView::editAndReplayRequested, this, &FailuresPage::editAndReplay);
    reload();
    updateButtons();
}

QWidget *FailuresPage::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    m_range = new QComboBox(bar);
    m_range->setObjectName(QStringLiteral("timeRange"));
    m_range->addItem(tr("Last hour"), 1);
    m_range->addItem(tr("Last 24 hours"), 24);
    m_range->addItem(tr("Last 7 days"), 24 * 7);
    m_range->addItem(tr("Last 30 days"), 24 * 30);
    m_range->addItem(tr("All time"), 0);
    m_range->setCurrentIndex(1);
    m_summary = new QLabel(bar);
    m_summary->setObjectName(QStringLiteral("summary"));
    auto *refresh = new QPushButton(tr("Refresh"), bar);
    layout->addWidget(new QLabel(tr("Failures in:"), bar));
    layout->addWidget(m_range);
    layout->addSpacing(12);
    layout->addWidget(m_summary, 1);
    layout->addWidget(refresh);
    connect(m_range, &QComboBox::currentIndexChanged, this, &FailuresPage::reload);
    connect(refresh, &QPushButton::clicked, this, &FailuresPage::reload);
    return bar;
}

qint64 FailuresPage::rangeStartMs() const
{
    const qint64 hours = m_range->currentData().toLongLong();
    return hours > 0 ? QDateTime::currentMSecsSinceEpoch() - hours * 3600 * 1000 : 0;
}

void FailuresPage::reload()
{
    m_groups->load(m_link->reader(), rangeStartMs());
    updateSummary();
}

void FailuresPage::restoreGroupSelection()
{
    int row = m_selectedKey ? m_groups->rowOf(*m_selectedKey) : -1;
    if (row < 0 && m_groups->rowCount() > 0)
        row = int(m_groupsProxy->mapToSource(m_groupsProxy->index(0, 0)).row());
    if (row >= 0)
        m_groupsView->setCurrentIndex(m_groupsProxy->mapFromSource(m_groups->index(row, 0)));
    else
        selectGroup(QModelIndex());
    updateSummary();
}

void FailuresPage::selectGroup(const QModelIndex &proxyIndex)
{
    m_addGroup->setEnabled(false);
    if (!proxyIndex.isValid()) {
        m_selectedKey.reset();
        m_requests->clear();
        m_requestsTitle->setText(tr("Requests"));
        selectRequest(QModelIndex());
        return;
    }
    m_selectedKey = m_groups->group(m_groupsProxy->mapToSource(proxyIndex).row()).key;
    m_requestsTitle->setText(tr("Requests in %1 (loading…)").arg(groupName(*m_selectedKey)));
    m_requests->load(m_link->reader(), *m_selectedKey, m_groups->sinceMs());
}

void FailuresPage::selectRequest(const QModelIndex &index)
{
    const QString id = index.isValid() ? index.data(FailureRequestsModel::IdRole).toString() : QString();
    if (!id.isEmpty() && id == m_current.id)
        return;
    ++m_detailJob;
    if (id.isEmpty()) {
        m_current = CallRecord();
        m_detail->clear();
        updateButtons();
        return;
    }
    showRecord(m_requests->record(index.row())); // the summary now, bodies when they are read
    const quint64 job = m_detailJob;
    m_link->reader()->query<Result<CallRecord>>(
        this, [id](LogQueries &queries) { return queries.request(id); },
        [this, job](const Result<CallRecord> &full) {
            if (job != m_detailJob)
                return;
            if (!full || full.value().id.isEmpty()) {
                m_detail->showOriginalError(full ? tr("This request is no longer in the log.") : full.error().message);
                return;
            }
            showRecord(full.value());
            m_currentLoaded = true;
            updateButtons();
        });
}

void FailuresPage::showRecord(const CallRecord &record)
{
    const bool sameRequest = record.id == m_current.id;
    m_current = record;
    m_currentLoaded = false;
    m_detail->showOriginal(record);
    if (!sameRequest) {
        if (m_replayTicket && m_replayOf == record.id)
            m_detail->showReplayRunning();
        else if (const auto found = m_replays.constFind(record.id); found != m_replays.constEnd())
            m_detail->showReplay(found->record, found->error);
        else
            m_detail->clearReplay();
    }
    updateButtons();
}

void FailuresPage::replay()
{
    startReplay(m_current.id, QByteArray());
}

void FailuresPage::editAndReplay()
{
    if (!m_currentLoaded)
        return;
    auto *dialog = new ReplayDialog(m_current.id, m_current.requestBody, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setKnownModels(m_link->config());
    connect(dialog, &ReplayDialog::sendRequested, this, [this, id = m_current.id](const QByteArray &body) { startReplay(id, body); });
    dialog->open();
}

void FailuresPage::addGroupToBaseline()
{
    if (m_addGroup->isEnabled())
        AddToBaselineDialog::start(m_link->reader(),
                                   {m_requests->ids(), QString(), tr("chosen in Failures: %1").arg(groupName(m_requests->group()))},
                                   m_groupsView);
}

void FailuresPage::startReplay(const QString &id, const QByteArray &body)
{
    if (id.isEmpty() || m_replayTicket)
        return;
    m_replayOf = id;
    m_replays.remove(id);
    m_replayTicket = m_link->requestReplay(id, body);
    if (m_current.id == id)
        m_detail->showReplayRunning();
    updateButtons();
}

void FailuresPage::onReplayFinished(quint64 ticket, const CallRecord &record, const QString &error)
{
    if (ticket != m_replayTicket)
        return; // another view's replay, or one this page no longer waits for
    m_replayTicket = 0;
    m_replays.insert(m_replayOf, ReplayResult{record, error});
    if (m_current.id == m_replayOf)
        m_detail->showReplay(record, error);
    updateButtons();
}

void FailuresPage::updateSummary()
{
    const QLocale locale;
    const QString failures = locale.toString(m_groups->failureCount());
    const QString groups = locale.toString(m_groups->rowCount());
    QString text = tr("%1 failed requests in %2 groups").arg(failures, groups);
    if (m_groups->isLoading())
        text = tr("Reading the log…");
    else if (!m_groups->errorString().isEmpty())
        text = tr("Could not read the log: %1").arg(m_groups->errorString());
    else if (m_groups->rowCount() == 0)
        text = m_groups->sinceMs() > 0 ? tr("No failed requests in the %1.").arg(m_range->currentText().toLower()) : tr("No failed requests in the log.");
    else if (m_groups->failuresInRange() > m_groups->failureCount())
        text = tr("The newest %1 of %2 failed requests, in %3 groups").arg(failures, locale.toString(m_groups->failuresInRange()), groups);
    m_summary->setText(text);
}

void FailuresPage::updateRequestsTitle()
{
    m_addGroup->setEnabled(m_requests->hasGroup() && !m_requests->isLoading() && m_requests->rowCount() > 0);
    const QString count = QLocale().toString(m_requests->rowCount());
    m_requestsTitle->setText(m_requests->isTruncated() ? tr("The newest %1 requests in %2").arg(count, groupName(m_requests->group()))
                                                       : tr("Requests in %1 (%2)").arg(groupName(m_requests->group()), count));
}

void FailuresPage::updateButtons()
{
    m_detail->setActionsEnabled(!m_current.id.isEmpty() && !m_replayTicket, m_currentLoaded && !m_replayTicket);
}

} // namespace Switchyard
