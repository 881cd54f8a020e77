// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/SegmentTable.h"
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <sqlite3.h>

namespace Switchyard {

std::optional<QHash<QByteArray, SegmentTable::Row>> SegmentTable::findMany(const QList<QByteArray> &hashes)
{
    QHash<QByteArray, Row> rows;
    for (const QByteArray &hash : hashes) {
        const std::optional<std::optional<Row>> row = find(hash);
        if (!row)
            return std::nullopt;
        if (*row)
            rows.insert(hash, **row);
    }
    return rows;
}

std::optional<QHash<QByteArray, SegmentTable::Row>> SegmentTable::insertMany(const QList<NewSegment> &segments)
{
    QHash<QByteArray, Row> rows;
    for (const NewSegment &s : segments) {
        const std::optional<Row> row = insert(s.hash, s.size, s.encoding, s.usedAtMs, s.data);
        if (!row)
            return std::nullopt;
        rows.insert(s.hash, *row);
    }
    return rows;
}

bool SegmentTable::touchAll(const QMap<qint64, qint64> &touches)
{
    for (auto it = touches.cbegin(); it != touches.cend(); ++it) {
        if (!touch(it.key(), it.value()))
            return false;
    }
    return true;
}

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

QSqlQuery &PostgresSegmentTable::statement(std::optional<QSqlQuery> &slot, const QString &sql)
{
    if (!slot) {
        slot.emplace(QSqlDatabase::database(m_connectionName, false));
        slot->prepare(sql);
    }
    return *slot;
}

bool PostgresSegmentTable::run(QSqlQuery &q, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (q.exec())
        return true;
    m_error = q.lastError().text();
    return false;
}

std::optional<std::optional<SegmentTable::Row>> PostgresSegmentTable::find(const QByteArray &hash)
{
    const std::optional<QHash<QByteArray, Row>> rows = findMany({hash});
    if (!rows)
        return std::nullopt;
    return rows->contains(hash) ? std::optional<Row>(rows->value(hash)) : std::nullopt;
}

std::optional<SegmentTable::Row> PostgresSegmentTable::insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs,
                                                              const QByteArray &data)
{
    const std::optional<QHash<QByteArray, Row>> rows = insertMany({NewSegment{hash, size, encoding, usedAtMs, data}});
    return rows ? std::optional<Row>(rows->value(hash)) : std::nullopt;
}

namespace {
// Statements of at most this many rows: PostgreSQL takes at most 65,535 values one.
constexpr int RowsPerStatement = 2000;

QString placeholders(qsizetype rows, int width)
{
    const QString tuple = width == 1 ? QStringLiteral("?")
                                     : QLatin1Char('(') + QStringList(width, QStringLiteral("?")).join(QLatin1Char(',')) + QLatin1Char(')');
    return QStringList(rows, tuple).join(QLatin1Char(','));
}
} // namespace

std::optional<QHash<QByteArray, SegmentTable::Row>> PostgresSegmentTable::findMany(const QList<QByteArray> &hashes)
{
    QHash<QByteArray, Row> rows;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    for (qsizetype from = 0; from < hashes.size(); from += RowsPerStatement) {
        const qsizetype count = std::min<qsizetype>(RowsPerStatement, hashes.size() - from);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT hash, id, last_used FROM segments WHERE hash IN (%1)").arg(placeholders(count, 1)));
        QVariantList values;
        for (qsizetype i = from; i < from + count; ++i)
            values << hashes.at(i);
        if (!run(q, values))
            return std::nullopt;
        while (q.next())
            rows.insert(q.value(0).toByteArray(), Row{q.value(1).toLongLong(), q.value(2).toLongLong()});
    }
    return rows;
}

std::optional<QHash<QByteArray, SegmentTable::Row>> PostgresSegmentTable::insertMany(const QList<NewSegment> &segments)
{
    QHash<QByteArray, Row> rows;
    QList<QByteArray> theirs; // added by another writer first
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    for (qsizetype from = 0; from < segments.size(); from += RowsPerStatement) {
        const qsizetype count = std::min<qsizetype>(RowsPerStatement, segments.size() - from);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("INSERT INTO segments (hash, size, encoding, last_used, data) VALUES %1"
                                 " ON CONFLICT (hash) DO NOTHING RETURNING hash, id, last_used").arg(placeholders(count, 5)));
        QVariantList values;
        for (qsizetype i = from; i < from + count; ++i) {
            const NewSegment &s = segments.at(i);
            values << s.hash << s.size << s.encoding << s.usedAtMs << s.data;
        }
        if (!run(q, values))
            return std::nullopt;
        while (q.next())
            rows.insert(q.value(0).toByteArray(), Row{q.value(1).toLongLong(), q.value(2).toLongLong()});
        for (qsizetype i = from; i < from + count; ++i) {
            if (!rows.contains(segments.at(i).hash))
                theirs << segments.at(i).hash;
        }
    }
    if (theirs.isEmpty())
        return rows;
    const std::optional<QHash<QByteArray, Row>> found = findMany(theirs);
    if (!found)
        return std::nullopt;
    if (found->size() != theirs.size()) {
        m_error = QStringLiteral("a segment stored by another writer vanished ") + ConflictMark;
        return std::nullopt;
    }
    rows.insert(*found);
    return rows;
}

bool PostgresSegmentTable::touch(qint64 id, qint64 usedAtMs)
{
    return touchAll(QMap<qint64, qint64>{{id, usedAtMs}});
}

bool PostgresSegmentTable::touchAll(const QMap<qint64, qint64> &touches)
{
    if (touches.isEmpty())
        return true;
    QStringList ids, times;
    for (auto it = touches.cbegin(); it != touches.cend(); ++it) {
        ids << QString::number(it.key());
        times << QString::number(it.value());
    }
    // The rows are locked in id order first: two instances touching the same segments never
    // wait on each other in a circle.
    QSqlQuery &q = statement(m_touchAll, QStringLiteral(
        "WITH locked AS (SELECT id FROM segments WHERE id = ANY(CAST(? AS BIGINT[])) ORDER BY id FOR UPDATE)"
        " UPDATE segments s SET last_used = GREATEST(s.last_used, v.t)"
        " FROM locked, unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS v(id, t)"
        " WHERE s.id = v.id AND locked.id = v.id"));
    const QString idArray = QLatin1Char('{') + ids.join(QLatin1Char(',')) + QLatin1Char('}');
    const QString timeArray = QLatin1Char('{') + times.join(QLatin1Char(',')) + QLatin1Char('}');
    if (!run(q, {idArray, idArray, timeArray}))
        return false;
    if (q.numRowsAffected() != touches.size()) {
        m_error = QStringLiteral("%1 of %2 segments were swept by another instance's retention ")
                      .arg(touches.size() - q.numRowsAffected())
                      .arg(touches.size())
            + ConflictMark;
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
