// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/BaselineStore.h"
#include "core/log/LogQueries.h"
#include "core/log/SessionQueries.h"
#include <QStringList>
#include <functional>

namespace Switchyard {

// The request log of another Switchyard, for a window attached to a remote gateway: the
// questions the window asks of LogQueries, SessionQueries and BaselineStore, answered
// elsewhere (core/remote/RemoteLog, over the gateway's admin API). Those classes hand each
// call to a LogRemote when they are given one, so the views read the same way either way.
// Its calls block; it runs on the log reader's thread only.
class LogRemote
{
public:
    virtual ~LogRemote() = default;

    // As LogQueries: newest first, with attempts, without bodies.
    virtual Result<QList<CallRecord>> requests(const RequestFilter &filter) = 0;
    virtual Result<qint64> count(const RequestFilter &filter) = 0;
    // With attempts, bodies and headers; an empty id when there is none.
    virtual Result<CallRecord> request(const QString &id) = 0;
    virtual Result<QList<StatsRow>> stats(const StatsQuery &query) = 0;

    // As SessionQueries::list and ::forEachCall.
    virtual Result<QList<SessionSummary>> sessions(const SessionFilter &filter) = 0;
    virtual Result<qint64> forEachSessionCall(const QString &sessionId, int maxCalls,
                                              const std::function<void(const CallRecord &)> &visit) = 0;

    // As BaselineStore::list.
    virtual Result<QList<BaselineInfo>> baselines() = 0;
    // Appends the recorded requests `ids` (their copies are taken where the log is), creating
    // the baseline when new; answers how many were added (one already in it is not).
    virtual Result<int> addToBaseline(const QString &name, const QString &origin, const QStringList &ids) = 0;
    // False when there was none.
    virtual Result<bool> removeBaseline(const QString &name) = 0;
};

} // namespace Switchyard
