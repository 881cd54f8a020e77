// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/StatsModel.h"
#include "ui/traces/TraceFormat.h"
#include <QDateTime>
#include <algorithm>
#include <QLocale>
#include <QMap>
#include <cmath>

namespace Switchyard {

namespace {

// A group's latency distribution seen only through p50 and p95: piecewise linear through
// (0, 0), (p50, 0.5), (p95, 0.95) and (1.5 p95, 1), the histogram's widest bucket ratio.
double estimatedCdf(double p50, double p95, double x)
{
    const double end = p95 * 1.5;
    if (x <= 0)
        return 0;
    if (x < p50)
        return 0.5 * x / p50;
    if (x < p95)
        return 0.5 + 0.45 * (x - p50) / (p95 - p50);
    if (x < end)
        return 0.95 + 0.05 * (x - p95) / (end - p95);
    return 1;
}

// The q-quantile of several groups together, each weighted by its request count.
std::optional<double> mergedQuantile(const QList<StatsRow> &rows, double q)
{
    QList<const StatsRow *> timed;
    double hi = 0;
    double weight = 0;
    for (const StatsRow &row : rows) {
        if (row.requests > 0 && row.p50Ms && row.p95Ms) {
            timed.append(&row);
            hi = std::max(hi, *row.p95Ms * 1.5);
            weight += double(row.requests);
        }
    }
    if (timed.isEmpty())
        return std::nullopt;
    if (timed.size() == 1)
        return q < 0.75 ? timed.first()->p50Ms : timed.first()->p95Ms;
    double lo = 0;
    for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        double below = 0;
        for (const StatsRow *row : std::as_const(timed))
            below += double(row->requests) * estimatedCdf(*row->p50Ms, *row->p95Ms, mid);
        if (below / weight < q)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

} // namespace

void StatsModel::setRows(const QList<StatsRow> &rows)
{
    beginResetModel();
    m_rows = mergeGroups(rows);
    m_totals = merge(rows);
    endResetModel();
}

void StatsModel::clear()
{
    setRows({});
}

int StatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StatsRow &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    if (role == Qt::TextAlignmentRole)
        return column == DayColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == CostColumn && row.unpriced > 0)
        return tr("Successful calls without a known price, not in the cost: %1").arg(formatCount(row.unpriced));
    if (role == SortRole) {
        switch (column) {
        case DayColumn: return row.bucketStartMs;
        case RequestsColumn: return row.requests;
        case ErrorsColumn: return row.errors;
        case PromptColumn: return row.promptTokens;
        case CompletionColumn: return row.completionTokens;
        case CachedColumn: return row.cachedTokens;
        case CostColumn: return row.costUsd;
        case UnpricedColumn: return row.unpriced;
        case P50Column: return row.p50Ms.value_or(-1);
        case P95Column: return row.p95Ms.value_or(-1);
        case ColumnCount: break;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case DayColumn:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(row.bucketStartMs, Qt::UTC).date(), QStringLiteral("ddd d MMM yyyy"));
    case RequestsColumn: return formatCount(row.requests);
    case ErrorsColumn:
        if (row.errors == 0)
            return formatCount(0);
        return QStringLiteral("%1 (%2%)").arg(formatCount(row.errors), QLocale().toString(100 * errorRate(row), 'f', 1));
    case PromptColumn: return formatCount(row.promptTokens);
    case CompletionColumn: return formatCount(row.completionTokens);
    case CachedColumn: return formatCount(row.cachedTokens);
    case CostColumn: return formatCost(row);
    case UnpricedColumn: return formatCount(row.unpriced);
    case P50Column: return formatLatency(row.p50Ms);
    case P95Column: return formatLatency(row.p95Ms);
    case ColumnCount: break;
    }
    return {};
}

QVariant StatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == DayColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case DayColumn: return tr("Calendar day in UTC");
        case CachedColumn: return tr("Prompt tokens served from the provider's cache (part of the prompt tokens)");
        case CostColumn: return tr("Cost of the priced calls");
        case UnpricedColumn: return tr("Successful calls to models without a known price");
        case P50Column: return tr("Median latency (estimated from the hourly histograms)");
        case P95Column: return tr("95th percentile latency (estimated from the hourly histograms)");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    static const char *const titles[ColumnCount] = {
        QT_TR_NOOP("Day (UTC)"), QT_TR_NOOP("Requests"), QT_TR_NOOP("Errors"), QT_TR_NOOP("Prompt tokens"),
        QT_TR_NOOP("Completion tokens"), QT_TR_NOOP("Cached tokens"), QT_TR_NOOP("Cost"), QT_TR_NOOP("Unpriced"),
        QT_TR_NOOP("p50"), QT_TR_NOOP("p95")};
    return tr(titles[section]);
}

QList<StatsRow> StatsModel::mergeGroups(const QList<StatsRow> &rows)
{
    QMap<qint64, QList<StatsRow>> buckets;
    for (const StatsRow &row : rows)
        buckets[row.bucketStartMs].append(row);
    QList<StatsRow> merged;
    merged.reserve(buckets.size());
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        StatsRow row = merge(it.value());
        row.bucketStartMs = it.key();
        merged.append(row);
    }
    return merged;
}

StatsRow StatsModel::merge(const QList<StatsRow> &rows)
{
    StatsRow sum;
    for (const StatsRow &row : rows)
        sum.addCounts(row);
    // With the histograms the totals are exact, whatever the grouping; rows without them
    // (older callers) fall back to an estimate from each group's p50/p95.
    const bool histograms = std::any_of(sum.latency.cbegin(), sum.latency.cend(), [](qint64 n) { return n > 0; });
    sum.p50Ms = histograms ? LatencyHistogram::quantile(sum.latency, 0.5) : mergedQuantile(rows, 0.5);
    sum.p95Ms = histograms ? LatencyHistogram::quantile(sum.latency, 0.95) : mergedQuantile(rows, 0.95);
    return sum;
}

QString StatsModel::formatCost(const StatsRow &row)
{
    if (row.costUsd == 0 && row.unpriced > 0)
        return QStringLiteral("—");
    return TraceFormat::cost(row.costUsd);
}

QString StatsModel::formatCount(qint64 n)
{
    return QLocale().toString(n);
}

QString StatsModel::formatCompact(double n)
{
    const QLocale locale;
    if (std::abs(n) < 1000)
        return locale.toString(qRound64(n));
    if (std::abs(n) < 1e6)
        return locale.toString(n / 1e3, 'f', std::abs(n) < 1e4 ? 2 : 1) + QLatin1Char('k');
    if (std::abs(n) < 1e9)
        return locale.toString(n / 1e6, 'f', std::abs(n) < 1e7 ? 2 : 1) + QLatin1Char('M');
    return locale.toString(n / 1e9, 'f', 2) + QLatin1Char('B');
}

QString StatsModel::formatLatency(std::optional<double> ms)
{
    return ms ? TraceFormat::duration(qRound64(*ms)) : QStringLiteral("—");
}

double StatsModel::errorRate(const StatsRow &row)
{
    return row.requests > 0 ? double(row.errors) / double(row.requests) : 0;
}

} // namespace Switchyard
