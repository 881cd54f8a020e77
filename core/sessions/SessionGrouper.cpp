// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/SessionGrouper.h"
#include "core/sessions/ContextSegments.h"
#include "core/sessions/SessionKey.h"
#include "core/sessions/SessionTimeline.h"
#include "core/sessions/SessionTurn.h"

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

std::optional<SessionGrouper::Assignment> SessionGrouper::assign(const CallRecord &record)
{
    if (record.endpoint.endsWith("/embeddings"_L1) || record.endpoint.endsWith("/count_tokens"_L1))
        return std::nullopt;
    const QList<ContextSegment> segments = ContextSegments::of(record.requestBody);
    const QList<QByteArray> messages = SessionTurn::messageHashes(segments);
    if (messages.isEmpty())
        return std::nullopt;
    const qint64 nowMs = record.startedAt.toMSecsSinceEpoch();
    forgetIdle(nowMs);

    const std::optional<SessionKey> key = SessionKey::of(record);
    // Grouped by the client (user agent) alone: the local program and project behind a
    // connection are looked up asynchronously and may not be known yet for a call that
    // finished fast; the prefix rule keeps different conversations apart anyway.
    const QString group = key ? QString() : record.client;
    QString id = key ? key->id : continuedSession(group, messages);
    if (id.isEmpty())
        id = u"auto-"_s + record.id; // a conversation of its own: a new session
    Session &session = m_sessions[id];
    session.group = group;
    session.lastMs = std::max(session.lastMs, nowMs);

    const QByteArray first = SessionTurn::lineOf(segments);
    qsizetype line = 0;
    while (line < session.lines.size() && session.lines.at(line).first != first)
        ++line;
    const CacheDoctor::Turn turn = SessionTurn::doctorTurn(record, segments);
    Assignment out;
    out.sessionId = id;
    out.subagent = line > 0;
    if (line == session.lines.size())
        session.lines.append(Line{first, messages, std::nullopt});
    Line &l = session.lines[line];
    l.messages = messages;
    if (!record.ok) { // as SessionTimeline: a failed call leaves the line's cache as it was
        out.diagnosis = SessionTimeline::failedCall();
        return out;
    }
    out.diagnosis = CacheDoctor::diagnose(turn, l.last ? &*l.last : nullptr);
    l.last = turn;
    return out;
}

// The session of `group` whose main line's latest conversation `messages` continues; of
// several, the longest (most specific) match.
QString SessionGrouper::continuedSession(const QString &group, const QList<QByteArray> &messages) const
{
    QString best;
    qsizetype bestLength = 0;
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        const Session &s = it.value();
        if (s.group != group || group.isEmpty() || s.lines.isEmpty())
            continue;
        const QList<QByteArray> &earlier = s.lines.constFirst().messages;
        if (SessionTurn::continues(earlier, messages) && earlier.size() > bestLength) {
            best = it.key();
            bestLength = earlier.size();
        }
    }
    return best;
}

void SessionGrouper::forgetIdle(qint64 nowMs)
{
    if (m_sessions.size() < MaxSessions)
        return;
    m_sessions.removeIf([nowMs](const auto &it) { return nowMs - it.value().lastMs > IdleMs; });
    while (m_sessions.size() >= MaxSessions) { // still full: the quietest goes
        auto oldest = m_sessions.begin();
        for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it)
            oldest = it.value().lastMs < oldest.value().lastMs ? it : oldest;
        m_sessions.erase(oldest);
    }
}

} // namespace Switchyard
