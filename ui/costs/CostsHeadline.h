// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace Switchyard {

// The figures above the cost chart: cost, requests, error rate, tokens, latency and unpriced
// calls of the chosen range, each a caption over a large value.
class CostsHeadline final : public QWidget
{
    Q_OBJECT
public:
    explicit CostsHeadline(QWidget *parent = nullptr);

    void showTotals(const StatsRow &totals);

protected:
    void changeEvent(QEvent *event) override;

private:
    static void dimCaption(QLabel *caption);
    QLabel *addFigure(const QString &objectName, const QString &caption, const QString &toolTip = QString());

    QHBoxLayout *m_row;
    QLabel *m_cost;
    QLabel *m_requests;
    QLabel *m_errorRate;
    QLabel *m_tokens;
    QLabel *m_latency;
    QLabel *m_unpriced;
    QList<QLabel *> m_captions;
};

} // namespace Switchyard
