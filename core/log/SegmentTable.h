// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/SqliteStatement.h"
#include <QHash>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <optional>

namespace Switchyard {

// Where BodyStore keeps its segments: the `segments` table of the writer's SQLite file, or of
// a PostgreSQL database other instances write to as well. Use on the writer's thread.
class SegmentTable
{
public:
    struct Row
    {
        qint64 id = 0;
        qint64 lastUsed = 0;
    };
    virtual ~SegmentTable() = default;

    // In the error of a conflict with another writer (a segment swept meanwhile): writing the
    // batch again passes.
    static constexpr QLatin1String ConflictMark{"(conflict with another writer)"};

    struct NewSegment
    {
        QByteArray hash;
        qint64 size = 0;
        int encoding = 0;
        qint64 usedAtMs = 0;
        QByteArray data;
    };

    // The segment with this hash (nullopt inside when there is none); nullopt on an error.
    virtual std::optional<std::optional<Row>> find(const QByteArray &hash) = 0;
    // The segments of these hashes that exist, by hash; the default finds one by one.
    virtual std::optional<QHash<QByteArray, Row>> findMany(const QList<QByteArray> &hashes);
    // Adds these (distinct) segments, answering each one's row (another writer's where it added
    // it first); the default inserts one by one.
    virtual std::optional<QHash<QByteArray, Row>> insertMany(const QList<NewSegment> &segments);
    // Adds a segment; where another writer added it first, answers that one.
    virtual std::optional<Row> insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs, const QByteArray &data) = 0;
    // Moves last_used up to `usedAtMs`; false on an error, or when the segment is gone.
    virtual bool touch(qint64 id, qint64 usedAtMs) = 0;
    // The same for many (id → used at), in the order of their ids; the default touches one by one.
    virtual bool touchAll(const QMap<qint64, qint64> &touches);
    // Deletes the segments last used before `beforeMs`; how many, or nullopt on an error.
    virtual std::optional<qint64> sweep(qint64 beforeMs) = 0;
    virtual QString error() const = 0;
};

// On the SQLite handle of the writer's connection, with statements prepared once.
class SqliteSegmentTable final : public SegmentTable
{
public:
    bool prepare(sqlite3 *db);
    std::optional<std::optional<Row>> find(const QByteArray &hash) override;
    std::optional<Row> insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs, const QByteArray &data) override;
    bool touch(qint64 id, qint64 usedAtMs) override;
    std::optional<qint64> sweep(qint64 beforeMs) override;
    QString error() const override { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    SqliteStatement m_find;
    SqliteStatement m_insert;
    SqliteStatement m_touch;
    SqliteStatement m_sweep;
    QString m_error;
};

// On a PostgreSQL connection shared with other instances: an insert racing another writer's
// answers the winner's row, and a touch that finds its segment swept by another instance's
// retention says so, so the batch is written again with the segment stored anew.
class PostgresSegmentTable final : public SegmentTable
{
public:
    explicit PostgresSegmentTable(const QString &connectionName);
    // One segment: as the bulk calls below do for many.
    std::optional<std::optional<Row>> find(const QByteArray &hash) override;
    std::optional<Row> insert(const QByteArray &hash, qint64 size, int encoding, qint64 usedAtMs, const QByteArray &data) override;
    // A batch's segments in a statement or two instead of a round trip each.
    std::optional<QHash<QByteArray, Row>> findMany(const QList<QByteArray> &hashes) override;
    std::optional<QHash<QByteArray, Row>> insertMany(const QList<NewSegment> &segments) override;
    bool touch(qint64 id, qint64 usedAtMs) override;
    // In one statement: an agent's turn can touch a hundred segments, a round trip each otherwise.
    bool touchAll(const QMap<qint64, qint64> &touches) override;
    std::optional<qint64> sweep(qint64 beforeMs) override;
    QString error() const override { return m_error; }

private:
    // Prepared on first use and kept: a statement prepared per call costs two more round trips.
    QSqlQuery &statement(std::optional<QSqlQuery> &slot, const QString &sql);
    bool run(QSqlQuery &q, const QVariantList &values);

    QString m_connectionName;
    QString m_error;
    std::optional<QSqlQuery> m_touchAll;
};

} // namespace Switchyard
