// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BaselineStore.h"
#include "core/log/BodyCodec.h"
#include "core/log/LogCodec.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogRemote.h"
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace Switchyard {

namespace {

QJsonValue optional(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

std::optional<qint64> optionalInt(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
}

// The fields of a record an evaluation compares with (bodies and headers are stored apart).
QByteArray recordToJson(const CallRecord &r)
{
    QJsonObject o{{QStringLiteral("started_at"), r.startedAt.toMSecsSinceEpoch()},
                  {QStringLiteral("duration_ms"), r.durationMs},
                  {QStringLiteral("ttft_ms"), optional(r.ttftMs)},
                  {QStringLiteral("endpoint"), r.endpoint},
                  {QStringLiteral("requested_model"), r.requestedModel},
                  {QStringLiteral("alias"), r.alias},
                  {QStringLiteral("provider"), r.provider},
                  {QStringLiteral("model"), r.model},
                  {QStringLiteral("status"), r.status},
                  {QStringLiteral("ok"), r.ok},
                  {QStringLiteral("error_class"), errorClassName(r.errorClass)},
                  {QStringLiteral("prompt_tokens"), optional(r.usage.promptTokens)},
                  {QStringLiteral("completion_tokens"), optional(r.usage.completionTokens)},
                  {QStringLiteral("cached_tokens"), optional(r.usage.cachedPromptTokens)},
                  {QStringLiteral("cost_usd"), r.costUsd ? QJsonValue(*r.costUsd) : QJsonValue()},
                  {QStringLiteral("stream"), r.stream},
                  {QStringLiteral("client"), r.client},
                  {QStringLiteral("request_headers"), QString::fromUtf8(LogCodec::headersToJson(r.requestHeaders))}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

CallRecord recordFromJson(const QString &id, const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    CallRecord r;
    r.id = id;
    r.startedAt = QDateTime::fromMSecsSinceEpoch(o.value(QLatin1String("started_at")).toInteger(), Qt::UTC);
    r.durationMs = o.value(QLatin1String("duration_ms")).toInteger();
    r.ttftMs = optionalInt(o.value(QLatin1String("ttft_ms")));
    r.endpoint = o.value(QLatin1String("endpoint")).toString();
    r.requestedModel = o.value(QLatin1String("requested_model")).toString();
    r.alias = o.value(QLatin1String("alias")).toString();
    r.provider = o.value(QLatin1String("provider")).toString();
    r.model = o.value(QLatin1String("model")).toString();
    r.status = o.value(QLatin1String("status")).toInt();
    r.ok = o.value(QLatin1String("ok")).toBool();
    r.errorClass = errorClassFromString(o.value(QLatin1String("error_class")).toString());
    r.usage.promptTokens = optionalInt(o.value(QLatin1String("prompt_tokens")));
    r.usage.completionTokens = optionalInt(o.value(QLatin1String("completion_tokens")));
    r.usage.cachedPromptTokens = optionalInt(o.value(QLatin1String("cached_tokens")));
    const QJsonValue cost = o.value(QLatin1String("cost_usd"));
    r.costUsd = cost.isDouble() ? std::optional<double>(cost.toDouble()) : std::nullopt;
    r.stream = o.value(QLatin1String("stream")).toBool();
    r.client = o.value(QLatin1String("client")).toString();
    r.requestHeaders = LogCodec::headersFromJson(o.value(QLatin1String("request_headers")).toString().toUtf8());
    return r;
}

// A body as stored: zstd when that is smaller (the size column tells which), else as is.
QByteArray packed(const QByteArray &body)
{
    const auto [encoding, bytes] = BodyCodec::compress(body);
    return encoding == BodyCodec::Encoding::Zstd ? bytes : body;
}

QByteArray unpacked(const QByteArray &stored, qsizetype size)
{
    if (stored.size() == size)
        return stored;
    return BodyCodec::decompress(BodyCodec::Encoding::Zstd, stored, size).value_or(QByteArray());
}

Error queryError(const QSqlQuery &q)
{
    return Error{QStringLiteral("the request log: ") + q.lastError().text()};
}

} // namespace

BaselineStore::BaselineStore(const QString &path, const QString &connectionName)
    : m_path(path)
    , m_connectionName(connectionName)
{
}

BaselineStore::BaselineStore(std::shared_ptr<LogRemote> remote)
    : m_remote(std::move(remote))
{
    Q_ASSERT(m_remote);
}

BaselineStore::~BaselineStore()
{
    if (m_open)
        LogDatabase::close(m_connectionName);
}

bool BaselineStore::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._ -]{1,64}$"));
    return pattern.match(name).hasMatch() && name.trimmed() == name;
}

QString BaselineStore::unusable(const CallRecord &r)
{
    if (r.id.isEmpty())
        return QStringLiteral("not in the log");
    if (!r.evaluationId.isEmpty())
        return QStringLiteral("a call of an evaluation");
    if (r.endpoint != QLatin1String("/v1/chat/completions") && r.endpoint != QLatin1String("/v1/messages")
        && r.endpoint != QLatin1String("/v1/responses"))
        return QStringLiteral("a call to %1 has no answer to compare").arg(r.endpoint);
    if (r.bodiesShed || r.requestBody.isEmpty())
        return QStringLiteral("its body was not stored");
    if (r.requestBodyTruncated)
        return QStringLiteral("its body was cut at the log's size cap");
    return QString();
}

Result<bool> BaselineStore::ensureOpen()
{
    if (m_open && LogDatabase::stillConnected(m_connectionName))
        return true;
    if (m_open) { // a PostgreSQL server that restarted: connect again
        LogDatabase::close(m_connectionName);
        m_open = false;
    }
    if (m_remote) // what a remote gateway's admin API does not offer
        return Error{QStringLiteral("not available for a request log read through a remote gateway")};
    const Result<bool> opened = LogDatabase::open(m_path, m_connectionName, false);
    if (!opened) {
        LogDatabase::close(m_connectionName);
        return opened;
    }
    m_open = true;
    return true;
}

Result<QList<BaselineInfo>> BaselineStore::list()
{
    if (m_remote)
        return m_remote->baselines();
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT name, created_at, origin FROM baselines ORDER BY created_at DESC, name")))
        return queryError(q);
    QList<BaselineInfo> out;
    while (q.next())
        out.append(BaselineInfo{q.value(0).toString(), QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC), q.value(2).toString()});
    QSqlQuery r(QSqlDatabase::database(m_connectionName));
    r.setForwardOnly(true);
    r.prepare(QStringLiteral("SELECT record FROM baseline_requests WHERE baseline = ?"));
    for (BaselineInfo &info : out) {
        r.bindValue(0, info.name);
        if (!r.exec())
            return queryError(r);
        while (r.next()) {
            const CallRecord record = recordFromJson(QString(), r.value(0).toByteArray());
            ++info.requests;
            info.promptTokens += record.usage.promptTokens.value_or(0);
            info.completionTokens += record.usage.completionTokens.value_or(0);
            info.costUsd += record.costUsd.value_or(0);
        }
    }
    return out;
}

Result<std::optional<BaselineInfo>> BaselineStore::info(const QString &name)
{
    const Result<QList<BaselineInfo>> all = list();
    if (!all)
        return all.error();
    for (const BaselineInfo &info : all.value()) {
        if (info.name == name)
            return std::optional<BaselineInfo>(info);
    }
    return std::optional<BaselineInfo>();
}

Result<QList<CallRecord>> BaselineStore::requests(const QString &name)
{
    QList<CallRecord> out;
    const Result<int> visited = forEach(name, [&out](int, const CallRecord &r) { out.append(r); });
    if (!visited)
        return visited.error();
    return out;
}

Result<int> BaselineStore::forEach(const QString &name, const std::function<void(int seq, const CallRecord &)> &visit)
{
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT request_id, record, request_body, request_size, response_body, response_size, seq"
                             " FROM baseline_requests WHERE baseline = ? ORDER BY seq"));
    q.bindValue(0, name);
    if (!q.exec())
        return queryError(q);
    int count = 0;
    while (q.next()) {
        CallRecord r = recordFromJson(q.value(0).toString(), q.value(1).toByteArray());
        r.requestBody = unpacked(q.value(2).toByteArray(), q.value(3).toLongLong());
        r.responseBody = unpacked(q.value(4).toByteArray(), q.value(5).toLongLong());
        visit(q.value(6).toInt(), r);
        ++count;
    }
    return count;
}

