// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/sessions/CacheDoctor.h"
#include <QHash>
#include <optional>

namespace Switchyard {

// Puts each logged call into an agent session, on the log writer's thread (never on the
// request path). A call that names its session (SessionKey) joins it; one that does not
// continues the session of the same client (user agent) whose latest conversation
// its own starts with, else starts a session of its own. Two agents working side by side
// in one project stay apart because each call must continue its own session's conversation.
// Within a session, calls that start from a message of their own (a subagent, a title, a
// background job) form side lines, marked as such; each line is diagnosed by CacheDoctor
// against its own previous turn.
class SessionGrouper final
{
public:
    static constexpr qint64 IdleMs = 24LL * 3600 * 1000; // sessions quiet for longer are forgotten
    static constexpr int MaxSessions = 1024;

    struct Assignment
    {
        QString sessionId;
        bool subagent = false;
        CacheDoctor::Diagnosis diagnosis;
    };

    // nullopt for a call that is no conversation (embeddings, token counts, no messages).
    std::optional<Assignment> assign(const CallRecord &record);

private:
    struct Line
    {
        QByteArray first; // SessionTurn::lineOf
        QList<QByteArray> messages;
        std::optional<CacheDoctor::Turn> last; // the latest answered turn
    };
    struct Session
    {
        QString group;   // the client (user agent); empty for sessions the calls name
        qint64 lastMs = 0;
        QList<Line> lines; // [0] is the main line
    };

    QString continuedSession(const QString &group, const QList<QByteArray> &messages) const;
    void forgetIdle(qint64 nowMs);

    QHash<QString, Session> m_sessions;
};

} // namespace Switchyard
