// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/PostgresRetention.h"
#include "core/log/BodyStore.h"
#include "core/log/PostgresSchema.h"
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Switchyard {

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;
} // namespace

void PostgresRetention::apply(const QString &connectionName, const LogConfig &config, qint64 nowMs, BodyStore &bodyStore)
{
    QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    QSqlQuery q(db);
    // One instance at a time: the others find the lock taken and leave it to that one.
    if (!q.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)").arg(PostgresSchema::RetentionLockKey)) || !q.next()
        || !q.value(0).toBool())
        return;
    const qint64 rowCutoff = nowMs - qint64(config.retentionDays) * DayMs;
    const qint64 bodyCutoff = std::max(rowCutoff, nowMs - qint64(config.bodyRetentionDays) * DayMs);
    const QString old = QStringLiteral("(SELECT id FROM requests WHERE started_at < %1)");
    const QStringList bodySteps{
        QStringLiteral("DELETE FROM bodies WHERE request_id IN ") + old.arg(bodyCutoff),
        QStringLiteral("UPDATE attempts SET request_body = NULL, request_recipe = NULL WHERE request_recipe IS NOT NULL"
                       " AND request_id IN ") + old.arg(bodyCutoff),
    };
    const QStringList rowSteps{
        QStringLiteral("DELETE FROM attempts WHERE request_id IN ") + old.arg(rowCutoff),
        QStringLiteral("DELETE FROM requests WHERE started_at < %1").arg(rowCutoff),
        QStringLiteral("DELETE FROM rollup_hour WHERE hour < %1").arg(rowCutoff / 3600000),
        QStringLiteral("DELETE FROM evaluation_rollup_hour WHERE hour < %1").arg(rowCutoff / 3600000),
    };
    for (const QStringList &steps : {bodySteps, rowSteps}) {
        db.transaction();
        bool ok = true;
        for (const QString &sql : steps)
            ok = ok && q.exec(sql);
        ok ? db.commit() : db.rollback();
        if (!ok)
            qWarning("switchyard: %s: retention: %s", qPrintable(db.hostName() + QLatin1Char('/') + db.databaseName()), qPrintable(q.lastError().text()));
    }
    // In a statement of its own: a writer's touch either came first (the segment stays) or
    // finds it gone and writes its batch again (PostgresSegmentTable).
    bodyStore.sweep(bodyCutoff);
    q.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(PostgresSchema::RetentionLockKey));
}

} // namespace Switchyard
