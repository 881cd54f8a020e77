// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/SessionTimeline.h"

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

struct Line
{
    QByteArray first;
    std::optional<CacheDoctor::Turn> last; // the latest answered turn
    QString lastId;
};

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
    QList<Line> lines;
    QList<SessionTurnReport> turns;
    for (const CallRecord &r : calls) {
        const QList<ContextSegment> segments = ContextSegments::of(r.requestBody);
        const QByteArray first = SessionTurn::lineOf(segments);
        qsizetype line = 0;
        while (line < lines.size() && lines.at(line).first != first)
            ++line;
        if (line == lines.size())
            lines.append(Line{first, std::nullopt, QString()});
        Line &l = lines[line];
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
        turns.append(t);
    }
    return turns;
}

} // namespace Switchyard
