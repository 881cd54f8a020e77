// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/CacheDoctor.h"

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// Tokens of the pieces both turns share from the start: what the cache could have served.
qint64 sharedPrefixTokens(const QList<ContextSegment> &before, const QList<ContextSegment> &after)
{
    qint64 tokens = 0;
    for (int i = 0; i < before.size() && i < after.size() && before.at(i).hash == after.at(i).hash; ++i)
        tokens += after.at(i).estimatedTokens();
    return tokens;
}

} // namespace

qint64 CacheDoctor::minimumCacheable(const QString &providerKind, const QString &model)
{
    if (providerKind == "anthropic"_L1 && model.contains("haiku"_L1))
        return 2048;
    return 1024;
}

QString CacheDoctor::verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Hit: return u"hit"_s;
    case Verdict::FirstTurn: return u"first_turn"_s;
    case Verdict::Expired: return u"expired"_s;
    case Verdict::PrefixChanged: return u"prefix_changed"_s;
    case Verdict::RouteChanged: return u"route_changed"_s;
    case Verdict::BelowMinimum: return u"below_minimum"_s;
    case Verdict::NotMarked: return u"not_marked"_s;
    case Verdict::NotReported: return u"not_reported"_s;
    case Verdict::Missed: return u"missed"_s;
    }
    return u"missed"_s;
}

CacheDoctor::Diagnosis CacheDoctor::diagnose(const Turn &turn, const Turn *previous)
{
    if (turn.cachedTokens.value_or(0) > 0) {
        const qint64 percent = turn.promptTokens ? turn.cachedTokens.value() * 100 / turn.promptTokens : 0;
        return {Verdict::Hit, u"%1 of %2 prompt tokens read from the cache (%3 %)"_s.arg(*turn.cachedTokens).arg(turn.promptTokens).arg(percent), 0};
    }
    if (!previous)
        return {Verdict::FirstTurn, u"the first turn of the session writes the cache; nothing to read yet"_s, 0};
    const qint64 shared = sharedPrefixTokens(previous->segments, turn.segments);
    if (turn.provider != previous->provider || turn.model != previous->model)
        return {Verdict::RouteChanged,
                u"routing moved the session from %1/%2 to %3/%4, whose cache is empty"_s.arg(previous->provider, previous->model,
                                                                                           turn.provider, turn.model),
                shared};
    const qint64 gap = previous->startedAt.secsTo(turn.startedAt);
    if (gap > TtlSeconds)
        return {Verdict::Expired,
                u"the cache expired: %1 min since the previous turn (it lives %2 min)"_s.arg(gap / 60).arg(TtlSeconds / 60), shared};
    if (turn.promptTokens < minimumCacheable(turn.providerKind, turn.model))
        return {Verdict::BelowMinimum,
                u"%1 prompt tokens is below the %2 the provider caches"_s.arg(turn.promptTokens).arg(minimumCacheable(turn.providerKind, turn.model)),
                0};
    if (turn.providerKind == "anthropic"_L1 && !turn.cacheMarks)
        return {Verdict::NotMarked, u"no cache_control mark: Anthropic caches only the prefixes a request marks"_s, shared};
    const int first = ContextSegments::firstDifference(previous->segments, turn.segments);
    if (first >= 0 && first < previous->segments.size()) {
        const ContextSegment &was = previous->segments.at(first);
        QString why = first < turn.segments.size() && turn.segments.at(first).label == was.label
                          ? u"%1 changed"_s.arg(was.label)
                          : u"%1 is no longer where it was"_s.arg(was.label);
        if (was.kind == ContextSegment::Kind::System && first < turn.segments.size())
            why += u" "_s + ContextSegments::whereTextsDiffer(was.text, turn.segments.at(first).text);
        return {Verdict::PrefixChanged, u"the prefix changed: "_s + why, shared};
    }
    if (!turn.cachedTokens)
        return {Verdict::NotReported, u"the provider did not report cache use"_s, shared};
    return {Verdict::Missed, u"the prefix was the same and recent, yet nothing was read from the cache"_s, shared};
}

} // namespace Switchyard
