// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LatencyHistogram.h"
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <memory>
#include <optional>

namespace Switchyard {

class LogRemote;

struct RequestFilter
{
    int limit = 50;
    int offset = 0;
    std::optional<bool> ok;  // status=ok|error
    QString alias;
    QString provider;
    QString model;
    QString text;            // found in the request or response body
    bool evaluations = true; // false: calls made by evaluations are left out
    QString evaluationId;    // only the calls of this evaluation
    QString sessionId;       // only the calls of this agent session
    std::optional<qint64> sinceMs;
    std::optional<qint64> untilMs;
};

struct StatsQuery
{
    qint64 sinceMs = 0;
    qint64 untilMs = 0;
    bool byDay = false;      // buckets of a UTC day, else of an hour
    QString by = QStringLiteral("alias"); // alias | provider | model | client | project
    bool evaluations = false; // true: the calls of evaluations are counted too
};

struct StatsRow
{
    qint64 bucketStartMs = 0;
    QString group;
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0;
    qint64 unpriced = 0;
    std::optional<double> p50Ms;
    std::optional<double> p95Ms;
    LatencyHistogram::Counts latency{}; // the durations behind p50/p95, so groups merge exactly

    // Adds the counts and costs of `other` (percentiles do not add up and are left alone;
    // the latency histograms do).
    void addCounts(const StatsRow &other)
    {
        for (std::size_t i = 0; i < latency.size(); ++i)
            latency[i] += other.latency[i];
        requests += other.requests;
        errors += other.errors;
        promptTokens += other.promptTokens;
        completionTokens += other.completionTokens;
        cachedTokens += other.cachedTokens;
        costUsd += other.costUsd;
        unpriced += other.unpriced;
    }
};

// Read queries over the request log, on one thread's read-only connection. Used through
// LogReader by the admin API and the window, and directly by tests. Given a LogRemote, it
// asks that instead (a window attached to a remote gateway) and opens no file.
class LogQueries final
{
public:
    LogQueries(const QString &path, const QString &connectionName);
    explicit LogQueries(std::shared_ptr<LogRemote> remote);
    ~LogQueries();
    LogQueries(const LogQueries &) = delete;
    LogQueries &operator=(const LogQueries &) = delete;

    // Newest first, with attempts, without bodies.
    Result<QList<CallRecord>> requests(const RequestFilter &filter);
    Result<qint64> count(const RequestFilter &filter);
    // One request with attempts, bodies and headers; an empty id when there is none.
    Result<CallRecord> request(const QString &id);
    Result<QList<StatsRow>> stats(const StatsQuery &query);

    // For queries kept in their own files (SessionQueries): the read connection, opened.
    Result<bool> ensureOpen();
    QString connectionName() const { return m_connectionName; }
    // The log asked instead of a file; null for a file.
    const std::shared_ptr<LogRemote> &remote() const { return m_remote; }

    // Where a text searched for is: the segments holding it (for body_refers() on SQLite)
    // and, on PostgreSQL, the requests whose bodies hold it.
    struct BodyMatch
    {
        QByteArray segments;
        std::optional<QStringList> requestIds;
    };

private:
    Result<BodyMatch> bodiesHolding(const QString &text);
    std::shared_ptr<LogRemote> m_remote;
    QString m_path;
    QString m_connectionName;
    bool m_open = false;
};

} // namespace Switchyard