Result<std::optional<QByteArray>> BaselineStore::requestBody(const QString &name, int seq)
{
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(QStringLiteral("SELECT request_body, request_size FROM baseline_requests WHERE baseline = ? AND seq = ?"));
    q.bindValue(0, name);
    q.bindValue(1, seq);
    if (!q.exec())
        return queryError(q);
    if (!q.next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(unpacked(q.value(0).toByteArray(), q.value(1).toLongLong()));
}

Result<int> BaselineStore::add(const QString &name, const QString &origin, const QList<CallRecord> &records)
{
    if (m_remote) {
        QStringList ids;
        for (const CallRecord &r : records)
            ids << r.id;
        return ids.isEmpty() ? Result<int>(0) : m_remote->addToBaseline(name, origin, ids);
    }
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    if (!db.transaction())
        return Error{QStringLiteral("the request log: ") + db.lastError().text()};
    auto failed = [&db](const QSqlQuery &q) {
        db.rollback();
        return queryError(q);
    };
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO baselines (name, created_at, origin) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"));
    q.bindValue(0, name);
    q.bindValue(1, QDateTime::currentMSecsSinceEpoch());
    q.bindValue(2, origin);
    if (!q.exec())
        return failed(q);
    QSet<QString> present;
    qint64 nextSeq = 0;
    q.prepare(QStringLiteral("SELECT request_id, seq FROM baseline_requests WHERE baseline = ?"));
    q.bindValue(0, name);
    if (!q.exec())
        return failed(q);
    while (q.next()) {
        present.insert(q.value(0).toString());
        nextSeq = qMax(nextSeq, q.value(1).toLongLong() + 1);
    }
    QList<CallRecord> fresh;
    for (const CallRecord &r : records) {
        if (!present.contains(r.id)) {
            present.insert(r.id);
            fresh.append(r);
        }
    }
    if (present.size() > MaxRequests) {
        db.rollback();
        return Error{QStringLiteral("a baseline holds at most %1 requests (%2 has %3, adding %4)")
                         .arg(MaxRequests).arg(name).arg(present.size() - fresh.size()).arg(fresh.size())};
    }
    q.prepare(QStringLiteral("INSERT INTO baseline_requests (baseline, seq, request_id, record, request_body, request_size,"
                             " response_body, response_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const CallRecord &r : std::as_const(fresh)) {
        q.bindValue(0, name);
        q.bindValue(1, nextSeq++);
        q.bindValue(2, r.id);
        q.bindValue(3, QString::fromUtf8(recordToJson(r)));
        q.bindValue(4, packed(r.requestBody));
        q.bindValue(5, r.requestBody.size());
        q.bindValue(6, packed(r.responseBody));
        q.bindValue(7, r.responseBody.size());
        if (!q.exec())
            return failed(q);
    }
    if (!db.commit())
        return Error{QStringLiteral("the request log: ") + db.lastError().text()};
    return int(fresh.size());
}

Result<bool> BaselineStore::remove(const QString &name)
{
    if (m_remote)
        return m_remote->removeBaseline(name);
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM baseline_requests WHERE baseline = ?"));
    q.bindValue(0, name);
    if (!q.exec()) {
        db.rollback();
        return queryError(q);
    }
    q.prepare(QStringLiteral("DELETE FROM baselines WHERE name = ?"));
    q.bindValue(0, name);
    if (!q.exec()) {
        db.rollback();
        return queryError(q);
    }
    const bool existed = q.numRowsAffected() > 0;
    db.commit();
    return existed;
}

Result<bool> BaselineStore::saveEvaluation(const QString &id, const QString &baseline, qint64 createdMs, const QByteArray &reportJson)
{
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(QStringLiteral("INSERT INTO evaluations (id, created_at, baseline, report) VALUES (?, ?, ?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, baseline = excluded.baseline, report = excluded.report"));
    q.bindValue(0, id);
    q.bindValue(1, createdMs);
    q.bindValue(2, baseline);
    q.bindValue(3, QString::fromUtf8(reportJson));
    if (!q.exec())
        return queryError(q);
    return true;
}

Result<QByteArray> BaselineStore::evaluation(const QString &id)
{
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(QStringLiteral("SELECT report FROM evaluations WHERE id = ?"));
    q.bindValue(0, id);
    if (!q.exec())
        return queryError(q);
    return q.next() ? q.value(0).toString().toUtf8() : QByteArray();
}

Result<QList<QByteArray>> BaselineStore::evaluations(int limit)
{
    if (const Result<bool> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT report FROM evaluations ORDER BY created_at DESC, id DESC LIMIT ?"));
    q.bindValue(0, limit);
    if (!q.exec())
        return queryError(q);
    QList<QByteArray> out;
    while (q.next())
        out.append(q.value(0).toString().toUtf8());
    return out;
}

} // namespace Switchyard
