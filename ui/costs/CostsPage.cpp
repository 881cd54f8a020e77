// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/CostsPage.h"
#include "core/log/LogReader.h"
#include "ui/EngineLink.h"
#include "ui/costs/CostChart.h"
#include "ui/costs/CostsHeadline.h"
#include "ui/costs/PricesDialog.h"
#include "ui/costs/StatsCsvWriter.h"
#include "ui/costs/StatsModel.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Switchyard {

namespace {

QComboBox *addCombo(QToolBar *bar, const QString &objectName, const QString &label, const QList<std::pair<QString, QVariant>> &items)
{
    auto *caption = new QLabel(label, bar);
    caption->setContentsMargins(8, 0, 4, 0);
    bar->addWidget(caption);
    auto *combo = new QComboBox(bar);
    combo->setObjectName(objectName);
    for (const auto &[text, data] : items)
        combo->addItem(text, data);
    caption->setBuddy(combo);
    bar->addWidget(combo);
    return combo;
}

} // namespace

CostsPage::CostsPage(EngineLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_days(new StatsModel(this))
    , m_sortedDays(new QSortFilterProxyModel(this))
{
    m_sortedDays->setSourceModel(m_days);
    m_sortedDays->setSortRole(StatsModel::SortRole);
    m_requery.setSingleShot(true);
    m_requery.setInterval(150);
    m_live.setSingleShot(true);
    m_live.setInterval(2000);
    connect(&m_requery, &QTimer::timeout, this, &CostsPage::refresh);
    connect(&m_live, &QTimer::timeout, this, &CostsPage::refresh);
    connect(m_link, &EngineLink::callsArrived, this, &CostsPage::noteCallsArrived);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(buildToolBar());
    m_headline = new CostsHeadline(this);
    layout->addWidget(m_headline);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_chart = new CostChart(splitter);
    auto *table = new QTableView(splitter);
    table->setObjectName(QStringLiteral("dayTable"));
    table->setModel(m_sortedDays);
    table->setSortingEnabled(true);
    table->sortByColumn(StatsModel::DayColumn, Qt::DescendingOrder);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->horizontalHeader()->setHighlightSections(false);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    m_footer = new QLabel(this);
    m_footer->setObjectName(QStringLiteral("totalsFooter"));
    m_footer->setContentsMargins(8, 4, 8, 4);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_footer);
    showTotals(StatsRow());
}

QWidget *CostsPage::buildToolBar()
{
    auto *bar = new QToolBar(tr("Costs"), this);
    bar->setObjectName(QStringLiteral("costsToolBar"));
    m_range = addCombo(bar, QStringLiteral("rangeCombo"), tr("&Range:"),
                       {{tr("Today"), int(Range::Today)}, {tr("Last 7 days"), int(Range::SevenDays)},
                        {tr("Last 30 days"), int(Range::ThirtyDays)}, {tr("Custom…"), int(Range::Custom)}});
    auto *custom = new QWidget(bar);
    auto *customLayout = new QHBoxLayout(custom);
    customLayout->setContentsMargins(4, 0, 0, 0);
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-7), custom);
    m_to = new QDateTimeEdit(QDateTime::currentDateTime(), custom);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &CostsPage::scheduleRefresh);
    }
    m_from->setObjectName(QStringLiteral("fromEdit"));
    m_to->setObjectName(QStringLiteral("toEdit"));
    customLayout->addWidget(m_from);
    customLayout->addWidget(new QLabel(QStringLiteral("–"), custom));
    customLayout->addWidget(m_to);
    m_customRange = bar->addWidget(custom);
    m_customRange->setVisible(false);
    bar->addSeparator();
    m_bucket = addCombo(bar, QStringLiteral("bucketCombo"), tr("&Buckets:"), {{tr("Hour"), false}, {tr("Day (UTC)"), true}});
    m_groupBy = addCombo(bar, QStringLiteral("groupByCombo"), tr("&Group by:"),
                         {{tr("Alias"), QStringLiteral("alias")}, {tr("Provider"), QStringLiteral("provider")},
                          {tr("Model"), QStringLiteral("model")}, {tr("Client tool"), QStringLiteral("client")},
                          {tr("Project"), QStringLiteral("project")}});
    m_metric = addCombo(bar, QStringLiteral("metricCombo"), tr("&Show:"),
                        {{tr("Cost"), int(CostChart::Metric::Cost)}, {tr("Tokens"), int(CostChart::Metric::Tokens)}});
    m_evaluations = new QCheckBox(tr("With &evaluations"), bar);
    m_evaluations->setObjectName(QStringLiteral("evaluationsCheck"));
    m_evaluations->setToolTip(tr("Count the calls made by evaluations of proposed routes too (they are left out by default)"));
    bar->addWidget(m_evaluations);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addAction(tr("Export PNG…"), this, &CostsPage::askPngPath)->setObjectName(QStringLiteral("exportPng"));
    bar->addAction(tr("Export CSV…"), this, &CostsPage::askCsvPath)->setObjectName(QStringLiteral("exportCsv"));
    bar->addAction(tr("Prices…"), this, &CostsPage::editPrices)->setObjectName(QStringLiteral("editPrices"));

    m_range->setCurrentIndex(int(Range::SevenDays));
    m_bucket->setCurrentIndex(1);
    connect(m_range, &QComboBox::currentIndexChanged, this, &CostsPage::applyRange);
    connect(m_bucket, &QComboBox::currentIndexChanged, this, &CostsPage::scheduleRefresh);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, &CostsPage::scheduleRefresh);
    connect(m_evaluations, &QCheckBox::toggled, this, &CostsPage::scheduleRefresh);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &CostsPage::showChart);
    return bar;
}

