// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/RetryDecision.h"
#include <algorithm>
#include <cmath>

namespace Switchyard {

RetryDecision RetryDecision::decide(const RetryPolicy &policy, const Failure &failure, const QDateTime &now, double jitter)
{
    RetryDecision d;
    if (!isRetryable(failure.errorClass) || failure.attemptsOnTarget >= policy.maxAttempts)
        return d;
    if (failure.cooldownUntilMs > now.toMSecsSinceEpoch())
        return d; // the target is cooling down: the next target is tried at once
    const std::optional<qint64> retryAfter = retryAfterMs(failure.retryAfter, now);
    if (retryAfter && *retryAfter > MaxRetryAfterMs)
        return d; // waiting that long would hold the client; another target may answer now
    d.retrySameTarget = true;
    d.delayMs = qMax(backoffMs(policy.backoffMs, failure.attemptsOnTarget, jitter), retryAfter.value_or(0));
    return d;
}

qint64 RetryDecision::backoffMs(int baseMs, int attempt, double jitter)
{
    const double nominal = baseMs * std::pow(2.0, attempt - 1);
    return qMin<qint64>(qint64(nominal * (0.5 + std::clamp(jitter, 0.0, 1.0))), MaxRetryAfterMs);
}

std::optional<qint64> RetryDecision::retryAfterMs(const QByteArray &value, const QDateTime &now)
{
    QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    // delay-seconds: digits (a fraction tolerated); not "-1", "1e3", "inf" or "nan".
    if (std::all_of(v.cbegin(), v.cend(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
        bool ok = false;
        const double seconds = v.toDouble(&ok);
        return ok ? std::optional<qint64>(qint64(std::min(seconds, 1e9) * 1000)) : std::nullopt;
    }
    // An HTTP-date ends in "GMT", which Qt's RFC 2822 parser does not accept; "+0000" it does.
    if (v.endsWith(" GMT"))
        v = v.chopped(3) + "+0000";
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return qMax<qint64>(0, now.msecsTo(when));
}

} // namespace Switchyard
