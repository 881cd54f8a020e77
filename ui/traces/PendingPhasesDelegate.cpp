// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/PendingPhasesDelegate.h"
#include "ui/SemanticColours.h"
#include "ui/traces/PendingCallsModel.h"
#include <QPainter>

namespace Switchyard {

PendingPhasesDelegate::PendingPhasesDelegate(const PendingCallsModel *model, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_model(model)
{
}

QList<PendingPhasesDelegate::Bar> PendingPhasesDelegate::bars(int row) const
{
    using SemanticColours::Tone;
    const CallRecord &r = m_model->record(row);
    const qint64 now = m_model->elapsedMs(r);
    QList<Bar> out;
    for (qsizetype i = 0; i < r.attempts.size(); ++i) {
        const Attempt &a = r.attempts.at(i);
        const bool running = i == r.attempts.size() - 1 && r.status == 0;
        if (!running) {
            const Tone tone = a.errorClass == ErrorClass::None ? Tone::Ok : Tone::Error;
            out.append({a.startedAfterMs, a.startedAfterMs + a.durationMs, int(tone)});
            continue;
        }
        const qint64 firstByte = r.ttftMs ? qBound(a.startedAfterMs, *r.ttftMs, now) : now;
        out.append({a.startedAfterMs, firstByte, int(Tone::Muted)}); // connect, send, wait
        if (r.ttftMs)
            out.append({firstByte, now, int(Tone::Info)}); // the answer arriving
    }
    return out;
}

void PendingPhasesDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem text = option;
    initStyleOption(&text, index);
    const QRect cell = option.rect.adjusted(4, 3, -4, -3);
    const QRect barArea(cell.left(), cell.top(), qMin(BarsWidth, cell.width() / 2), cell.height());
    const qint64 span = qMax<qint64>(1, m_model->elapsedMs(m_model->record(index.row())));
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.alternateBase());
    painter->drawRect(barArea);
    for (const Bar &bar : bars(index.row())) {
        const int x0 = barArea.left() + int(double(bar.fromMs) / double(span) * barArea.width());
        const int x1 = barArea.left() + int(double(bar.toMs) / double(span) * barArea.width());
        painter->setBrush(SemanticColours::colour(SemanticColours::Tone(bar.tone)));
        painter->drawRect(QRect(x0, barArea.top(), qMax(2, x1 - x0), barArea.height()));
    }
    painter->restore();
    text.rect = option.rect.adjusted(barArea.width() + 10, 0, 0, 0);
    QStyledItemDelegate::paint(painter, text, index);
}

} // namespace Switchyard
