// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include "core/util/Result.h"
#include <QTimer>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QSortFilterProxyModel;

namespace Switchyard {

class CostChart;
class CostsHeadline;
class EngineLink;
class StatsModel;

// Where the money and the tokens went: headline figures for a time range, a chart stacked by
// alias, provider, model, client or project with latency below it, and a table per day.
// Queries run on the log reader's thread; an answer to an older question is dropped.
class CostsPage final : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Today, SevenDays, ThirtyDays, Custom };

    explicit CostsPage(EngineLink *link, QWidget *parent = nullptr);

    StatsModel *dayModel() const { return m_days; }
    CostChart *chart() const { return m_chart; }
    // The question the page shows the answer to, and that answer's rows (chart buckets).
    StatsQuery shownQuery() const { return m_shown.query; }
    QList<StatsRow> shownRows() const { return m_shown.buckets; }

    bool exportPng(const QString &path);
    Result<bool> exportCsv(const QString &path) const;

public Q_SLOTS:
    // Costs → Prices…: the config's own prices, edited beside the shipped ones.
    void editPrices();
    void refresh();
    void setRange(Switchyard::CostsPage::Range range);
    void setCustomRange(const QDateTime &from, const QDateTime &to);

Q_SIGNALS:
    // The view now shows the answer to the latest query.
    void statsLoaded();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Answer
    {
        StatsQuery query;
        qint64 axisUntilMs = 0; // the end of the chart's time axis, e.g. midnight for "today"
        QList<StatsRow> buckets;
        QList<StatsRow> days;
        QString error;
    };

    QWidget *buildToolBar();
    void applyRange();
    void scheduleRefresh();
    void noteCallsArrived();
    StatsQuery currentQuery() const;
    void showAnswer(const Answer &answer);
    void showChart();
    void showTotals(const StatsRow &totals);
    void askPngPath();
    void askCsvPath();

    EngineLink *m_link;
    StatsModel *m_days;
    QSortFilterProxyModel *m_sortedDays;
    CostChart *m_chart = nullptr;
    CostsHeadline *m_headline = nullptr;
    QComboBox *m_range = nullptr;
    QComboBox *m_bucket = nullptr;
    QComboBox *m_groupBy = nullptr;
    QCheckBox *m_evaluations = nullptr; // count the calls of evaluations too
    QComboBox *m_metric = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QAction *m_customRange = nullptr;
    QLabel *m_footer = nullptr;
    QTimer m_requery;   // coalesces toolbar changes
    QTimer m_live;      // at most one refresh per 2 s while calls arrive
    quint64 m_generation = 0;
    Answer m_shown;
};

} // namespace Switchyard
