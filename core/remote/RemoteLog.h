// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/AdminClient.h"
#include "core/log/LogRemote.h"

namespace Switchyard {

// The request log of a running Switchyard, read (and added to) through its admin API:
// /api/requests, /api/stats, /api/sessions and /api/baselines. The LogRemote of a window
// attached to a remote gateway, made on the log reader's thread (LogReader's second
// constructor). Each call blocks, at most AdminClient::TimeoutMs per HTTP request, so it never
// runs on the GUI thread. A failure is an Error with the gateway's address and its own message.
class RemoteLog final : public LogRemote
{
public:
    static constexpr int PageSize = 1000; // the most calls /api/requests lists at once

    explicit RemoteLog(AdminClient::Target target);

    Result<QList<CallRecord>> requests(const RequestFilter &filter) override;
    Result<qint64> count(const RequestFilter &filter) override;
    Result<CallRecord> request(const QString &id) override;
    Result<QList<StatsRow>> stats(const StatsQuery &query) override;
    Result<QList<SessionSummary>> sessions(const SessionFilter &filter) override;
    Result<qint64> forEachSessionCall(const QString &sessionId, int maxCalls,
                                      const std::function<void(const CallRecord &)> &visit) override;
    Result<QList<BaselineInfo>> baselines() override;
    Result<int> addToBaseline(const QString &name, const QString &origin, const QStringList &ids) override;
    Result<bool> removeBaseline(const QString &name) override;

private:
    // A 2xx answer's JSON object; a 404 "not_found" answer is nullopt when `missingIsEmpty`.
    Result<std::optional<QJsonObject>> call(const QByteArray &method, const QString &path, const QString &query,
                                            const QByteArray &body = QByteArray(), bool missingIsEmpty = false);
    Result<QJsonObject> get(const QString &path, const QString &query);
    // The calls `filter` chooses, a page of /api/requests at a time; with `total`, also how
    // many match in all (asked with the first page).
    Result<QList<CallRecord>> list(const RequestFilter &filter, qint64 *total);

    AdminClient m_client;
    QString m_address;
};

} // namespace Switchyard
