// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/CostsHeadline.h"
#include "ui/costs/StatsModel.h"
#include <QApplication>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace Switchyard {

CostsHeadline::CostsHeadline(QWidget *parent)
    : QWidget(parent)
    , m_row(new QHBoxLayout(this))
{
    m_row->setContentsMargins(12, 8, 12, 8);
    m_row->setSpacing(0);
    m_cost = addFigure(QStringLiteral("totalCost"), tr("Cost"), tr("Cost of the priced calls in the range"));
    m_requests = addFigure(QStringLiteral("totalRequests"), tr("Requests"));
    m_errorRate = addFigure(QStringLiteral("errorRate"), tr("Error rate"));
    m_tokens = addFigure(QStringLiteral("totalTokens"), tr("Tokens"));
    m_latency = addFigure(QStringLiteral("latency"), tr("Latency p50 / p95"));
    m_unpriced = addFigure(QStringLiteral("unpricedCalls"), tr("Unpriced calls"),
                           tr("Successful calls to models without a known price; their cost is not counted"));
    m_row->addStretch(1);
    showTotals(StatsRow());
}

QLabel *CostsHeadline::addFigure(const QString &objectName, const QString &caption, const QString &toolTip)
{
    if (m_row->count() > 0) {
        auto *line = new QFrame(this);
        line->setFrameShape(QFrame::VLine);
        line->setFrameShadow(QFrame::Sunken);
        m_row->addWidget(line);
    }
    auto *box = new QVBoxLayout;
    box->setContentsMargins(m_row->count() > 0 ? 16 : 0, 0, 16, 0);
    box->setSpacing(2);
    auto *captionLabel = new QLabel(caption, this);
    captionLabel->setObjectName(QStringLiteral("caption_") + objectName);
    m_captions.append(captionLabel);
    dimCaption(captionLabel);
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    value->setToolTip(toolTip);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    value->setFont(big);
    box->addWidget(captionLabel);
    box->addWidget(value);
    m_row->addLayout(box);
    return value;
}

void CostsHeadline::dimCaption(QLabel *caption)
{
    // Only WindowText is set here, so the caption follows every other role of a new theme.
    QPalette dim = caption->palette();
    dim.setColor(QPalette::WindowText, QApplication::palette().color(QPalette::PlaceholderText));
    caption->setPalette(dim);
}

void CostsHeadline::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange
        || event->type() == QEvent::StyleChange) {
        for (QLabel *caption : std::as_const(m_captions))
            dimCaption(caption);
    }
}

void CostsHeadline::showTotals(const StatsRow &totals)
{
    m_cost->setText(StatsModel::formatCost(totals));
    m_requests->setText(StatsModel::formatCount(totals.requests));
    m_errorRate->setText(totals.requests > 0 ? QLocale().toString(100 * StatsModel::errorRate(totals), 'f', 1) + QLatin1Char('%')
                                             : QStringLiteral("—"));
    m_errorRate->setToolTip(tr("Failed requests: %1").arg(StatsModel::formatCount(totals.errors)));
    m_tokens->setText(StatsModel::formatCompact(double(totals.promptTokens + totals.completionTokens)));
    m_tokens->setToolTip(tr("Prompt: %1\nCompletion: %2\nCached prompt: %3")
                             .arg(StatsModel::formatCount(totals.promptTokens), StatsModel::formatCount(totals.completionTokens),
                                  StatsModel::formatCount(totals.cachedTokens)));
    m_latency->setText(QStringLiteral("%1 / %2").arg(StatsModel::formatLatency(totals.p50Ms), StatsModel::formatLatency(totals.p95Ms)));
    m_unpriced->setText(StatsModel::formatCount(totals.unpriced));
}

} // namespace Switchyard
