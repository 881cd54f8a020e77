// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionTimelineChart.h"
#include "ui/sessions/SessionFormat.h"
#include "ui/sessions/SessionTurnsModel.h"
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace Switchyard {

namespace {

// The same Tableau hues as the cost charts, one per kind of token.
constexpr QRgb s_kindColours[] = {0x59a14f, 0xedc948, 0x4e79a7, 0xf28e2b};

} // namespace

SessionTimelineChart::SessionTimelineChart(SessionTurnsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName(QStringLiteral("sessionTimeline"));
    m_plot->setMinimumHeight(160);
    const QStringList names{tr("cache read"), tr("cache write"), tr("input"), tr("output")};
    for (int i = 0; i < names.size(); ++i) {
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(names.at(i));
        bars->setWidth(0.7);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(s_kindColours[i]));
        if (!m_bars.isEmpty())
            bars->moveAbove(m_bars.constLast());
        m_bars.append(bars);
    }
    m_plot->yAxis2->setRange(0, 1); // hidden: places the verdict dots at the top
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->yAxis->setLabel(tr("tokens"));
    m_plot->xAxis->setLabel(tr("turn"));
    connect(m_model, &QAbstractItemModel::modelReset, this, &SessionTimelineChart::rebuild);
    connect(m_plot, &QCustomPlot::mousePress, this, &SessionTimelineChart::onClick);
    rebuild();
}

int SessionTimelineChart::barCount() const
{
    return m_bars.constFirst()->data()->size();
}

void SessionTimelineChart::setCurrentTurn(int row)
{
    m_current = row;
    rebuild();
}

void SessionTimelineChart::rebuild()
{
    const QList<SessionTurnReport> &turns = m_model->turns();
    QList<QVector<double>> values(m_bars.size());
    QVector<double> keys;
    qint64 highest = 0;
    for (int i = 0; i < turns.size(); ++i) {
        const Usage &u = turns.at(i).call.usage;
        const double read = double(u.cachedPromptTokens.value_or(0));
        const double write = double(u.cacheWriteTokens.value_or(0) + u.cacheWrite1hTokens.value_or(0));
        const double input = std::max(0.0, double(u.promptTokens.value_or(0)) - read - write);
        const double output = double(u.completionTokens.value_or(0));
        keys << i + 1;
        values[0] << read;
        values[1] << write;
        values[2] << input;
        values[3] << output;
        highest = std::max(highest, qint64(read + write + input + output));
    }
    for (int k = 0; k < m_bars.size(); ++k)
        m_bars.at(k)->setData(keys, values.at(k), true);
    // One dot per turn at the top, coloured by verdict; the selected turn's is larger.
    while (m_plot->itemCount() > 0)
        m_plot->removeItem(0);
    for (int i = 0; i < turns.size(); ++i) {
        auto *dot = new QCPItemEllipse(m_plot);
        const double size = i == m_current ? 0.22 : 0.14;
        dot->topLeft->setAxes(m_plot->xAxis, m_plot->yAxis2);
        dot->bottomRight->setAxes(m_plot->xAxis, m_plot->yAxis2);
        dot->topLeft->setCoords(i + 1 - size, 0.99);
        dot->bottomRight->setCoords(i + 1 + size, 0.99 - size / 2);
        const QColor colour = SessionFormat::verdictColour(turns.at(i).cache.verdict);
        dot->setPen(QPen(colour));
        dot->setBrush(colour);
    }
    m_plot->xAxis->setRange(0.4, std::max<double>(turns.size(), 1) + 0.6);
    m_plot->yAxis->setRange(0, std::max<double>(double(highest) * 1.25, 10));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SessionTimelineChart::onClick(QMouseEvent *event)
{
    const int turn = qRound(m_plot->xAxis->pixelToCoord(event->position().x()));
    if (turn >= 1 && turn <= m_model->rowCount())
        Q_EMIT turnClicked(turn - 1);
}

} // namespace Switchyard
