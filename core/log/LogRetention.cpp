// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogRetention.h"
#include "core/log/BodyStore.h"
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace Switchyard {

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;

qint64 scalar(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    q.prepare(sql);
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}
} // namespace

LogRetention::LogRetention(BodyStore &store)
    : m_store(store)
{
}

qint64 LogRetention::usedBytes(QSqlDatabase &db)
{
    return (scalar(db, QStringLiteral("PRAGMA page_count")) - scalar(db, QStringLiteral("PRAGMA freelist_count")))
        * scalar(db, QStringLiteral("PRAGMA page_size"));
}

void LogRetention::dropBodiesBefore(QSqlDatabase &db, qint64 cutoffMs)
{
    if (cutoffMs <= m_bodyCutoffMs)
        return;
    // Only rows past the previous cut: earlier ones have no body left to delete.
    const QString ids = QStringLiteral("(SELECT id FROM requests WHERE started_at >= ? AND started_at < ?)");
    const QVariantList range{m_bodyCutoffMs, cutoffMs};
    db.transaction();
    const QStringList statements{QString(QStringLiteral("DELETE FROM bodies WHERE request_id IN ") + ids),
                                 QString(QStringLiteral("UPDATE attempts SET request_body = NULL, request_recipe = NULL"
                                                        " WHERE request_id IN ") + ids)};
    for (const QString &sql : statements) {
        QSqlQuery q(db);
        q.prepare(sql);
        q.bindValue(0, range.at(0));
        q.bindValue(1, range.at(1));
        q.exec();
    }
    m_store.sweep(cutoffMs);
    db.commit();
    m_bodyCutoffMs = cutoffMs;
}

void LogRetention::dropRowsBefore(QSqlDatabase &db, qint64 cutoffMs)
{
    dropBodiesBefore(db, cutoffMs);
    const QString where = QStringLiteral("(SELECT id FROM requests WHERE started_at < %1)").arg(cutoffMs);
    QSqlQuery q(db);
    db.transaction();
    q.exec(QStringLiteral("DELETE FROM attempts WHERE request_id IN ") + where);
    q.exec(QStringLiteral("DELETE FROM bodies WHERE request_id IN ") + where);
    q.exec(QStringLiteral("DELETE FROM requests WHERE started_at < %1").arg(cutoffMs));
    q.exec(QStringLiteral("DELETE FROM rollup_hour WHERE hour < %1").arg(cutoffMs / 3600000));
    q.exec(QStringLiteral("DELETE FROM evaluation_rollup_hour WHERE hour < %1").arg(cutoffMs / 3600000));
    db.commit();
}

// A cut-off that takes about a tenth of the rows started at or after `fromMs` (by time).
qint64 LogRetention::tenthAfter(QSqlDatabase &db, qint64 fromMs)
{
    const qint64 oldest = scalar(db, QStringLiteral("SELECT MIN(started_at) FROM requests WHERE started_at >= ?"), {fromMs});
    const qint64 newest = scalar(db, QStringLiteral("SELECT MAX(started_at) FROM requests"));
    return oldest + qMax<qint64>((newest - oldest) / 10, 1);
}

void LogRetention::reclaim(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA incremental_vacuum"));
    while (q.next()) {
    }
    q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
}

void LogRetention::apply(QSqlDatabase &db, const LogConfig &config, qint64 nowMs)
{
    dropRowsBefore(db, nowMs - qint64(config.retentionDays) * DayMs);
    dropBodiesBefore(db, nowMs - qint64(config.bodyRetentionDays) * DayMs);
    reclaim(db);
    enforceCap(db, config);
}

void LogRetention::enforceCap(QSqlDatabase &db, const LogConfig &config)
{
    // The WAL lives beside the file: the data leaves a twentieth of the cap (at most the usual
    // 64 MiB) for it, and a checkpoint truncates the WAL back to that, so file and WAL together
    // stay near the cap rather than a WAL's worth over it.
    const qint64 walRoom = qMin<qint64>(64LL * 1024 * 1024, qint64(config.maxDbMib) * 1024 * 1024 / 20);
    if (walRoom != m_walLimit) {
        QSqlQuery pragma(db);
        if (pragma.exec(QStringLiteral("PRAGMA journal_size_limit=%1").arg(walRoom)))
            m_walLimit = walRoom;
    }
    const qint64 cap = qint64(config.maxDbMib) * 1024 * 1024 - walRoom;
    if (usedBytes(db) <= cap)
        return;
    const qint64 newest = scalar(db, QStringLiteral("SELECT MAX(started_at) FROM requests"));
    // Bodies first, a tenth at a time; then whole rows.
    for (int round = 0; round < 20 && usedBytes(db) > cap && m_bodyCutoffMs <= newest; ++round) {
        const qint64 cutoff = tenthAfter(db, m_bodyCutoffMs);
        if (cutoff <= m_bodyCutoffMs)
            break;
        dropBodiesBefore(db, cutoff);
    }
    for (int round = 0; round < 20 && usedBytes(db) > cap; ++round)
        dropRowsBefore(db, tenthAfter(db, 0));
    reclaim(db);
}

} // namespace Switchyard
