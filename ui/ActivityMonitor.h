// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
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
    qint64 todayUnpriced() const { return m_todayUnpriced; } // successful calls without a known price
    // "$0.0123", "$0.0123 + 3 unpriced", "3 unpriced", "$0 (no calls)": never $0 for calls not priced.
    QString todaySpendText() const;
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
    qint64 m_todayUnpriced = 0;
    bool m_loaded = false;
    QDate m_day;
    QTimer m_tick;
};

} // namespace Switchyard
