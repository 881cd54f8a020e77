// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/StackedBuckets.h"
#include "ui/costs/StatsModel.h"
#include "ui/traces/TraceFormat.h"
#include <QDateTime>
#include <QDir>
#include <QHash>
#include <QLocale>
#include <algorithm>

namespace Switchyard {

StackedBuckets::StackedBuckets(const QList<StatsRow> &rows, bool byDay, const QString &groupBy, Metric metric)
    : m_metric(metric)
    , m_groupBy(groupBy)
    , m_bucketMs(byDay ? 24 * 3600000 : 3600000)
{
    QHash<QString, double> byGroup;
    QHash<QString, qint64> requests;
    for (const StatsRow &row : rows) {
        byGroup[row.group] += valueOf(row);
        requests[row.group] += row.requests;
    }
    QStringList groups = byGroup.keys();
    std::sort(groups.begin(), groups.end(), [&](const QString &a, const QString &b) {
        if (byGroup[a] != byGroup[b])
            return byGroup[a] > byGroup[b];
        return requests[a] != requests[b] ? requests[a] > requests[b] : a < b;
    });
    m_hasOther = groups.size() > MaxGroups;
    QHash<QString, int> seriesOf;
    for (int i = 0; i < groups.size(); ++i) {
        seriesOf.insert(groups[i], std::min(i, int(MaxGroups)));
        if (i < MaxGroups)
            m_names << groupDisplayName(groupBy, groups[i]);
    }
    if (m_hasOther)
        m_names << tr("other");
    m_values.resize(m_names.size());
    for (const StatsRow &row : rows)
        m_values[seriesOf.value(row.group)][row.bucketStartMs] += valueOf(row);
    const QList<StatsRow> totals = StatsModel::mergeGroups(rows);
    for (const StatsRow &row : totals)
        m_totals.insert(row.bucketStartMs, row);
}

double StackedBuckets::highestStack() const
{
    double highest = 0;
    for (const StatsRow &row : m_totals)
        highest = std::max(highest, valueOf(row));
    return highest;
}

double StackedBuckets::valueOf(const StatsRow &row) const
{
    return m_metric == Metric::Cost ? row.costUsd : double(row.promptTokens + row.completionTokens);
}

QString StackedBuckets::formatValue(double value) const
{
    if (m_metric == Metric::Cost)
        return TraceFormat::cost(value);
    return tr("%1 tokens").arg(StatsModel::formatCount(qRound64(value)));
}

QString StackedBuckets::bucketLabel(qint64 startMs) const
{
    const QLocale locale;
    if (m_bucketMs > 3600000)
        return tr("%1 (UTC day)").arg(locale.toString(QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC).date(), QStringLiteral("ddd d MMM yyyy")));
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(startMs);
    return QStringLiteral("%1–%2").arg(locale.toString(start, QStringLiteral("ddd d MMM yyyy, HH:mm")),
                                       locale.toString(start.addMSecs(m_bucketMs), QStringLiteral("HH:mm")));
}

QString StackedBuckets::describeStack(qint64 startMs, double y) const
{
    const auto total = m_totals.constFind(startMs);
    if (total == m_totals.cend())
        return {};
    QStringList lines{bucketLabel(startMs)};
    const double sum = valueOf(*total);
    double below = 0;
    for (int i = 0; i < m_names.size(); ++i) {
        const double value = m_values[i].value(startMs);
        if (value > 0 && y >= below && y < below + value) {
            lines << QStringLiteral("%1: %2 (%3%)").arg(m_names[i], formatValue(value), QLocale().toString(100 * value / sum, 'f', 0));
            break;
        }
        below += value;
    }
    lines << tr("All groups: %1").arg(formatValue(sum));
    QString requests = total->requests == 1 ? tr("1 request") : tr("%1 requests").arg(StatsModel::formatCount(total->requests));
    if (total->errors > 0)
        requests += total->errors == 1 ? tr(", 1 error") : tr(", %1 errors").arg(StatsModel::formatCount(total->errors));
    lines << requests;
    if (m_metric == Metric::Cost && total->unpriced > 0)
        lines << tr("Unpriced calls: %1").arg(StatsModel::formatCount(total->unpriced));
    return lines.join(QLatin1Char('\n'));
}

QString StackedBuckets::describeLatency(qint64 startMs) const
{
    const auto total = m_totals.constFind(startMs);
    if (total == m_totals.cend() || !total->p50Ms)
        return {};
    return tr("%1\nLatency p50 %2, p95 %3\nRequests: %4")
        .arg(bucketLabel(startMs), StatsModel::formatLatency(total->p50Ms), StatsModel::formatLatency(total->p95Ms),
             StatsModel::formatCount(total->requests));
}

QString StackedBuckets::groupDisplayName(const QString &groupBy, const QString &group)
{
    if (group.isEmpty())
        return groupBy == QLatin1String("alias") ? tr("(no alias)") : tr("(unknown)");
    if (groupBy == QLatin1String("project")) {
        const QString name = QDir(group).dirName();
        return name.isEmpty() ? group : name;
    }
    return group;
}

} // namespace Switchyard
