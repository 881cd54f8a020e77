// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <functional>

namespace Switchyard {

struct SessionFilter
{
    qint64 sinceMs = 0;       // sessions with a call at or after this time
    QString client;
    QString project;
    int limit = 200;
};

// One session as the list shows it: sums over all its calls (side lines included).
struct SessionSummary
{
    QString id;
    QString client;
    QString clientProcess;
    QString project;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    qint64 turns = 0;
    qint64 subagentTurns = 0;
    qint64 promptTokens = 0;     // all of them, cache reads and writes included
    qint64 cachedTokens = 0;     // cache reads
    qint64 cacheWriteTokens = 0; // 5-minute and 1-hour writes
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    double costUsd = 0;
    qint64 unpriced = 0;         // ok calls without a known price
    // Prompt tokens the cache could have served but did not, per model (their price differs).
    struct Missed
    {
        QString provider;
        QString model;
        qint64 tokens = 0;
    };
    QList<Missed> missed;
};

// The sessions' queries over the request log, beside LogQueries (same connection, same
// thread). Bodies are read through LogQueries::request, the log's one body-reading path.
namespace SessionQueries {
// Most recently active first.
Result<QList<SessionSummary>> list(LogQueries &queries, const SessionFilter &filter);
// The latest `maxCalls` calls of one session, oldest first, each with its bodies, handed to
// `visit` one at a time and let go (the turns of one agent session can hold gigabytes of
// bodies). Answers how many calls the session has in all: 0 when there is no such session.
Result<qint64> forEachCall(LogQueries &queries, const QString &sessionId, int maxCalls,
                           const std::function<void(const CallRecord &)> &visit);
} // namespace SessionQueries

} // namespace Switchyard
