// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/sessions/CacheDoctor.h"

namespace Switchyard {

// What the writer (SessionGrouper) and the readers (SessionTimeline) both need to know of one
// call as a turn of a session, so the two agree. Pure.
namespace SessionTurn {

// The call as CacheDoctor sees it. The provider kind is read off the model name ("claude…" is
// Anthropic): the log does not keep the config the call ran under.
CacheDoctor::Turn doctorTurn(const CallRecord &record, const QList<ContextSegment> &segments);

// The hashes of the conversation's messages, in order (system prompt and tools left out).
QList<QByteArray> messageHashes(const QList<ContextSegment> &segments);

// The line of a session a call belongs to: its first message. A subagent, a title or a
// background call starts from a message of its own; the main conversation keeps its first one.
QByteArray lineOf(const QList<ContextSegment> &segments);

// True when `later` starts with every message of `earlier` (and `earlier` has some): the
// conversation of `later` continues the one of `earlier`.
bool continues(const QList<QByteArray> &earlier, const QList<QByteArray> &later);

// What fills the context, in estimated tokens: system prompt, tools, the messages the previous
// turn already had (history) and the ones new in this turn.
struct Breakdown
{
    qint64 system = 0;
    qint64 tools = 0;
    qint64 history = 0;
    qint64 newTurn = 0;
};
Breakdown breakdown(const QList<ContextSegment> &segments, const QList<ContextSegment> *previous);

} // namespace SessionTurn

} // namespace Switchyard
