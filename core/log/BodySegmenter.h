// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>

namespace Switchyard {

// One slice of a body: either a segment worth storing once by its hash (shared), or bytes
// kept inline in the body's recipe (punctuation, whitespace, short fields).
struct BodyPiece
{
    qsizetype offset = 0;
    qsizetype length = 0;
    bool shared = false;
    bool operator==(const BodyPiece &) const = default;
};

// Cuts a body into consecutive pieces that cover every byte, so that concatenating them gives
// the body back exactly. A JSON object is cut at each top-level member, and inside the arrays
// `messages`, `input`, `tools` and `system` at each element: consecutive turns of an agent
// session then share all but their last pieces. Whatever does not scan as such an object (a
// truncated tail, SSE, plain text) becomes one piece. Pure and allocation-light.
class BodySegmenter final
{
public:
    // Shorter pieces stay inline: a segment row costs more than a few bytes of text.
    static constexpr qsizetype MinSharedBytes = 64;

    static QList<BodyPiece> split(const QByteArray &body);
};

} // namespace Switchyard
