// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/routing/ErrorClass.h"
#include <QByteArray>
#include <QDateTime>
#include <optional>

namespace Switchyard {

// What a call does after an attempt failed: wait and try the same target again, or move on to
// the next target. A pure function of values (the target's RetryPolicy, the failure, the time
// and a jitter draw), so every case is tested with a fake clock.
struct RetryDecision
{
    // A Retry-After longer than this moves on to the next target instead of waiting.
    static constexpr qint64 MaxRetryAfterMs = 30000;

    struct Failure
    {
        ErrorClass errorClass = ErrorClass::None;
        int attemptsOnTarget = 1;   // attempts made on this target, the failed one included
        QByteArray retryAfter;      // the upstream's Retry-After header (empty: none)
        qint64 cooldownUntilMs = 0; // the target's cooldown after this failure was counted (epoch ms)
    };

    bool retrySameTarget = false;
    qint64 delayMs = 0; // how long to wait before retrying the same target

    // `jitter` is a draw from [0, 1) that spreads the backoff over [0.5, 1.5) of its nominal value.
    static RetryDecision decide(const RetryPolicy &policy, const Failure &failure, const QDateTime &now, double jitter);
    // Exponential backoff with jitter: base·2^(attempt-1)·(0.5 + jitter), at most MaxRetryAfterMs.
    static qint64 backoffMs(int baseMs, int attempt, double jitter);
    // Parses Retry-After (seconds or HTTP-date); nullopt when absent or unreadable.
    static std::optional<qint64> retryAfterMs(const QByteArray &value, const QDateTime &now);
};

} // namespace Switchyard
