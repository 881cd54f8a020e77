// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/proxy/CallRecord.h"
#include <QDate>
#include <QObject>
#include <QTimer>
#include <deque>

namespace Switchyard {

class EngineLink;

// What the status bar and the tray show: requests per second, errors in the last minute
// and today's spend (from the log at start, then from live calls), refreshed once a second.
class ActivityMonitor final : public QObject
{
    Q_OBJECT
public:
    explicit ActivityMonitor(EngineLink *link, QObject *parent = nullptr);

    static constexpr int RateWindowSeconds = 10;

    double requestsPerSecond() const;
    int errorsLastMinute() const;
    double todaySpendUsd() const { return m_todaySpend; }
    void addCalls(const QList<Switchyard::CallRecord> &records);

Q_SIGNALS:
    void changed();

private:
    void prune();
    void loadTodaySpend();

    EngineLink *m_link;
    std::deque<qint64> m_requests; // finish times, ms
    std::deque<qint64> m_errors;
    double m_todaySpend = 0;
    bool m_loaded = false;
    QDate m_day;
    QTimer m_tick;
};

} // namespace Switchyard
