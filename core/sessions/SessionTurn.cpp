// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/SessionTurn.h"
#include <algorithm>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using Kind = ContextSegment::Kind;

CacheDoctor::Turn SessionTurn::doctorTurn(const CallRecord &r, const QList<ContextSegment> &segments)
{
    CacheDoctor::Turn t;
    t.startedAt = r.startedAt;
    t.provider = r.provider;
    t.model = r.model;
    t.providerKind = r.model.startsWith("claude"_L1, Qt::CaseInsensitive) ? u"anthropic"_s : u"openai"_s;
    t.promptTokens = r.usage.promptTokens.value_or(0);
    t.cachedTokens = r.usage.cachedPromptTokens;
    t.cacheMarks = r.requestBody.contains("\"cache_control\"");
    t.segments = segments;
    return t;
}

QList<QByteArray> SessionTurn::messageHashes(const QList<ContextSegment> &segments)
{
    QList<QByteArray> hashes;
    for (const ContextSegment &s : segments) {
        if (s.kind == Kind::Message)
            hashes.append(s.hash);
    }
    return hashes;
}

QByteArray SessionTurn::lineOf(const QList<ContextSegment> &segments)
{
    for (const ContextSegment &s : segments) {
        if (s.kind == Kind::Message)
            return s.hash;
    }
    return QByteArray();
}

bool SessionTurn::continues(const QList<QByteArray> &earlier, const QList<QByteArray> &later)
{
    if (earlier.isEmpty() || later.size() < earlier.size())
        return false;
    return std::equal(earlier.cbegin(), earlier.cend(), later.cbegin());
}

SessionTurn::Breakdown SessionTurn::breakdown(const QList<ContextSegment> &segments, const QList<ContextSegment> *previous)
{
    const QList<QByteArray> before = previous ? messageHashes(*previous) : QList<QByteArray>();
    Breakdown b;
    qsizetype message = 0;
    bool shared = true; // still within the messages the previous turn sent
    for (const ContextSegment &s : segments) {
        if (s.kind == Kind::System) {
            b.system += s.estimatedTokens();
        } else if (s.kind == Kind::Tools) {
            b.tools += s.estimatedTokens();
        } else {
            shared = shared && message < before.size() && before.at(message) == s.hash;
            (shared ? b.history : b.newTurn) += s.estimatedTokens();
            ++message;
        }
    }
    return b;
}

} // namespace Switchyard
