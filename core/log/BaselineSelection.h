// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QStringList>
#include <optional>

namespace Switchyard {

// Which recorded calls a baseline takes when chosen by a filter: the latest `limit` calls of
// an alias, of an agent session, or of a time range (any mix), oldest first.
struct BaselineFilter
{
    QString alias;
    QString session;
    std::optional<qint64> sinceMs;
    std::optional<qint64> untilMs;
    int limit = 100;

    QString describe() const; // "the last 100 calls of alias general", for the baseline's origin
};

// The recorded calls (with bodies) chosen for a baseline, and those that cannot be in one
// (BaselineStore::unusable) with the reason. Runs on the log reader's thread. From a remote
// gateway's log (LogQueries::remote) the chosen records keep no bodies or headers: the
// gateway copies them itself when BaselineStore::add sends their ids.
struct BaselineSelection
{
    struct Skipped
    {
        QString id;
        QString reason;
    };
    QList<CallRecord> records;
    QList<Skipped> skipped;

    static Result<BaselineSelection> byIds(LogQueries &queries, const QStringList &ids);
    static Result<BaselineSelection> byFilter(LogQueries &queries, const BaselineFilter &filter);

private:
    void take(const CallRecord &record, const QString &id);
    bool m_light = false; // keep the chosen records without bodies
};

} // namespace Switchyard
