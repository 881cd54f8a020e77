// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QWidget>

namespace Switchyard {

// The attempts of one call as horizontal bars on a shared time axis: one row per attempt,
// labelled with its target, its status or error class and its duration; failed attempts red.
class AttemptTimeline final : public QWidget
{
    Q_OBJECT
public:
    explicit AttemptTimeline(QWidget *parent = nullptr);

    void setAttempts(const QList<Attempt> &attempts, qint64 callDurationMs);
    void clear();
    int barCount() const { return int(m_attempts.size()); }
    bool showsRequest() const { return m_hasRequest; }
    // Where attempt `i`'s bar is drawn, in widget coordinates.
    QRectF barRect(int i) const;
    QString barText(int i) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    int labelWidth() const;
    int rowHeight() const;
    QRectF plotArea() const;
    double xFor(qint64 ms) const;

    QList<Attempt> m_attempts;
    qint64 m_spanMs = 0;
    bool m_hasRequest = false; // false: nothing selected, so no "no attempts" message
};

} // namespace Switchyard
