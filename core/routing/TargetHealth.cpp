// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/TargetHealth.h"

namespace Switchyard {

namespace {
constexpr double LatencyWeight = 0.3; // weight of the newest sample in the moving average
}

TargetHealth::TargetHealth(const TargetHealth &other)
{
    const std::lock_guard lock(other.m_mutex);
    m_states = other.m_states;
}

TargetHealth &TargetHealth::operator=(const TargetHealth &other)
{
    if (this != &other) {
        const std::scoped_lock lock(m_mutex, other.m_mutex);
        m_states = other.m_states;
    }
    return *this;
}

QString TargetHealth::key(const QString &provider, const QString &model)
{
    return provider + QLatin1Char('/') + model;
}

void TargetHealth::recordSuccess(const QString &key, double latencyMs)
{
    const std::lock_guard lock(m_mutex);
    State &s = m_states[key];
    s.consecutiveFailures = 0;
    s.cooldownUntilMs = 0;
    ++s.successes;
    s.latencyMs = s.latencyMs ? *s.latencyMs * (1 - LatencyWeight) + latencyMs * LatencyWeight : latencyMs;
}

void TargetHealth::recordFailure(const QString &key, qint64 nowMs, const CooldownPolicy &policy)
{
    const std::lock_guard lock(m_mutex);
    State &s = m_states[key];
    ++s.failures;
    ++s.consecutiveFailures;
    // A probe after a cooldown that fails again cools down again straight away.
    if (s.consecutiveFailures >= policy.failures && policy.seconds > 0)
        s.cooldownUntilMs = nowMs + qint64(policy.seconds) * 1000;
}

TargetHealth::State TargetHealth::state(const QString &key) const
{
    const std::lock_guard lock(m_mutex);
    return m_states.value(key);
}

bool TargetHealth::isCoolingDown(const QString &key, qint64 nowMs) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_states.constFind(key);
    return it != m_states.cend() && it->cooldownUntilMs > nowMs;
}

} // namespace Switchyard
