// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>
#include <optional>

namespace Switchyard {

// How to rebuild one body: its pieces in order, each a stored segment's id or inline bytes.
// Encoded as a small blob kept in the body's row: a format byte, the body's length, then per
// piece a varint tag (segment id delta ×2, or inline length ×2+1 followed by the bytes).
// Delta-coded ids make a recipe ~1–2 bytes per shared piece, since a body's new segments are
// inserted in order.
struct BodyRecipe
{
    struct Piece
    {
        qint64 segmentId = 0;  // > 0: a row of `segments`
        QByteArray bytes;      // inline bytes when segmentId is 0
    };
    qint64 length = 0;         // of the whole body
    QList<Piece> pieces;

    QByteArray encode() const;
    static std::optional<BodyRecipe> decode(const QByteArray &blob);
};

} // namespace Switchyard
