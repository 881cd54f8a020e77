// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodySegmenter.h"
#include "core/json/JsonScan.h"

namespace Switchyard {

namespace {

using namespace JsonScan;

bool isSegmentedArray(const QByteArray &s, qsizetype keyStart, qsizetype keyEnd)
{
    const QByteArrayView key(s.constData() + keyStart + 1, keyEnd - keyStart - 2);
    return key == "messages" || key == "input" || key == "tools" || key == "system";
}

// Collects pieces, keeping short shared pieces inline and merging neighbouring inline bytes.
class PieceList
{
public:
    void add(qsizetype offset, qsizetype length, bool shared)
    {
        if (length <= 0)
            return;
        shared = shared && length >= BodySegmenter::MinSharedBytes;
        if (!shared && !m_pieces.isEmpty() && !m_pieces.last().shared) {
            m_pieces.last().length += length;
            return;
        }
        m_pieces.append(BodyPiece{offset, length, shared});
    }
    QList<BodyPiece> take() { return std::move(m_pieces); }

private:
    QList<BodyPiece> m_pieces;
};

} // namespace

QList<BodyPiece> BodySegmenter::split(const QByteArray &s)
{
    PieceList pieces;
    qsizetype done = 0; // bytes [0, done) are in pieces
    auto emitUpTo = [&](qsizetype start, qsizetype end) { // inline gap, then a shared piece
        pieces.add(done, start - done, false);
        pieces.add(start, end - start, true);
        done = end;
    };
    qsizetype i = skipSpace(s, 0);
    if (i < s.size() && s.at(i) == '{') {
        for (i = skipSpace(s, i + 1); i < s.size() && s.at(i) == '"';) {
            const qsizetype keyStart = i;
            const qsizetype keyEnd = skipString(s, i);
            if (keyEnd == Incomplete)
                break;
            i = skipSpace(s, keyEnd);
            if (i >= s.size() || s.at(i) != ':')
                break;
            const qsizetype valueStart = skipSpace(s, i + 1);
            if (valueStart < s.size() && s.at(valueStart) == '[' && isSegmentedArray(s, keyStart, keyEnd)) {
                pieces.add(done, valueStart + 1 - done, false);
                done = valueStart + 1;
                for (i = skipSpace(s, valueStart + 1); i < s.size() && s.at(i) != ']';) {
                    const qsizetype end = skipValue(s, i);
                    if (end == Incomplete)
                        break;
                    emitUpTo(i, end);
                    i = skipSpace(s, end);
                    if (i < s.size() && s.at(i) == ',')
                        i = skipSpace(s, i + 1);
                    else
                        break;
                }
                if (i >= s.size() || s.at(i) != ']')
                    break;
                i = skipSpace(s, i + 1);
            } else {
                const qsizetype end = skipValue(s, valueStart);
                if (end == Incomplete)
                    break;
                emitUpTo(keyStart, end);
                i = skipSpace(s, end);
            }
            if (i >= s.size() || s.at(i) != ',')
                break;
            i = skipSpace(s, i + 1);
        }
    }
    // The rest: the closing brace, or everything that did not scan (one piece, stored whole).
    const bool closed = i < s.size() && s.at(i) == '}' && skipSpace(s, i + 1) == s.size();
    pieces.add(done, s.size() - done, !closed);
    return pieces.take();
}

} // namespace Switchyard
