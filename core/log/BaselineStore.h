// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <functional>
#include <memory>
#include <optional>

namespace Switchyard {

class LogRemote;

// A baseline as lists show it.
struct BaselineInfo
{
    QString name;
    QDateTime createdAt;
    QString origin;          // how its requests were chosen, for a person
    int requests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double costUsd = 0;
};

// Baselines (named sets of recorded requests) and the reports of finished evaluations, in the
// request log. A baseline keeps its own copy of each request (the record and both bodies,
// compressed), so retention and the size cap, which drop old rows and bodies, never empty it.
// Runs on one thread's read-write connection; the log writer's transactions are short, so
// its writes wait at most a moment for the lock. Given a LogRemote (a window attached to a
// remote gateway), it lists, adds and removes there, taking the records' ids only; the rest
// answers an error.
class BaselineStore final
{
public:
    static constexpr int MaxRequests = 1000;

    BaselineStore(const QString &path, const QString &connectionName);
    explicit BaselineStore(std::shared_ptr<LogRemote> remote);
    ~BaselineStore();
    BaselineStore(const BaselineStore &) = delete;
    BaselineStore &operator=(const BaselineStore &) = delete;

    // Names: 1 to 64 characters of letters, digits, space, '.', '_' and '-'.
    static bool isValidName(const QString &name);
    // Why `record` cannot go into a baseline (not found, body not stored or cut, an endpoint
    // without an answer to compare); empty when it can.
    static QString unusable(const CallRecord &record);

    Result<QList<BaselineInfo>> list();
    // nullopt when there is no baseline of that name.
    Result<std::optional<BaselineInfo>> info(const QString &name);
    // The recorded requests with their bodies and request headers, in the baseline's order.
    Result<QList<CallRecord>> requests(const QString &name);
    // The same one at a time, so a caller keeps what it needs of each and lets the bodies go;
    // `seq` names the request for requestBody(). Answers how many there were.
    Result<int> forEach(const QString &name, const std::function<void(int seq, const CallRecord &)> &visit);
    // One request's body; nullopt when the baseline has no such request (any more).
    Result<std::optional<QByteArray>> requestBody(const QString &name, int seq);
    // Appends `records` (each usable) to `name`, creating it with `origin` when new; a request
    // already in it is not added twice. Returns how many were added. Refused past MaxRequests.
    Result<int> add(const QString &name, const QString &origin, const QList<CallRecord> &records);
    // False when there was none.
    Result<bool> remove(const QString &name);

    Result<bool> saveEvaluation(const QString &id, const QString &baseline, qint64 createdMs, const QByteArray &reportJson);
    // The stored report; empty when there is none.
    Result<QByteArray> evaluation(const QString &id);
    // The stored reports, newest first, at most `limit`.
    Result<QList<QByteArray>> evaluations(int limit);

private:
    Result<bool> ensureOpen();

    std::shared_ptr<LogRemote> m_remote;
    QString m_path;
    QString m_connectionName;
    bool m_open = false;
};

} // namespace Switchyard
