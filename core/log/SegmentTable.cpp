// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/SegmentTable.h"
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <sqlite3.h>

namespace Switchyard {

bool SqliteSegmentTable::prepare(sqlite3 *db)
{
    m_db = db;
    const bool ok = m_find.prepare(db, QStringLiteral("SELECT id, last_used FROM segments WHERE hash = ?"))
        && m_insert.prepare(db, QStringLiteral("INSERT INTO segments (hash, size, encoding, last_used, data) VALUES (?,?,?,?,?)"))
        && m_touch.prepare(db, QStringLiteral("UPDATE segments SET last_used = max(last_used, ?) WHERE id = ?"))
        && m_sweep.prepare(db, QStringLiteral("DELETE FROM segments WHERE last_used < ?"));
    if (!ok)
        m_error = m_find.error() + m_insert.error() + m_touch.error() + m_sweep.error();
    return ok;
}

std::optional<std::optional<SegmentTable::Row>> SqliteSegmentTable::find(const QByteArray &hash)
{
    m_find.bind(0, hash);
    std::optional<Row> row;
    if (m_find.next())
        row = Row{m_find.columnInt(0), m_find.columnInt(1)};
    m_find.reset();
    return row;
}

std::optional<SegmentTable::Row> SqliteSegmentTable::insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs,
                                                            const QByteArray &data)
{
    m_insert.bindAll(hash, size, qint64(encoding), usedAtMs, data);
    if (!m_insert.exec()) {
        m_error = m_insert.error();
        return std::nullopt;
    }
    return Row{sqlite3_last_insert_rowid(m_db), usedAtMs};
}

bool SqliteSegmentTable::touch(qint64 id, qint64 usedAtMs)
{
    m_touch.bindAll(usedAtMs, id);
    if (!m_touch.exec()) {
        m_error = m_touch.error();
        return false;
    }
    return true;
}

std::optional<qint64> SqliteSegmentTable::sweep(qint64 beforeMs)
{
    m_sweep.bind(0, beforeMs);
    if (!m_sweep.exec()) {
        m_error = m_sweep.error();
        return std::nullopt;
    }
    return sqlite3_changes64(m_db);
}

PostgresSegmentTable::PostgresSegmentTable(const QString &connectionName)
    : m_connectionName(connectionName)
{
}

std::optional<std::optional<SegmentTable::Row>> PostgresSegmentTable::find(const QByteArray &hash)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT id, last_used FROM segments WHERE hash = ?"));
    q.bindValue(0, hash);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    std::optional<Row> row;
    if (q.next())
        row = Row{q.value(0).toLongLong(), q.value(1).toLongLong()};
    return row;
}

std::optional<SegmentTable::Row> PostgresSegmentTable::insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs,
                                                              const QByteArray &data)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO segments (hash, size, encoding, last_used, data) VALUES (?,?,?,?,?)"
                             " ON CONFLICT (hash) DO NOTHING RETURNING id"));
    q.bindValue(0, hash);
    q.bindValue(1, size);
    q.bindValue(2, encoding);
    q.bindValue(3, usedAtMs);
    q.bindValue(4, data);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    if (q.next())
        return Row{q.value(0).toLongLong(), usedAtMs};
    // Another instance stored it since find(): use theirs.
    const std::optional<std::optional<Row>> theirs = find(hash);
    if (!theirs)
        return std::nullopt;
    if (!*theirs) {
        m_error = QStringLiteral("a segment stored by another writer vanished ") + ConflictMark;
        return std::nullopt;
    }
    return **theirs;
}

bool PostgresSegmentTable::touch(qint64 id, qint64 usedAtMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("UPDATE segments SET last_used = GREATEST(last_used, ?) WHERE id = ?"));
    q.bindValue(0, usedAtMs);
    q.bindValue(1, id);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    if (q.numRowsAffected() != 1) {
        m_error = QStringLiteral("segment %1 was swept by another instance's retention ").arg(id) + ConflictMark;
        return false;
    }
    return true;
}

std::optional<qint64> PostgresSegmentTable::sweep(qint64 beforeMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM segments WHERE last_used < ?"));
    q.bindValue(0, beforeMs);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    return q.numRowsAffected();
}

} // namespace Switchyard
