// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/CostChart.h"
#include "ui/costs/StatsModel.h"
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace Switchyard {

namespace {

// Tableau 10: distinct on light and dark backgrounds; "other" is a neutral grey.
constexpr std::array<QRgb, StackedBuckets::MaxGroups> s_palette{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                            0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0x5f6b7a};
constexpr QRgb s_other = 0xb4b4b4;
constexpr qint64 s_hourMs = 3600000;

// Value-axis labels: "$0.25", "12k", "850 ms".
class ValueTicker final : public QCPAxisTicker
{
public:
    enum Kind { Cost, Tokens, Latency };
    explicit ValueTicker(Kind kind) : m_kind(kind) {}
    void setKind(Kind kind) { m_kind = kind; }

protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar format, int precision) override
    {
        if (m_kind == Tokens) {
            const double size = std::abs(tick);
            return size < 1e3 ? locale.toString(tick, 'g', 3)
                   : size < 1e6 ? locale.toString(tick / 1e3, 'g', 3) + QLatin1Char('k') : locale.toString(tick / 1e6, 'g', 3) + QLatin1Char('M');
        }
        if (m_kind == Latency)
            return tick <= 0 ? QStringLiteral("0")
                   : tick < 1000 ? QStringLiteral("%1 ms").arg(qRound(tick)) : locale.toString(tick / 1000, 'g', 3) + QStringLiteral(" s");
        return QLatin1Char('$') + QCPAxisTicker::getTickLabel(tick, locale, format, precision);
    }

private:
    Kind m_kind;
};

// A legend at the top of the column right of an axis rect.
void addSideLegend(QCustomPlot *plot, int row, QCPLegend *legend)
{
    auto *side = new QCPLayoutGrid;
    plot->plotLayout()->addElement(row, 1, side);
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(plot));
    side->setRowStretchFactor(0, 0.001);
    side->setMargins(QMargins(4, 0, 4, 0));
}

} // namespace

CostChart::CostChart(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName(QStringLiteral("costPlot"));
    m_plot->setMouseTracking(true);
    buildPlot();
    applyPalette();
    connect(m_plot, &QCustomPlot::mouseMove, this, &CostChart::showToolTip);
    showMessage(tr("No requests in this range"));
}

void CostChart::buildPlot()
{
    QCPAxisRect *main = m_plot->axisRect();
    main->insetLayout()->take(m_plot->legend);
    addSideLegend(m_plot, 0, m_plot->legend);
    m_latencyRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(1, 0, m_latencyRect);
    m_latencyLegend = new QCPLegend;
    addSideLegend(m_plot, 1, m_latencyLegend);
    m_latencyLegend->setLayer(QStringLiteral("legend"));
    m_plot->plotLayout()->setRowStretchFactor(0, 2.6);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    auto *margins = new QCPMarginGroup(m_plot);
    main->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_latencyRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

    auto dates = QSharedPointer<QCPAxisTickerDateTime>::create();
    dates->setTickCount(8);
    main->axis(QCPAxis::atBottom)->setTicker(dates);
    main->axis(QCPAxis::atBottom)->setTickLabels(false);
    m_latencyRect->axis(QCPAxis::atBottom)->setTicker(dates);
    main->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<ValueTicker>::create(ValueTicker::Cost));
    m_latencyRect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<ValueTicker>::create(ValueTicker::Latency));
    m_latencyRect->axis(QCPAxis::atLeft)->ticker()->setTickCount(2);
    m_latencyRect->axis(QCPAxis::atLeft)->setLabel(tr("Latency"));

    m_p50 = m_plot->addGraph(m_latencyRect->axis(QCPAxis::atBottom), m_latencyRect->axis(QCPAxis::atLeft));
    m_p95 = m_plot->addGraph(m_latencyRect->axis(QCPAxis::atBottom), m_latencyRect->axis(QCPAxis::atLeft));
    for (const auto &[graph, name, colour] : {std::tuple(m_p50, tr("p50 latency"), 0x2f6fb0), std::tuple(m_p95, tr("p95 latency"), 0xd1603d)}) {
        graph->setName(name);
        graph->setPen(QPen(QColor(QRgb(colour)), 1.6));
        graph->removeFromLegend();
        graph->addToLegend(m_latencyLegend);
    }

    m_message = new QCPItemText(m_plot);
    m_message->setClipToAxisRect(false);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setAxisRect(main);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_message->setFont(big);
}

void CostChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    m_plot->setBackground(pal.brush(QPalette::Base));
    const QList<QCPAxisRect *> rects = m_plot->axisRects();
    for (QCPAxisRect *rect : rects) {
        const QList<QCPAxis *> axes = rect->axes();
        for (QCPAxis *axis : axes) {
            for (auto setPen : {&QCPAxis::setBasePen, &QCPAxis::setTickPen, &QCPAxis::setSubTickPen})
                (axis->*setPen)(QPen(pal.color(QPalette::Mid)));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 0));
            axis->grid()->setZeroLinePen(Qt::NoPen);
        }
    }
    for (QCPLegend *legend : {m_plot->legend, m_latencyLegend}) {
        legend->setBrush(Qt::NoBrush);
        legend->setBorderPen(Qt::NoPen);
        legend->setTextColor(text);
    }
    m_message->setColor(pal.color(QPalette::PlaceholderText));
    m_plot->replot();
}

void CostChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_message)
        applyPalette();
}

void CostChart::clearPlot()
{
    for (int i = m_plot->plottableCount() - 1; i >= 0; --i) {
        if (qobject_cast<QCPBars *>(m_plot->plottable(i)))
            m_plot->removePlottable(i);
    }
    m_p50->data()->clear();
    m_p95->data()->clear();
}

