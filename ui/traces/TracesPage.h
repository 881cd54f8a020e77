// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/log/LogQueries.h"
#include "ui/traces/TraceTable.h"
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QTableView;
class QTimer;

namespace Switchyard {

class EngineLink;
class FirstRunHint;

class TraceActions;
class PendingCallsView;
class RequestDetailView;
class TraceModel;

// The Traces view: every request, newest first, updated live, with filters above and the
// selected request's detail below. Live rows never move what the user is looking at: at
// the top the new rows come into view; scrolled down, the same rows stay in view.
class TracesPage final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int SearchDelayMs = 300;

    explicit TracesPage(EngineLink *link, QWidget *parent = nullptr);

    static constexpr int RereadAfterErrorMs = 300; // the writer commits at most every 100 ms
    TraceModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    RequestDetailView *detail() const { return m_detail; }
    PendingCallsView *pending() const { return m_pending; }
    TraceActions *actions() const { return m_actions; }
    // "Add to baseline…" on the selected rows (a toolbar button, Ctrl+B).
    QAction *addToBaselineAction() const { return m_addToBaseline; }
    // Selects the request's row when it is loaded (the "Replay of" link, a finished replay).
    void selectRequest(const QString &id);
    // The filter the toolbar describes now (the time range measured from now).
    RequestFilter currentFilter() const;
    QString countText() const;
    // Whether the "point your tools at…" hint shows (the log holds no request yet).
    bool showsFirstRunHint() const;

public Q_SLOTS:
    void applyFilters();
    void showConfig(const Switchyard::Config &config);

private:
    QWidget *buildToolbar();
    void setupTable();
    void rememberScroll(const QModelIndex &parent, int first, int last);
    void keepScroll(const QModelIndex &parent, int first, int last);
    void showCurrent(const QModelIndex &current);
    void updateCount();
    void showLoadError(const QString &message);

    TraceModel *m_model;
    QComboBox *m_status = nullptr;
    QComboBox *m_alias = nullptr;
    QComboBox *m_provider = nullptr;
    QComboBox *m_modelFilter = nullptr;
    QComboBox *m_range = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QLabel *m_count = nullptr;
    TraceTable *m_table = nullptr;
    RequestDetailView *m_detail = nullptr;
    FirstRunHint *m_hint = nullptr;
    PendingCallsView *m_pending = nullptr;
    TraceActions *m_actions = nullptr;
    QAction *m_addToBaseline = nullptr;
    int m_scrollBefore = 0;
    QString m_error;
};

} // namespace Switchyard
