// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTimer;
class QTreeView;

namespace Switchyard {

class EngineLink;
class SessionChangesModel;
class SessionListModel;
class SessionTimelineChart;
class SessionTurnsModel;

// Agent sessions: the list (live), the selected session's turns as a timeline and a table
// (tokens by kind, cost, the prompt cache's verdict and why), the selected turn's changes
// since the previous turn, and a jump to that request in Traces. Reads the log through the
// link's LogReader, never on the GUI thread.
class SessionsPage final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int ReloadDelayMs = 400; // after calls arrive: the writer commits every 100 ms

    explicit SessionsPage(EngineLink *link, QWidget *parent = nullptr);

    SessionListModel *sessionsModel() const { return m_sessions; }
    SessionTurnsModel *turnsModel() const { return m_turns; }
    SessionChangesModel *changesModel() const { return m_changes; }
    SessionTimelineChart *chart() const { return m_chart; }
    QTreeView *sessionsView() const { return m_sessionsView; }
    QTreeView *turnsView() const { return m_turnsView; }
    void selectSession(const QString &id);
    void selectTurn(int row);
    // "Add session to baseline…" (all its calls); "Add to baseline…" on the selected turns.
    QAction *addSessionAction() const { return m_addSession; }
    QAction *addTurnsAction() const { return m_addTurns; }

public Q_SLOTS:
    void reload();
    void openInTraces();
    void addSessionToBaseline();

Q_SIGNALS:
    // The user asked to see this request in Traces.
    void requestOpened(const QString &id);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildToolbar();
    void noteCallsArrived();
    void onSessionsLoaded();
    void showSession(const QModelIndex &proxyIndex);
    void showTurn(const QModelIndex &index);

    EngineLink *m_link;
    SessionListModel *m_sessions;
    QSortFilterProxyModel *m_sessionsProxy;
    SessionTurnsModel *m_turns;
    SessionChangesModel *m_changes;
    SessionTimelineChart *m_chart = nullptr;
    QComboBox *m_range = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_turnTitle = nullptr;
    QPushButton *m_open = nullptr;
    QAction *m_addSession = nullptr;
    QAction *m_addTurns = nullptr;
    QTreeView *m_sessionsView = nullptr;
    QTreeView *m_turnsView = nullptr;
    QTreeView *m_changesView = nullptr;
    QTimer *m_reloadTimer;
    bool m_stale = false; // calls arrived while the page was hidden
    QString m_selected; // session id
};

} // namespace Switchyard
