// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QAbstractTableModel>

namespace Switchyard {

// Per-day totals of the request log: one row per day bucket, every group of the stats query
// merged into it. DisplayRole gives formatted text, SortRole the raw number.
class StatsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DayColumn, RequestsColumn, ErrorsColumn, PromptColumn, CompletionColumn, CachedColumn,
                  CostColumn, UnpricedColumn, P50Column, P95Column, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    using QAbstractTableModel::QAbstractTableModel;

    // Rows of a day-bucketed stats query, in any group-by; replaces the contents.
    void setRows(const QList<StatsRow> &rows);
    void clear();
    // All days together (group and bucket empty).
    const StatsRow &totals() const { return m_totals; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // One row per bucket, oldest first, with the groups summed. Latency quantiles of several
    // groups are estimated from the groups' quantiles (exact when there is one group).
    static QList<StatsRow> mergeGroups(const QList<StatsRow> &rows);
    static StatsRow merge(const QList<StatsRow> &rows);

    // TraceFormat::cost, or "—" when all the cost is unknown (never "$0" for unpriced calls).
    static QString formatCost(const StatsRow &row);
    static QString formatCount(qint64 n);
    static QString formatCompact(double n); // "950", "12.3k", "4.56M"
    static QString formatLatency(std::optional<double> ms);
    static double errorRate(const StatsRow &row);

private:
    QList<StatsRow> m_rows;
    StatsRow m_totals;
};

} // namespace Switchyard