void CostChart::showMessage(const QString &text)
{
    clearPlot();
    m_data = StackedBuckets();
    m_message->setText(text);
    m_message->setVisible(true);
    showParts(false, false);
}

void CostChart::showParts(bool bars, bool latency)
{
    m_plot->legend->setVisible(bars);
    m_plot->yAxis->setTickLabels(bars);
    m_latencyLegend->setVisible(latency);
    m_latencyRect->axis(QCPAxis::atLeft)->setTickLabels(latency);
    m_plot->replot();
}

QString CostChart::message() const
{
    return m_message->visible() ? m_message->text() : QString();
}

void CostChart::setData(const QList<StatsRow> &rows, qint64 fromMs, qint64 toMs, bool byDay, const QString &groupBy, Metric metric)
{
    const bool cost = metric == Metric::Cost;
    static_cast<ValueTicker *>(m_plot->yAxis->ticker().data())->setKind(cost ? ValueTicker::Cost : ValueTicker::Tokens);
    m_plot->yAxis->setLabel(cost ? tr("Cost (USD)") : tr("Tokens"));
    m_data = StackedBuckets(rows, byDay, groupBy, metric);
    setTimeRange(fromMs, toMs);
    if (m_data.isEmpty()) {
        showMessage(tr("No requests in this range"));
        return;
    }
    clearPlot();
    addBars();
    addLatency();
    const bool nothing = m_data.highestStack() <= 0;
    m_message->setText(cost ? tr("No priced calls in this range") : tr("No tokens in this range"));
    m_message->setVisible(nothing);
    showParts(!nothing, true);
}

void CostChart::addBars()
{
    const qint64 bucketMs = m_data.bucketMs();
    const bool byDay = bucketMs > s_hourMs;
    QCPBars *below = nullptr;
    for (int i = 0; i < m_data.names().size(); ++i) {
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(m_data.names().at(i));
        const QColor colour(m_data.hasOther() && i == StackedBuckets::MaxGroups ? s_other : s_palette[size_t(i)]);
        bars->setBrush(colour);
        bars->setPen(byDay ? QPen(colour.darker(120), 0) : QPen(Qt::NoPen));
        bars->setAntialiased(false);
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(double(bucketMs) / 1000 * (byDay ? 0.7 : 0.8));
        const QMap<qint64, double> &values = m_data.values(i);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            bars->addData(double(it.key()) / 1000 + double(bucketMs) / 2000, it.value());
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    const double highest = m_data.highestStack();
    m_plot->yAxis->setRange(0, highest > 0 ? highest * 1.08 : 1);
}

void CostChart::addLatency()
{
    const QMap<qint64, StatsRow> &totals = m_data.totals();
    const qint64 bucketMs = m_data.bucketMs();
    const auto dots = totals.size() > 60 ? QCPScatterStyle(QCPScatterStyle::ssNone) : QCPScatterStyle(QCPScatterStyle::ssDisc, 4);
    m_p50->setScatterStyle(dots);
    m_p95->setScatterStyle(dots);
    double highest = 0;
    qint64 previous = totals.isEmpty() ? 0 : totals.firstKey() - bucketMs;
    for (auto it = totals.cbegin(); it != totals.cend(); ++it) {
        if (!it->p50Ms || !it->p95Ms)
            continue;
        const double key = double(it.key()) / 1000 + double(bucketMs) / 2000;
        if (it.key() - previous > bucketMs) { // an hour or day without calls breaks the lines
            m_p50->addData(key - 1, qQNaN());
            m_p95->addData(key - 1, qQNaN());
        }
        m_p50->addData(key, *it->p50Ms);
        m_p95->addData(key, *it->p95Ms);
        highest = std::max(highest, *it->p95Ms);
        previous = it.key();
    }
    m_latencyRect->axis(QCPAxis::atLeft)->setRange(0, highest > 0 ? highest * 1.15 : 1000);
}

void CostChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    const qint64 first = m_data.bucketAt(fromMs);
    const qint64 last = std::max(first, m_data.bucketAt(toMs - 1)) + m_data.bucketMs();
    const qint64 spanMs = last - first;
    auto dates = m_latencyRect->axis(QCPAxis::atBottom)->ticker().staticCast<QCPAxisTickerDateTime>();
    dates->setDateTimeFormat(spanMs <= s_hourMs * 26 ? QStringLiteral("HH:mm")
                             : spanMs <= s_hourMs * 3 * 24 ? QStringLiteral("ddd HH:mm")
                             : spanMs <= s_hourMs * 15 * 24 ? QStringLiteral("ddd d MMM")
                                                            : QStringLiteral("d MMM"));
    dates->setTickOrigin(QDateTime(QDateTime::fromMSecsSinceEpoch(first).date(), QTime(0, 0)));
    const QCPRange range(double(first) / 1000, double(last) / 1000);
    m_plot->xAxis->setRange(range);
    m_latencyRect->axis(QCPAxis::atBottom)->setRange(range);
}

QString CostChart::describeAt(const QPoint &pos) const
{
    if (m_data.isEmpty())
        return {};
    const qint64 bucket = m_data.bucketAt(qint64(std::floor(m_plot->xAxis->pixelToCoord(pos.x()) * 1000)));
    if (m_plot->axisRect()->rect().contains(pos))
        return m_data.describeStack(bucket, m_plot->yAxis->pixelToCoord(pos.y()));
    return m_latencyRect->rect().contains(pos) ? m_data.describeLatency(bucket) : QString();
}

void CostChart::showToolTip(QMouseEvent *event)
{
    const QString text = describeAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

bool CostChart::savePng(const QString &path) const
{
    if (m_plot->width() < 200 || m_plot->height() < 150)
        return m_plot->savePng(path, 1200, 600);
    return m_plot->savePng(path, 0, 0, 2.0);
}

} // namespace Switchyard
