// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QMutex>
#include <atomic>
#include <deque>

namespace Switchyard {

// The bounded hand-over from the proxy to the log writer. The engine pushes finished calls from
// its thread and never waits beyond a short lock; the writer takes them in batches. When the
// writer falls behind, a call that would take the bodies waiting past Limits::maxBodyBytes keeps
// its row but not its bodies (CallRecord::bodiesShed), and one that would take the rows waiting
// past Limits::maxRows is dropped. Both are counted in LogStats. Thread-safe.
class LogQueue final
{
public:
    struct Limits
    {
        qint64 maxBodyBytes = 64LL * 1024 * 1024; // about 0.5 s of the writer's work on agent bodies
        qint64 maxRows = 20000;                   // rows without bodies: about 20 MB, 0.4 s of work
    };

    LogQueue();
    explicit LogQueue(Limits limits);
    ~LogQueue();
    LogQueue(const LogQueue &) = delete;
    LogQueue &operator=(const LogQueue &) = delete;

    // Queues `records` (shedding as above); returns how many calls wait now.
    qint64 push(const QList<CallRecord> &records);
    // The oldest `maxRows` calls waiting, removed from the queue.
    QList<CallRecord> take(qint64 maxRows);
    // Puts calls taken but not written back in front, in their order, within the same bounds
    // (a call past them is dropped, one over the body budget sheds its bodies).
    void restore(QList<CallRecord> &&records);
    // Forgets every call still waiting, counting them as dropped; returns how many.
    qint64 dropAll();
    qint64 size() const;
    void setLimits(Limits limits);

    // Bytes of body a call brings: its request and response and the bodies of its attempts.
    static qint64 bodyBytes(const CallRecord &record);
    // The same call without its bodies, marked as such.
    static void shedBodies(CallRecord &record);

private:
    // Under the lock: queues `record` at one end within the bounds, counting what was shed or dropped.
    void admit(CallRecord &&record, bool atFront, quint64 *shed, quint64 *dropped);

    mutable QMutex m_mutex;
    std::deque<CallRecord> m_records;
    qint64 m_bodyBytes = 0;
    Limits m_limits;
};

} // namespace Switchyard
