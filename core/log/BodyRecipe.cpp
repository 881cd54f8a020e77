// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyRecipe.h"

namespace Switchyard {

namespace {

constexpr char FormatV1 = 'R';

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out += char(v | 0x80);
        v >>= 7;
    }
    out += char(v);
}

bool getVarint(const QByteArray &in, qsizetype &i, quint64 &v)
{
    v = 0;
    for (int shift = 0; shift < 64 && i < in.size(); shift += 7) {
        const uchar b = uchar(in.at(i++));
        v |= quint64(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

} // namespace

QByteArray BodyRecipe::encode() const
{
    QByteArray out;
    out.reserve(16 + pieces.size() * 3);
    out += FormatV1;
    putVarint(out, quint64(length));
    qint64 previous = 0;
    for (const Piece &p : pieces) {
        if (p.segmentId > 0) {
            putVarint(out, zigzag(p.segmentId - previous) << 1);
            previous = p.segmentId;
        } else {
            putVarint(out, (quint64(p.bytes.size()) << 1) | 1);
            out += p.bytes;
        }
    }
    return out;
}

std::optional<BodyRecipe> BodyRecipe::decode(const QByteArray &blob)
{
    if (blob.isEmpty() || blob.at(0) != FormatV1)
        return std::nullopt;
    BodyRecipe recipe;
    qsizetype i = 1;
    quint64 v = 0;
    if (!getVarint(blob, i, v))
        return std::nullopt;
    recipe.length = qint64(v);
    qint64 previous = 0;
    while (i < blob.size()) {
        if (!getVarint(blob, i, v))
            return std::nullopt;
        Piece p;
        if (v & 1) {
            const quint64 n = v >> 1;
            if (n > quint64(blob.size() - i))
                return std::nullopt;
            p.bytes = blob.mid(i, qsizetype(n));
            i += qsizetype(n);
        } else {
            p.segmentId = previous + unzigzag(v >> 1);
            previous = p.segmentId;
            if (p.segmentId <= 0)
                return std::nullopt;
        }
        recipe.pieces.append(std::move(p));
    }
    return recipe;
}

} // namespace Switchyard
