// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QCustomPlot;
class QCPBars;
class QMouseEvent;

namespace Switchyard {

class SessionTurnsModel;

// A session's turns side by side: tokens stacked by kind (cache read, cache write, uncached
// input, output) and above each bar a dot in the colour of its cache verdict. Clicking a bar
// selects that turn. Reads the turns model; qcustomplot.h stays out of this header.
class SessionTimelineChart final : public QWidget
{
    Q_OBJECT
public:
    explicit SessionTimelineChart(SessionTurnsModel *model, QWidget *parent = nullptr);

    void setCurrentTurn(int row);
    int barCount() const;

Q_SIGNALS:
    void turnClicked(int row);

private:
    void rebuild();
    void onClick(QMouseEvent *event);

    SessionTurnsModel *m_model;
    QCustomPlot *m_plot;
    QList<QCPBars *> m_bars; // cache read, cache write, input, output: bottom to top
    int m_current = -1;
};

} // namespace Switchyard
