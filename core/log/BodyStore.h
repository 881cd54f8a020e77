// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/SegmentTable.h"
#include <QHash>
#include <QMap>
#include <memory>
#include <optional>

namespace Switchyard {

// The writer's side of content-addressed bodies: cuts a body into pieces (BodySegmenter),
// stores each shared piece not stored yet once, zstd-compressed, keyed by its SHA-256, and
// returns the body's recipe (BodyRecipe) for its row. Each segment keeps `last_used`, the
// newest start time of a body that refers to it (to within TouchSlackMs); since bodies are
// only ever deleted oldest first, a segment last used before the oldest kept body is garbage.
// Use on the writer's thread, inside its transaction (on PostgreSQL new segments are committed
// as they are stored, before the rows that use them: see PostgresLogStore).
class BodyStore final
{
public:
    static constexpr qint64 TouchSlackMs = 5000;
    static constexpr int MaxCachedSegments = 200000;

    struct Totals
    {
        qint64 rawBytes = 0;      // bodies given to store()
        qint64 newBytes = 0;      // of those, in segments not stored before (uncompressed)
        qint64 storedBytes = 0;   // what the new segments and the recipes took
        qint64 newSegments = 0;
    };

    // On the writer's SQLite connection.
    bool prepare(sqlite3 *db);
    // On another table (PostgreSQL).
    void use(std::unique_ptr<SegmentTable> table);
    QString error() const { return m_error; }

    struct Body
    {
        QByteArray bytes;
        qint64 usedAtMs = 0;
    };
    // The recipe of `body` (a null array for an empty body), or nullopt on a database error.
    std::optional<QByteArray> store(const QByteArray &body, qint64 usedAtMs);
    // The recipes of many bodies, in their order: the segments not known here are looked up,
    // and the missing ones added, in bulk (SegmentTable::findMany, insertMany), in hash order.
    std::optional<QList<QByteArray>> storeAll(const QList<Body> &bodies);
    // Writes the batch's `last_used` updates, one per segment in the order of their ids (call
    // before committing). False when one failed, or found its segment gone.
    bool writeTouches();
    // Deletes the segments no body started at or after `cutoffMs` can refer to.
    std::optional<qint64> sweep(qint64 cutoffMs);
    // After a rollback: what the cache says may not be in the file.
    void forgetCache()
    {
        m_cache.clear();
        m_touches.clear();
    }
    const Totals &totals() const { return m_totals; }

private:
    using Known = SegmentTable::Row;
    std::optional<qint64> segmentId(const QByteArray &hash, QByteArrayView bytes, qint64 usedAtMs);
    // Puts the rows of these segments (hash → bytes, first use) in the cache, adding the missing.
    bool resolve(const QMap<QByteArray, std::pair<QByteArrayView, qint64>> &unknown);
    void remember(const QByteArray &hash, Known row);

    std::unique_ptr<SegmentTable> m_table;
    QMap<qint64, qint64> m_touches; // segment id → newest use in this batch, in id order
    QHash<QByteArray, Known> m_cache; // by hash: segments are only ever deleted by sweep()
    QString m_error;
    Totals m_totals;
};

} // namespace Switchyard
