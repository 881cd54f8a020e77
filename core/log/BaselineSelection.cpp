// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BaselineSelection.h"
#include "core/log/BaselineStore.h"
#include "core/log/SessionQueries.h"

namespace Switchyard {

QString BaselineFilter::describe() const
{
    QStringList parts;
    if (!alias.isEmpty())
        parts << QStringLiteral("alias %1").arg(alias);
    if (!session.isEmpty())
        parts << QStringLiteral("session %1").arg(session);
    auto time = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate); };
    if (sinceMs)
        parts << QStringLiteral("since %1").arg(time(*sinceMs));
    if (untilMs)
        parts << QStringLiteral("until %1").arg(time(*untilMs));
    return QStringLiteral("the last %1 calls%2").arg(limit).arg(parts.isEmpty() ? QString() : QStringLiteral(" of ") + parts.join(QStringLiteral(", ")));
}

void BaselineSelection::take(const CallRecord &record, const QString &id)
{
    const QString reason = BaselineStore::unusable(record);
    if (!reason.isEmpty()) {
        skipped.append({id, reason});
    } else if (m_light) {
        CallRecord light = record;
        light.requestBody.clear();
        light.responseBody.clear();
        light.requestHeaders = {};
        light.responseHeaders = {};
        for (Attempt &a : light.attempts)
            a.requestBody.clear();
        records.append(light);
    } else {
        records.append(record);
    }
}

Result<BaselineSelection> BaselineSelection::byIds(LogQueries &queries, const QStringList &ids)
{
    BaselineSelection selection;
    selection.m_light = queries.remote() != nullptr;
    for (const QString &id : ids) {
        const Result<CallRecord> record = queries.request(id);
        if (!record)
            return record.error();
        selection.take(record.value(), id);
    }
    return selection;
}

Result<BaselineSelection> BaselineSelection::byFilter(LogQueries &queries, const BaselineFilter &filter)
{
    BaselineSelection selection;
    selection.m_light = queries.remote() != nullptr;
    if (!filter.session.isEmpty()) {
        const Result<qint64> total = SessionQueries::forEachCall(queries, filter.session, filter.limit, [&](const CallRecord &r) {
            const qint64 at = r.startedAt.toMSecsSinceEpoch();
            if ((filter.alias.isEmpty() || r.alias == filter.alias) && (!filter.sinceMs || at >= *filter.sinceMs)
                && (!filter.untilMs || at < *filter.untilMs))
                selection.take(r, r.id);
        });
        if (!total)
            return total.error();
        return selection;
    }
    RequestFilter f;
    f.alias = filter.alias;
    f.sinceMs = filter.sinceMs;
    f.untilMs = filter.untilMs;
    f.limit = filter.limit;
    f.evaluations = false;
    const Result<QList<CallRecord>> latest = queries.requests(f); // newest first, without bodies
    if (!latest)
        return latest.error();
    for (auto it = latest.value().crbegin(); it != latest.value().crend(); ++it) {
        const Result<CallRecord> record = queries.request(it->id);
        if (!record)
            return record.error();
        selection.take(record.value(), it->id);
    }
    return selection;
}

} // namespace Switchyard
