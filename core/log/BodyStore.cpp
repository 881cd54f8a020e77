// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyStore.h"
#include "core/log/BodyCodec.h"
#include "core/util/Sha256.h"
#include "core/log/BodyRecipe.h"
#include "core/log/BodySegmenter.h"

namespace Switchyard {

bool BodyStore::prepare(sqlite3 *db)
{
    auto table = std::make_unique<SqliteSegmentTable>();
    if (!table->prepare(db)) {
        m_error = table->error();
        return false;
    }
    use(std::move(table));
    return true;
}

void BodyStore::use(std::unique_ptr<SegmentTable> table)
{
    m_table = std::move(table);
    forgetCache();
}

std::optional<qint64> BodyStore::segmentId(QByteArrayView bytes, qint64 usedAtMs)
{
    const QByteArray hash = sha256(bytes);
    auto known = m_cache.find(hash);
    if (known == m_cache.end()) {
        const std::optional<std::optional<Known>> found = m_table->find(hash);
        if (!found) {
            m_error = m_table->error();
            return std::nullopt;
        }
        Known k = found->value_or(Known());
        if (!*found) {
            const auto [encoding, data] = BodyCodec::compress(bytes);
            const std::optional<Known> inserted = m_table->insert(hash, bytes.size(), int(encoding), usedAtMs, data);
            if (!inserted) {
                m_error = m_table->error();
                return std::nullopt;
            }
            k = *inserted;
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
    // In id order: two instances touching the same segments lock them in the same order.
    if (!m_table->touchAll(m_touches)) {
        m_error = m_table->error();
        return false;
    }
    m_touches.clear();
    return true;
}

std::optional<qint64> BodyStore::sweep(qint64 cutoffMs)
{
    const std::optional<qint64> swept = m_table->sweep(cutoffMs - TouchSlackMs);
    if (!swept)
        m_error = m_table->error();
    m_cache.clear();
    return swept;
}

} // namespace Switchyard
