// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/SessionTimeline.h"

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

CallRecord withoutBodies(const CallRecord &r)
{
    CallRecord c = r;
    c.requestBody.clear();
    c.responseBody.clear();
    c.requestHeaders = {};
    c.responseHeaders = {};
    for (Attempt &a : c.attempts)
        a.requestBody.clear();
    return c;
}

} // namespace

CacheDoctor::Diagnosis SessionTimeline::failedCall()
{
    return {CacheDoctor::Verdict::NotReported, u"the call failed: no answer reported what the cache served"_s, 0};
}

QList<SessionTurnReport> SessionTimeline::build(const QList<CallRecord> &calls)
{
    Builder builder;
    for (const CallRecord &r : calls)
        builder.add(r);
    return builder.take();
}

void SessionTimeline::Builder::add(const CallRecord &r)
{
    const QList<ContextSegment> segments = ContextSegments::of(r.requestBody);
    const QByteArray first = SessionTurn::lineOf(segments);
    qsizetype line = 0;
    while (line < m_lines.size() && m_lines.at(line).first != first)
        ++line;
    if (line == m_lines.size())
        m_lines.append(Line{first, std::nullopt, QString()});
    Line &l = m_lines[line];
    SessionTurnReport t;
    t.call = withoutBodies(r);
    t.line = int(line);
    t.subagent = line > 0;
    t.previousId = l.lastId;
    const CacheDoctor::Turn turn = SessionTurn::doctorTurn(r, segments);
    const QList<ContextSegment> *previous = l.last ? &l.last->segments : nullptr;
    t.changes = ContextSegments::changes(previous ? *previous : QList<ContextSegment>(), segments);
    for (const SegmentChange &c : std::as_const(t.changes))
        t.changeTokens.append((c.bytes + 3) / 4); // as ContextSegment::estimatedTokens
    t.context = SessionTurn::breakdown(segments, previous);
    t.cache = r.ok ? CacheDoctor::diagnose(turn, l.last ? &*l.last : nullptr) : failedCall();
    if (r.ok) {
        l.last = turn;
        l.lastId = r.id;
    }
    m_turns.append(t);
}

} // namespace Switchyard
