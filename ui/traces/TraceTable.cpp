// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TraceTable.h"
#include "ui/traces/TraceModel.h"
#include <QHeaderView>

namespace Switchyard {

TraceTable::TraceTable(QWidget *parent)
    : QTableView(parent)
{
}

void TraceTable::fitColumns()
{
    if (!model())
        return;
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const QList<std::pair<int, int>> widths{{TraceModel::TimeColumn, 13},  {TraceModel::StatusColumn, 5},
                                            {TraceModel::AliasColumn, 11}, {TraceModel::DurationColumn, 8},
                                            {TraceModel::TtftColumn, 7},   {TraceModel::TokensColumn, 11},
                                            {TraceModel::CostColumn, 8},   {TraceModel::ClientColumn, 10}};
    int used = 0;
    for (const auto &[column, chars] : widths) {
        horizontalHeader()->resizeSection(column, chars * digit + 14);
        used += chars * digit + 14;
    }
    const int errorWidth = 15 * digit + 14;
    const int room = viewport()->width() - used - errorWidth;
    horizontalHeader()->resizeSection(TraceModel::TargetColumn, qBound(18 * digit, room, 40 * digit));
}

void TraceTable::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    fitColumns();
}

} // namespace Switchyard
