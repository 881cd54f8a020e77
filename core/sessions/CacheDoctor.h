// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/sessions/ContextSegments.h"
#include <QDateTime>
#include <optional>

namespace Switchyard {

// Was the prompt cache used as it should have been on one turn of a session, and if not, why.
// A turn reads the prefix the previous turn left in the provider's cache, unless it is the
// first, the cache expired (time since the previous turn beyond the provider's TTL), the
// prefix changed (the first piece that differs is named), routing sent it to another provider
// or model, or the prompt is below the provider's minimum cacheable length. Pure.
class CacheDoctor final
{
public:
    struct Turn
    {
        QDateTime startedAt;
        QString provider;
        QString providerKind; // "anthropic" or "openai"
        QString model;
        qint64 promptTokens = 0;
        std::optional<qint64> cachedTokens; // cache reads, when the provider reported them
        bool cacheMarks = true;             // Anthropic caches only what cache_control marks
        QList<ContextSegment> segments;
    };

    enum class Verdict { Hit, FirstTurn, Expired, PrefixChanged, RouteChanged, BelowMinimum, NotMarked, NotReported, Missed };
    struct Diagnosis
    {
        Verdict verdict = Verdict::Missed;
        QString reason;            // for a person
        qint64 missedTokens = 0;   // tokens the cache could have served but did not
    };

    static Diagnosis diagnose(const Turn &turn, const Turn *previous);
    static QString verdictName(Verdict verdict); // "hit", "first_turn", "expired", …

    // Anthropic's default cache lives 5 minutes after its last use; OpenAI's 5–10 minutes.
    static constexpr qint64 TtlSeconds = 300;
    // The shortest prompt each provider caches: 1,024 tokens (Anthropic's Haiku models: 2,048).
    static qint64 minimumCacheable(const QString &providerKind, const QString &model);
};

} // namespace Switchyard
