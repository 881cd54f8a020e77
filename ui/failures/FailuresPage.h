// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/failures/FailureGroupsModel.h"
#include <QHash>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTimer;
class QTreeView;

namespace Switchyard {

class EngineLink;
class FailureDetailView;
class FailureRequestsModel;

// Failed requests grouped by error class, provider and alias over a time range; the
// requests of the selected group; the selected request's attempts and body; Replay and
// Edit & Replay, with the new result beside the original. Reads the log through the
// link's LogReader and talks to the engine only through EngineLink's ticketed commands.
class FailuresPage final : public QWidget
{
    Q_OBJECT
public:
    explicit FailuresPage(EngineLink *link, QWidget *parent = nullptr);

    FailureGroupsModel *groupsModel() const { return m_groups; }
    QSortFilterProxyModel *groupsProxy() const { return m_groupsProxy; }
    FailureRequestsModel *requestsModel() const { return m_requests; }
    FailureDetailView *detail() const { return m_detail; }
    QString currentRequestId() const { return m_current.id; }
    // "Add to baseline…" on the selected requests; "Add group to baseline…" on all those listed.
    QAction *addToBaselineAction() const { return m_addToBaseline; }
    QAction *addGroupToBaselineAction() const { return m_addGroup; }

public Q_SLOTS:
    void reload();
    void replay();
    void editAndReplay();
    void addGroupToBaseline();

private:
    struct ReplayResult
    {
        CallRecord record;
        QString error;
    };
    QWidget *buildToolbar();
    qint64 rangeStartMs() const;
    void selectGroup(const QModelIndex &proxyIndex);
    void selectRequest(const QModelIndex &index);
    void restoreGroupSelection();
    void showRecord(const CallRecord &record);
    void startReplay(const QString &id, const QByteArray &body);
    void onReplayFinished(quint64 ticket, const CallRecord &record, const QString &error);
    void updateSummary();
    void updateButtons();
    void updateRequestsTitle();

    EngineLink *m_link;
    FailureGroupsModel *m_groups;
    QSortFilterProxyModel *m_groupsProxy;
    FailureRequestsModel *m_requests;
    QComboBox *m_range = nullptr;
    QLabel *m_summary = nullptr;
    QTreeView *m_groupsView = nullptr;
    QTreeView *m_requestsView = nullptr;
    QLabel *m_requestsTitle = nullptr;
    FailureDetailView *m_detail = nullptr;
    QAction *m_addToBaseline = nullptr;
    QAction *m_addGroup = nullptr;
    QTimer *m_summaryTimer = nullptr;

    std::optional<FailureKey> m_selectedKey;
    CallRecord m_current;            // the selected request
    bool m_currentLoaded = false;    // m_current has its bodies
    quint64 m_detailJob = 0;
    quint64 m_replayTicket = 0;      // 0: no replay running
    QString m_replayOf;
    QHash<QString, ReplayResult> m_replays; // by original id, shown again when it is reselected
};

} // namespace Switchyard
