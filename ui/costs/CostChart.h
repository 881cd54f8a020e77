// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/costs/StackedBuckets.h"
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPItemText;
class QCPLegend;
class QMouseEvent;

namespace Switchyard {

// Cost or tokens over time as bars stacked by group (the largest groups each in their own
// colour, the rest as "other"), with latency p50/p95 over the same time axis below.
class CostChart final : public QWidget
{
    Q_OBJECT
public:
    using Metric = StackedBuckets::Metric;

    explicit CostChart(QWidget *parent = nullptr);

    // Rows of one stats query over [fromMs, toMs), in hour or day buckets, grouped by `groupBy`.
    void setData(const QList<StatsRow> &rows, qint64 fromMs, qint64 toMs, bool byDay, const QString &groupBy, Metric metric);
    // Clears the plot and says why (e.g. the log cannot be read).
    void showMessage(const QString &text);

    // The bar series, bottom of the stack first.
    QStringList seriesNames() const { return m_data.names(); }
    // The text over the plot; empty when there is data to see.
    QString message() const;
    // What the tooltip says at a point of the plot widget; empty off the data.
    QString describeAt(const QPoint &pos) const;
    bool savePng(const QString &path) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildPlot();
    void applyPalette();
    void clearPlot();
    void showParts(bool bars, bool latency);
    void addBars();
    void addLatency();
    void setTimeRange(qint64 fromMs, qint64 toMs);
    void showToolTip(QMouseEvent *event);

    QCustomPlot *m_plot = nullptr;
    QCPAxisRect *m_latencyRect = nullptr;
    QCPLegend *m_latencyLegend = nullptr;
    QCPGraph *m_p50 = nullptr;
    QCPGraph *m_p95 = nullptr;
    QCPItemText *m_message = nullptr;
    StackedBuckets m_data;
};

} // namespace Switchyard
