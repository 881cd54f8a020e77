// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QTableView;

namespace Switchyard {

class EngineLink;
class RouteRankingModel;

// Beside the selected alias: how the router ranks its targets right now and why (asked of
// the engine on selection, on refresh and every few seconds while visible), and "Test
// route", which sends a tiny request through the alias and shows which target answered,
// with the status and the time, or the error class and message.
class RouteRankingView final : public QWidget
{
    Q_OBJECT
public:
    // Whether the alias, as edited, is what the engine runs.
    enum class AliasState { None, Applied, Modified, NotApplied };

    explicit RouteRankingView(EngineLink *link, QWidget *parent = nullptr);

    void setAlias(const QString &name, AliasState state);
    QString alias() const { return m_alias; }
    RouteRankingModel *model() const { return m_model; }
    QString testResultText() const;

public Q_SLOTS:
    void refresh();
    void testRoute();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showPlan(quint64 ticket, const QJsonObject &plan, const QString &error);
    void showTest(quint64 ticket, const Switchyard::CallRecord &record);
    void updateNote();
    void fitColumns();
    bool isLive() const; // the engine runs an alias of this name

    EngineLink *m_link;
    RouteRankingModel *m_model;
    QTableView *m_view = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_result = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_test = nullptr;
    QTimer *m_timer = nullptr;
    QString m_alias;
    AliasState m_state = AliasState::None;
    quint64 m_planTicket = 0;
    quint64 m_testTicket = 0;
};

} // namespace Switchyard
