// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyStore.h"
#include "core/log/BodyCodec.h"
#include "core/util/Sha256.h"
#include "core/log/BodyRecipe.h"
#include "core/log/BodySegmenter.h"
#include <sqlite3.h>

namespace Switchyard {

bool BodyStore::prepare(sqlite3 *db)
{
    m_db = db;
    m_cache.clear();
    const bool ok = m_find.prepare(db, QStringLiteral("SELECT id, last_used FROM segments WHERE hash = ?"))
        && m_insert.prepare(db, QStringLiteral("INSERT INTO segments (hash, size, encoding, last_used, data) VALUES (?,?,?,?,?)"))
        && m_touch.prepare(db, QStringLiteral("UPDATE segments SET last_used = max(last_used, ?) WHERE id = ?"))
        && m_sweep.prepare(db, QStringLiteral("DELETE FROM segments WHERE last_used < ?"));
    if (!ok)
        m_error = m_find.error() + m_insert.error() + m_touch.error() + m_sweep.error();
    return ok;
}

std::optional<qint64> BodyStore::segmentId(QByteArrayView bytes, qint64 usedAtMs)
{
    const QByteArray hash = sha256(bytes);
    auto known = m_cache.find(hash);
    if (known == m_cache.end()) {
        m_find.bind(0, hash);
        Known k;
        const bool found = m_find.next();
        if (found)
            k = Known{m_find.columnInt(0), m_find.columnInt(1)};
        m_find.reset();
        if (!found) {
            const auto [encoding, data] = BodyCodec::compress(bytes);
            m_insert.bindAll(hash, qint64(bytes.size()), qint64(encoding), usedAtMs, data);
            if (!m_insert.exec()) {
                m_error = m_insert.error();
                return std::nullopt;
            }
            k = Known{sqlite3_last_insert_rowid(m_db), usedAtMs};
            m_totals.newBytes += bytes.size();
            m_totals.storedBytes += data.size() + hash.size() + 16;
            ++m_totals.newSegments;
        }
        if (m_cache.size() >= MaxCachedSegments)
            m_cache.clear();
        known = m_cache.insert(hash, k);
    }
    // Touch rarely: sweep() allows for the slack, and a batch writes one update per segment.
    if (usedAtMs > known->lastUsed + TouchSlackMs) {
        known->lastUsed = usedAtMs;
        qint64 &touch = m_touches[known->id];
        touch = qMax(touch, usedAtMs);
    }
    return known->id;
}

std::optional<QByteArray> BodyStore::store(const QByteArray &body, qint64 usedAtMs)
{
    if (body.isEmpty())
        return QByteArray();
    BodyRecipe recipe;
    recipe.length = body.size();
    const QList<BodyPiece> pieces = BodySegmenter::split(body);
    recipe.pieces.reserve(pieces.size());
    for (const BodyPiece &piece : pieces) {
        BodyRecipe::Piece p;
        if (piece.shared) {
            const std::optional<qint64> id = segmentId(QByteArrayView(body).sliced(piece.offset, piece.length), usedAtMs);
            if (!id)
                return std::nullopt;
            p.segmentId = *id;
        } else {
            p.bytes = body.mid(piece.offset, piece.length);
        }
        recipe.pieces.append(std::move(p));
    }
    QByteArray encoded = recipe.encode();
    m_totals.rawBytes += body.size();
    m_totals.storedBytes += encoded.size();
    return encoded;
}

bool BodyStore::writeTouches()
{
    for (auto it = m_touches.cbegin(); it != m_touches.cend(); ++it) {
        m_touch.bindAll(it.value(), it.key());
        if (!m_touch.exec()) {
            m_error = m_touch.error();
            return false;
        }
    }
    m_touches.clear();
    return true;
}

std::optional<qint64> BodyStore::sweep(qint64 cutoffMs)
{
    m_sweep.bind(0, cutoffMs - TouchSlackMs);
    if (!m_sweep.exec()) {
        m_error = m_sweep.error();
        return std::nullopt;
    }
    m_cache.clear();
    return sqlite3_changes64(m_db);
}

} // namespace Switchyard
