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

void BodyStore::remember(const QByteArray &hash, Known row)
{
    if (m_cache.size() >= MaxCachedSegments)
        m_cache.clear();
    m_cache.insert(hash, row);
}

bool BodyStore::resolve(const QMap<QByteArray, std::pair<QByteArrayView, qint64>> &unknown)
{
    const std::optional<QHash<QByteArray, Known>> found = m_table->findMany(unknown.keys());
    if (!found) {
        m_error = m_table->error();
        return false;
    }
    QList<SegmentTable::NewSegment> missing;
    for (auto it = unknown.cbegin(); it != unknown.cend(); ++it) {
        if (const auto row = found->constFind(it.key()); row != found->cend()) {
            remember(it.key(), *row);
            continue;
        }
        const auto [bytes, usedAtMs] = it.value();
        const auto [encoding, data] = BodyCodec::compress(bytes);
        missing << SegmentTable::NewSegment{it.key(), bytes.size(), int(encoding), usedAtMs, data};
        m_totals.newBytes += bytes.size();
        m_totals.storedBytes += data.size() + it.key().size() + 16;
        ++m_totals.newSegments;
    }
    if (missing.isEmpty())
        return true;
    const std::optional<QHash<QByteArray, Known>> added = m_table->insertMany(missing);
    if (!added) {
        m_error = m_table->error();
        return false;
    }
    for (auto it = added->cbegin(); it != added->cend(); ++it)
        remember(it.key(), it.value());
    return true;
}

std::optional<qint64> BodyStore::segmentId(const QByteArray &hash, QByteArrayView bytes, qint64 usedAtMs)
{
    auto known = m_cache.find(hash);
    if (known == m_cache.end()) { // storeAll() resolved it, but a full cache let it go since
        if (!resolve({{hash, {bytes, usedAtMs}}}))
            return std::nullopt;
        known = m_cache.find(hash);
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
    const std::optional<QList<QByteArray>> recipes = storeAll({Body{body, usedAtMs}});
    return recipes ? std::optional<QByteArray>(recipes->constFirst()) : std::nullopt;
}

std::optional<QList<QByteArray>> BodyStore::storeAll(const QList<Body> &bodies)
{
    // First the pieces of every body and the hashes of the shared ones, noting those not known here.
    QList<QList<BodyPiece>> pieces(bodies.size());
    QList<QList<QByteArray>> hashes(bodies.size());
    QMap<QByteArray, std::pair<QByteArrayView, qint64>> unknown; // in hash order: writers lock alike
    for (qsizetype b = 0; b < bodies.size(); ++b) {
        const QByteArray &body = bodies.at(b).bytes;
        if (body.isEmpty())
            continue;
        pieces[b] = BodySegmenter::split(body);
        for (const BodyPiece &piece : std::as_const(pieces[b])) {
            if (!piece.shared)
                continue;
            const QByteArrayView bytes = QByteArrayView(body).sliced(piece.offset, piece.length);
            hashes[b] << sha256(bytes);
            if (!m_cache.contains(hashes[b].constLast()) && !unknown.contains(hashes[b].constLast()))
                unknown.insert(hashes[b].constLast(), {bytes, bodies.at(b).usedAtMs});
        }
    }
    if (!unknown.isEmpty() && !resolve(unknown))
        return std::nullopt;
    // Then the recipes, every segment known now (segmentId finds one the cache let go itself).
    QList<QByteArray> recipes;
    recipes.reserve(bodies.size());
    for (qsizetype b = 0; b < bodies.size(); ++b) {
        const QByteArray &body = bodies.at(b).bytes;
        if (body.isEmpty()) {
            recipes << QByteArray();
            continue;
        }
        BodyRecipe recipe;
        recipe.length = body.size();
        recipe.pieces.reserve(pieces.at(b).size());
        qsizetype shared = 0;
        for (const BodyPiece &piece : pieces.at(b)) {
            BodyRecipe::Piece p;
            if (piece.shared) {
                const std::optional<qint64> id = segmentId(hashes.at(b).at(shared++),
                                                           QByteArrayView(body).sliced(piece.offset, piece.length),
                                                           bodies.at(b).usedAtMs);
                if (!id)
                    return std::nullopt;
                p.segmentId = *id;
            } else {
                p.bytes = body.mid(piece.offset, piece.length);
            }
            recipe.pieces.append(std::move(p));
        }
        recipes << recipe.encode();
        m_totals.rawBytes += body.size();
        m_totals.storedBytes += recipes.constLast().size();
    }
    return recipes;
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
