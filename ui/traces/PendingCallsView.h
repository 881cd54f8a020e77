// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QTableView;

namespace Switchyard {

class EngineLink;
class PendingCallsModel;

// "In flight (n)" above the Traces table: the calls the gateway is serving now, fed by the
// engine's started and finished batches; hidden while nothing is in flight.
class PendingCallsView final : public QWidget
{
    Q_OBJECT
public:
    explicit PendingCallsView(EngineLink *link, QWidget *parent = nullptr);
    PendingCallsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

private:
    void update();

    PendingCallsModel *m_model;
    QLabel *m_title;
    QTableView *m_table;
};

} // namespace Switchyard
