// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/AttemptTimeline.h"
#include "ui/traces/TraceFormat.h"
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>

namespace Switchyard {

namespace {

constexpr int Margin = 8;
constexpr int AxisHeight = 22;

// A tick step of 1, 2 or 5 times a power of ten giving at most `maxTicks` intervals.
qint64 tickStep(qint64 span, int maxTicks)
{
    const double raw = double(span) / qMax(1, maxTicks);
    const double power = std::pow(10.0, std::floor(std::log10(qMax(1.0, raw))));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (power * factor >= raw)
            return qMax<qint64>(1, qint64(power * factor));
    }
    return qint64(power * 10);
}

} // namespace

AttemptTimeline::AttemptTimeline(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void AttemptTimeline::setAttempts(const QList<Attempt> &attempts, qint64 callDurationMs)
{
    m_attempts = attempts;
    m_hasRequest = true;
    m_spanMs = callDurationMs;
    for (const Attempt &a : attempts)
        m_spanMs = qMax(m_spanMs, a.startedAfterMs + a.durationMs);
    m_spanMs = qMax<qint64>(m_spanMs, 1);
    updateGeometry();
    update();
}

void AttemptTimeline::clear()
{
    setAttempts({}, 0);
    m_hasRequest = false;
}

int AttemptTimeline::rowHeight() const
{
    return fontMetrics().height() + 8;
}

int AttemptTimeline::labelWidth() const
{
    int widest = 0;
    for (const Attempt &a : m_attempts)
        widest = qMax(widest, fontMetrics().horizontalAdvance(TraceFormat::target(a.provider, a.model)));
    return qMin(widest + 12, width() * 2 / 5);
}

QRectF AttemptTimeline::plotArea() const
{
    const int left = Margin + labelWidth();
    return QRectF(left, Margin, qMax(10, width() - left - Margin - 4), qreal(qMax<qsizetype>(1, m_attempts.size()) * rowHeight()));
}

double AttemptTimeline::xFor(qint64 ms) const
{
    const QRectF area = plotArea();
    return area.left() + area.width() * double(ms) / double(qMax<qint64>(1, m_spanMs));
}

QRectF AttemptTimeline::barRect(int i) const
{
    if (i < 0 || i >= m_attempts.size())
        return QRectF();
    const Attempt &a = m_attempts.at(i);
    const QRectF area = plotArea();
    const double x0 = xFor(a.startedAfterMs);
    const double x1 = qMax(x0 + 3, xFor(a.startedAfterMs + a.durationMs));
    return QRectF(x0, area.top() + i * rowHeight() + 3, x1 - x0, rowHeight() - 6);
}

QString AttemptTimeline::barText(int i) const
{
    const Attempt &a = m_attempts.at(i);
    return QStringLiteral("%1 · %2").arg(TraceFormat::attemptOutcome(a), TraceFormat::duration(a.durationMs));
}

QSize AttemptTimeline::sizeHint() const
{
    return QSize(480, 2 * Margin + int(qMax<qsizetype>(1, m_attempts.size())) * rowHeight() + AxisHeight);
}

QSize AttemptTimeline::minimumSizeHint() const
{
    return QSize(200, sizeHint().height());
}

bool AttemptTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        for (int i = 0; i < m_attempts.size(); ++i) {
            const QRectF row(0, barRect(i).top() - 3, width(), rowHeight());
            if (row.contains(help->pos())) {
                const Attempt &a = m_attempts.at(i);
                QToolTip::showText(help->globalPos(),
                                   tr("Attempt %1: %2/%3\nstarted at +%4, took %5\n%6")
                                       .arg(i + 1)
                                       .arg(a.provider, a.model, TraceFormat::duration(a.startedAfterMs), TraceFormat::duration(a.durationMs),
                                            a.message.isEmpty() ? barText(i) : a.message),
                                   this);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

void AttemptTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QRectF area = plotArea();
    const QColor grid = pal.color(QPalette::Mid);
    const QColor muted = pal.color(QPalette::PlaceholderText);

    // Axis with ticks and vertical grid lines.
    const qint64 step = tickStep(m_spanMs, qMax(2, int(area.width() / 70)));
    const double axisY = area.bottom() + 2;
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(area.left(), axisY), QPointF(area.right(), axisY));
    for (qint64 t = 0; t <= m_spanMs; t += step) {
        const double x = xFor(t);
        p.setPen(QPen(QColor(grid.red(), grid.green(), grid.blue(), 70), 1, Qt::DashLine));
        p.drawLine(QPointF(x, area.top()), QPointF(x, axisY));
        p.setPen(muted);
        const QString label = t < 1000 ? QStringLiteral("%1 ms").arg(t) : QStringLiteral("%1 s").arg(double(t) / 1000.0, 0, 'g', 3);
        const double w = fontMetrics().horizontalAdvance(label);
        p.drawText(QPointF(qMin(x - w / 2, area.right() - w + 4), axisY + fontMetrics().ascent() + 4), label);
    }
    if (m_attempts.isEmpty()) {
        p.setPen(muted);
        p.drawText(area, Qt::AlignCenter, m_hasRequest ? tr("No attempts: the request failed before reaching a provider")
                                                       : tr("Select a request to see its attempts"));
        return;
    }

    for (int i = 0; i < m_attempts.size(); ++i) {
        const Attempt &a = m_attempts.at(i);
        const bool failed = a.errorClass != ErrorClass::None || a.status >= 400 || a.status == 0;
        const QRectF rowRect(Margin, area.top() + i * rowHeight(), width() - 2 * Margin, rowHeight());
        if (i % 2 == 1)
            p.fillRect(rowRect, pal.color(QPalette::AlternateBase));
        const QString label = TraceFormat::target(a.provider, a.model);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(Margin, rowRect.top(), labelWidth() - 8, rowRect.height()), Qt::AlignVCenter | Qt::AlignLeft,
                   fontMetrics().elidedText(label, Qt::ElideMiddle, labelWidth() - 8));

        const QRectF bar = barRect(i);
        const QColor fill = failed ? TraceFormat::errorColour() : QColor(0x2d, 0xa4, 0x4e);
        QPainterPath path;
        path.addRoundedRect(bar, 3, 3);
        p.fillPath(path, fill);
        const QString text = barText(i);
        const int textWidth = fontMetrics().horizontalAdvance(text);
        if (textWidth + 10 <= bar.width()) {
            p.setPen(Qt::white);
            p.drawText(bar.adjusted(6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        } else if (bar.right() + 6 + textWidth <= width() - Margin) {
            p.setPen(failed ? fill.darker(120) : pal.color(QPalette::Text));
            p.drawText(QRectF(bar.right() + 6, bar.top(), textWidth + 2, bar.height()), Qt::AlignVCenter | Qt::AlignLeft, text);
        } else {
            p.setPen(failed ? fill.darker(120) : pal.color(QPalette::Text));
            p.drawText(QRectF(bar.left() - 6 - textWidth, bar.top(), textWidth, bar.height()), Qt::AlignVCenter | Qt::AlignRight, text);
        }
    }
}

} // namespace Switchyard
