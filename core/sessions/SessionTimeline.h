// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/sessions/CacheDoctor.h"
#include "core/sessions/SessionTurn.h"

namespace Switchyard {

// One call of a session seen as a turn: what changed since the previous turn of its line,
// what fills its context, and the prompt cache's verdict.
struct SessionTurnReport
{
    CallRecord call;          // without bodies or headers
    bool subagent = false;    // a side line: subagent, title or background call
    int line = 0;             // 0 is the main line
    QString previousId;       // the previous turn of the same line, empty for its first
    QList<SegmentChange> changes;
    QList<qint64> changeTokens; // estimated tokens of each change, by index
    SessionTurn::Breakdown context;
    CacheDoctor::Diagnosis cache;
};

// Rebuilds a session's turns from its calls (oldest first, with request bodies), the way the
// log writer grouped them: lines by their first message, each turn compared with the previous
// turn of its line. Pure; runs on the log reader's thread.
class SessionTimeline final
{
public:
    // How many of a session's latest calls its timeline shows: enough for any diagnosis (each
    // turn is compared with the one before), bounded for sessions of thousands of calls.
    static constexpr int MaxTurns = 500;

    static QList<SessionTurnReport> build(const QList<CallRecord> &calls);

    // The same, a call at a time, so that only one call's bodies are held at once.
    class Builder
    {
    public:
        void add(const CallRecord &call);
        QList<SessionTurnReport> take() { return std::exchange(m_turns, {}); }

    private:
        struct Line
        {
            QByteArray first;
            std::optional<CacheDoctor::Turn> last; // the latest answered turn
            QString lastId;
        };
        QList<Line> m_lines;
        QList<SessionTurnReport> m_turns;
    };

    // The verdict of a call that failed: there was no answer whose usage says what was cached.
    static CacheDoctor::Diagnosis failedCall();
};

} // namespace Switchyard