void CostsPage::setRange(Range range)
{
    m_range->setCurrentIndex(int(range));
}

void CostsPage::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from);
    m_to->setDateTime(to);
    setRange(Range::Custom);
}

void CostsPage::applyRange()
{
    const auto range = Range(m_range->currentData().toInt());
    m_customRange->setVisible(range == Range::Custom);
    m_bucket->setCurrentIndex(range == Range::Today ? 0 : 1);
    scheduleRefresh();
}

void CostsPage::scheduleRefresh()
{
    m_requery.start();
}

void CostsPage::noteCallsArrived()
{
    if (isVisible() && !m_live.isActive())
        m_live.start();
}

void CostsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    scheduleRefresh();
}

StatsQuery CostsPage::currentQuery() const
{
    const QDateTime now = QDateTime::currentDateTime();
    StatsQuery query;
    query.untilMs = now.toMSecsSinceEpoch() + 1;
    switch (Range(m_range->currentData().toInt())) {
    case Range::Today: query.sinceMs = QDateTime(now.date(), QTime(0, 0)).toMSecsSinceEpoch(); break;
    case Range::SevenDays: query.sinceMs = now.addDays(-7).toMSecsSinceEpoch(); break;
    case Range::ThirtyDays: query.sinceMs = now.addDays(-30).toMSecsSinceEpoch(); break;
    case Range::Custom:
        query.sinceMs = std::min(m_from->dateTime(), m_to->dateTime()).toMSecsSinceEpoch();
        query.untilMs = std::max(m_from->dateTime(), m_to->dateTime()).toMSecsSinceEpoch();
        break;
    }
    query.byDay = m_bucket->currentData().toBool();
    query.by = m_groupBy->currentData().toString();
    query.evaluations = m_evaluations->isChecked();
    return query;
}

void CostsPage::refresh()
{
    m_requery.stop();
    m_live.stop();
    const quint64 generation = ++m_generation;
    const StatsQuery query = currentQuery();
    qint64 axisUntilMs = query.untilMs;
    if (Range(m_range->currentData().toInt()) == Range::Today)
        axisUntilMs = QDateTime(QDate::currentDate().addDays(1), QTime(0, 0)).toMSecsSinceEpoch();
    m_link->reader()->query<Answer>(
        this,
        [query, axisUntilMs](LogQueries &queries) {
            StatsQuery perDay = query;
            perDay.byDay = true;
            const Result<QList<StatsRow>> buckets = queries.stats(query);
            const Result<QList<StatsRow>> days = query.byDay ? buckets : queries.stats(perDay);
            if (!buckets || !days)
                return Answer{query, axisUntilMs, {}, {}, (buckets ? days : buckets).error().message};
            return Answer{query, axisUntilMs, buckets.value(), days.value(), {}};
        },
        [this, generation](const Answer &answer) {
            if (generation == m_generation)
                showAnswer(answer);
        });
}

void CostsPage::showAnswer(const Answer &answer)
{
    m_shown = answer;
    m_days->setRows(answer.days);
    if (answer.error.isEmpty())
        showChart();
    else
        m_chart->showMessage(tr("Cannot read the request log: %1").arg(answer.error));
    showTotals(m_days->totals());
    Q_EMIT statsLoaded();
}

void CostsPage::showChart()
{
    const auto metric = CostChart::Metric(m_metric->currentData().toInt());
    const StatsQuery &query = m_shown.query;
    m_chart->setData(m_shown.buckets, query.sinceMs, std::max(query.untilMs, m_shown.axisUntilMs), query.byDay, query.by, metric);
}

void CostsPage::showTotals(const StatsRow &totals)
{
    m_headline->showTotals(totals);
    m_footer->setText(tr("Totals: %1 prompt, %2 completion and %3 cached tokens; %4 errors")
                          .arg(StatsModel::formatCount(totals.promptTokens), StatsModel::formatCount(totals.completionTokens),
                               StatsModel::formatCount(totals.cachedTokens), StatsModel::formatCount(totals.errors)));
}

bool CostsPage::exportPng(const QString &path)
{
    return m_chart->savePng(path);
}

void CostsPage::editPrices()
{
    auto *dialog = new PricesDialog(m_link, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

Result<bool> CostsPage::exportCsv(const QString &path) const
{
    return StatsCsvWriter::write(path, m_shown.buckets, m_shown.query);
}

void CostsPage::askPngPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString name = QStringLiteral("/switchyard-costs-%1.png").arg(QDate::currentDate().toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), dir + name, tr("PNG images (*.png)"));
    if (!path.isEmpty() && !exportPng(path))
        QMessageBox::warning(this, tr("Export Chart"), tr("Could not write %1.").arg(path));
}

void CostsPage::askCsvPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = QStringLiteral("/switchyard-costs-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Data"), dir + name, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const Result<bool> written = exportCsv(path); !written)
        QMessageBox::warning(this, tr("Export Data"), written.error().message);
}

} // namespace Switchyard
