// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QCoreApplication>
#include <QMap>
#include <QStringList>

namespace Switchyard {

// What the cost chart draws, apart from how: one metric per time bucket for each of the
// largest groups (the rest summed as "other"), the all-group totals per bucket, and the
// words for a point of it.
class StackedBuckets final
{
    Q_DECLARE_TR_FUNCTIONS(StackedBuckets)
public:
    enum class Metric { Cost, Tokens };
    static constexpr int MaxGroups = 10;

    StackedBuckets() = default;
    StackedBuckets(const QList<StatsRow> &rows, bool byDay, const QString &groupBy, Metric metric);

    Metric metric() const { return m_metric; }
    qint64 bucketMs() const { return m_bucketMs; }
    qint64 bucketAt(qint64 ms) const { return ms / m_bucketMs * m_bucketMs; } // its start
    bool isEmpty() const { return m_totals.isEmpty(); }
    bool hasOther() const { return m_hasOther; }
    // The series, largest first (the bottom of the stack).
    const QStringList &names() const { return m_names; }
    const QMap<qint64, double> &values(int series) const { return m_values.at(series); }
    // Per bucket start, all groups together.
    const QMap<qint64, StatsRow> &totals() const { return m_totals; }
    double highestStack() const;

    double valueOf(const StatsRow &row) const;
    QString formatValue(double value) const;
    QString bucketLabel(qint64 startMs) const;
    // Tooltip text at height `y` of the stack in the bucket starting at `startMs`.
    QString describeStack(qint64 startMs, double y) const;
    QString describeLatency(qint64 startMs) const;

    static QString groupDisplayName(const QString &groupBy, const QString &group);

private:
    Metric m_metric = Metric::Cost;
    QString m_groupBy;
    qint64 m_bucketMs = 3600000;
    bool m_hasOther = false;
    QStringList m_names;
    QList<QMap<qint64, double>> m_values;
    QMap<qint64, StatsRow> m_totals;
};

} // namespace Switchyard
