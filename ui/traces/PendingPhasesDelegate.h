// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStyledItemDelegate>

namespace Switchyard {

class PendingCallsModel;

// The waterfall of a call in flight, in the Phases column: its attempts on one time line from
// the call's start to now (failed ones in the error colour), the attempt in progress split at
// its first byte (waiting, then receiving), and the phase in words beside the bars.
class PendingPhasesDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit PendingPhasesDelegate(const PendingCallsModel *model, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static constexpr int BarsWidth = 160; // px of the cell the bars take; the text follows

    // One bar of the waterfall: [fromMs, toMs) of the call's time, in a tone.
    struct Bar
    {
        qint64 fromMs;
        qint64 toMs;
        int tone; // SemanticColours::Tone
    };
    // The bars for `row` at the model's current time (for tests, and for paint()).
    QList<Bar> bars(int row) const;

private:
    const PendingCallsModel *m_model;
};

} // namespace Switchyard
