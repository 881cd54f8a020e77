// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QHash>
#include <mutex>
#include <optional>

namespace Switchyard {

// What the router has learned about each provider/model target: consecutive failures,
// cooldown, and a moving average of latency. One per gateway, shared by every proxy worker:
// each method holds a short lock, so a state is never read half-updated.
class TargetHealth final
{
public:
    struct State
    {
        int consecutiveFailures = 0;
        qint64 cooldownUntilMs = 0; // epoch ms; 0 when not cooling down
        std::optional<double> latencyMs;
        qint64 successes = 0;
        qint64 failures = 0;
    };

    TargetHealth() = default;
    // Copies (a view for explaining routes in tests and the window) take the source's lock.
    TargetHealth(const TargetHealth &other);
    TargetHealth &operator=(const TargetHealth &other);

    static QString key(const QString &provider, const QString &model);

    void recordSuccess(const QString &key, double latencyMs);
    // Starts a cooldown once `policy.failures` failures happened in a row.
    void recordFailure(const QString &key, qint64 nowMs, const CooldownPolicy &policy);
    State state(const QString &key) const;
    bool isCoolingDown(const QString &key, qint64 nowMs) const;

private:
    mutable std::mutex m_mutex;
    QHash<QString, State> m_states;
};

} // namespace Switchyard
