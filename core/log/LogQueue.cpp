// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogQueue.h"
#include "core/log/LogStats.h"

namespace Switchyard {

LogQueue::LogQueue()
    : m_limits()
{
}

LogQueue::LogQueue(Limits limits)
    : m_limits(limits)
{
}

LogQueue::~LogQueue()
{
    dropAll();
}

qint64 LogQueue::bodyBytes(const CallRecord &r)
{
    qint64 bytes = r.requestBody.size() + r.responseBody.size();
    for (const Attempt &a : r.attempts)
        bytes += a.requestBody.size();
    return bytes;
}

void LogQueue::shedBodies(CallRecord &r)
{
    r.requestBody.clear();
    r.responseBody.clear();
    for (Attempt &a : r.attempts)
        a.requestBody.clear();
    r.bodiesShed = true;
}

void LogQueue::admit(CallRecord &&record, bool atFront, quint64 *shed, quint64 *dropped)
{
    if (qint64(m_records.size()) >= m_limits.maxRows) {
        ++*dropped;
        return;
    }
    CallRecord &r = atFront ? m_records.emplace_front(std::move(record)) : m_records.emplace_back(std::move(record));
    const qint64 bytes = bodyBytes(r);
    if (bytes > 0 && m_bodyBytes + bytes > m_limits.maxBodyBytes) {
        shedBodies(r); // the bytes are freed by whoever drops the last copy
        ++*shed;
    } else {
        m_bodyBytes += bytes;
    }
}

qint64 LogQueue::push(const QList<CallRecord> &records)
{
    LogStats &stats = LogStats::instance();
    quint64 shed = 0, dropped = 0;
    qint64 size = 0;
    {
        QMutexLocker lock(&m_mutex);
        for (const CallRecord &r : records)
            admit(CallRecord(r), false, &shed, &dropped);
        size = qint64(m_records.size());
        stats.queuedRows = size;
        stats.queuedBodyBytes = m_bodyBytes;
    }
    stats.bodiesShed += shed;
    stats.rowsDropped += dropped;
    return size;
}

QList<CallRecord> LogQueue::take(qint64 maxRows)
{
    QList<CallRecord> batch;
    QMutexLocker lock(&m_mutex);
    const qint64 count = qMin(maxRows, qint64(m_records.size()));
    batch.reserve(count);
    for (qint64 i = 0; i < count; ++i) {
        m_bodyBytes -= bodyBytes(m_records.front());
        batch.append(std::move(m_records.front()));
        m_records.pop_front();
    }
    LogStats::instance().queuedRows = qint64(m_records.size());
    LogStats::instance().queuedBodyBytes = m_bodyBytes;
    return batch;
}

void LogQueue::restore(QList<CallRecord> &&records)
{
    LogStats &stats = LogStats::instance();
    quint64 shed = 0, dropped = 0;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = records.rbegin(); it != records.rend(); ++it)
            admit(std::move(*it), true, &shed, &dropped);
        stats.queuedRows = qint64(m_records.size());
        stats.queuedBodyBytes = m_bodyBytes;
    }
    records.clear();
    stats.bodiesShed += shed;
    stats.rowsDropped += dropped;
}

qint64 LogQueue::dropAll()
{
    std::deque<CallRecord> dropped;
    {
        QMutexLocker lock(&m_mutex);
        dropped.swap(m_records);
        m_bodyBytes = 0;
        LogStats::instance().queuedRows = 0;
        LogStats::instance().queuedBodyBytes = 0;
    }
    LogStats::instance().rowsDropped += dropped.size();
    return qint64(dropped.size());
}

qint64 LogQueue::size() const
{
    QMutexLocker lock(&m_mutex);
    return qint64(m_records.size());
}

void LogQueue::setLimits(Limits limits)
{
    QMutexLocker lock(&m_mutex);
    m_limits = limits;
}

} // namespace Switchyard
