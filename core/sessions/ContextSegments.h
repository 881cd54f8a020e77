// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>
#include <QString>

namespace Switchyard {

// What fills a request's context, piece by piece, in the order a provider's prompt cache reads
// it: the tools, the system prompt, then each message (Anthropic Messages); the system and
// developer messages, the tools, then the conversation (OpenAI chat and Responses). Each piece
// is named for a person ("tool `Bash`", "system prompt", "message 12 (user)") and hashed, so
// two turns of one session can be compared: what was added, removed or changed, and where the
// shared prefix ends. Pure.
struct ContextSegment
{
    enum class Kind { System, Tools, Message };
    Kind kind = Kind::Message;
    QString label;
    QByteArray hash;   // of the piece's compact JSON
    qint64 bytes = 0;
    QString text;      // system pieces only: to find where a changed prompt first differs
    qint64 estimatedTokens() const { return (bytes + 3) / 4; }
};

struct SegmentChange
{
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Added;
    QString label;
    qint64 bytes = 0;
    QString detail; // "at character 1,204" for a changed system prompt
};

class ContextSegments final
{
public:
    // The pieces of a request body of any of the three dialects; empty when it is not JSON.
    static QList<ContextSegment> of(const QByteArray &body);
    // What changed from `before` to `after`, by label: added, removed, changed.
    static QList<SegmentChange> changes(const QList<ContextSegment> &before, const QList<ContextSegment> &after);
    // The first piece of `after` that differs from `before` at the same place (the end of the
    // cacheable shared prefix), or -1 when `after` starts with all of `before`.
    static int firstDifference(const QList<ContextSegment> &before, const QList<ContextSegment> &after);
    // Where two texts first differ, for a person: "at character 1,204".
    static QString whereTextsDiffer(const QString &a, const QString &b);
};

} // namespace Switchyard
