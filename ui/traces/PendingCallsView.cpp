// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/PendingCallsView.h"
#include "ui/EngineLink.h"
#include "ui/traces/PendingCallsModel.h"
#include "ui/traces/PendingPhasesDelegate.h"
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace Switchyard {

PendingCallsView::PendingCallsView(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_model(new PendingCallsModel(this))
    , m_title(new QLabel(this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("pendingCalls"));
    m_table->setObjectName(QStringLiteral("pendingTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(PendingCallsModel::PhasesColumn, new PendingPhasesDelegate(m_model, m_table));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMaximumHeight(m_table->verticalHeader()->defaultSectionSize() * 4 + m_table->horizontalHeader()->sizeHint().height() + 4);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 4);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_table);
    connect(link, &EngineLink::callsStarted, m_model, &PendingCallsModel::addStarted);
    connect(link, &EngineLink::callsArrived, m_model, &PendingCallsModel::removeFinished);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &PendingCallsView::update);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &PendingCallsView::update);
    update();
}

void PendingCallsView::update()
{
    const int n = m_model->rowCount();
    m_title->setText(tr("<b>In flight (%1)</b>").arg(n));
    setVisible(n > 0);
}

} // namespace Switchyard
