// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ActivityMonitor.h"
#include <algorithm>
#include <climits>
#include "core/log/LogReader.h"
#include "ui/EngineLink.h"

namespace Switchyard {

ActivityMonitor::ActivityMonitor(EngineLink *link, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_day(QDate::currentDate())
    , m_tick(this)
{
    connect(link, &EngineLink::callsArrived, this, &ActivityMonitor::addCalls);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (QDate::currentDate() != m_day) { // a new day: today's spend starts again
            m_day = QDate::currentDate();
            m_todaySpend = 0;
            m_todayUnpriced = 0;
        }
        prune();
        Q_EMIT changed();
    });
    m_tick.start();
    loadTodaySpend();
}

void ActivityMonitor::loadTodaySpend()
{
    if (!m_link->reader())
        return;
    StatsQuery query;
    query.sinceMs = QDateTime(m_day.startOfDay()).toMSecsSinceEpoch();
    query.untilMs = QDateTime::currentMSecsSinceEpoch() + 1;
    query.byDay = true;
    query.by = QStringLiteral("provider");
    // Roll-ups are hourly; local midnight falls on an hour boundary in whole-hour time zones.
    m_link->reader()->query<Result<QList<StatsRow>>>(
        this, [query](LogQueries &q) { return q.stats(query); },
        [this](const Result<QList<StatsRow>> &rows) {
            double total = 0;
            qint64 unpriced = 0;
            if (rows) {
                for (const StatsRow &row : rows.value()) {
                    total += row.costUsd;
                    unpriced += row.unpriced;
                }
            }
            m_todaySpend = total; // live calls count from here on
            m_todayUnpriced = unpriced;
            m_loaded = true;
            Q_EMIT changed();
        });
}

void ActivityMonitor::addCalls(const QList<CallRecord> &records)
{
    // Milliseconds, not a local date per call: time-zone conversion would cost more than the rest.
    const qint64 dayStartMs = m_day.startOfDay().toMSecsSinceEpoch();
    for (const CallRecord &r : records) {
        const qint64 at = r.startedAt.toMSecsSinceEpoch() + r.durationMs;
        m_requests.push_back(at);
        if (!r.ok)
            m_errors.push_back(at);
        if (!m_loaded || r.startedAt.toMSecsSinceEpoch() < dayStartMs)
            continue;
        if (r.costUsd)
            m_todaySpend += *r.costUsd;
        else if (r.ok)
            ++m_todayUnpriced;
    }
    prune();
}

void ActivityMonitor::prune()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_requests.empty() && m_requests.front() < now - RateWindowSeconds * 1000)
        m_requests.pop_front();
    while (!m_errors.empty() && m_errors.front() < now - 60 * 1000)
        m_errors.pop_front();
}

QString ActivityMonitor::todaySpendText() const
{
    const QString money = m_todaySpend < 1 ? QStringLiteral("$%1").arg(m_todaySpend, 0, 'f', 4)
                                           : QStringLiteral("$%1").arg(m_todaySpend, 0, 'f', 2);
    if (m_todayUnpriced == 0)
        return money;
    const QString unpriced = tr("%n unpriced", nullptr, int(std::min<qint64>(m_todayUnpriced, INT_MAX)));
    return m_todaySpend > 0 ? QStringLiteral("%1 + %2").arg(money, unpriced) : unpriced;
}

double ActivityMonitor::requestsPerSecond() const
{
    return double(m_requests.size()) / RateWindowSeconds;
}

int ActivityMonitor::errorsLastMinute() const
{
    return int(m_errors.size());
}

} // namespace Switchyard
