// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/routing/TargetHealth.h"
#include "core/util/Result.h"
#include <QJsonObject>

class QRandomGenerator;

namespace Switchyard {

// One target in the order the router would try it, and why it is there.
struct RouteCandidate
{
    ProviderConfig provider;
    QString model;
    RetryPolicy retry;
    Timeouts timeouts;
    std::optional<double> weight;
    std::optional<double> latencyMs;
    QString state; // "healthy", "probing" (cooldown over, next call tests it) or "cooling_down"
    qint64 cooldownUntilMs = 0;
    bool skip = false; // cooling down: not tried
    QString reason;
};

struct RoutePlan
{
    QString requested;
    QString alias; // empty when a provider/model was named directly
    Strategy strategy = Strategy::Fallback;
    bool strictTranslation = false; // the alias's "translation": "strict"
    bool stickySession = false;     // the alias's "sticky": "session"
    QList<RouteCandidate> candidates;

    QJsonObject toJson() const;
};

// Turns a requested model name into the ordered targets to try now: an alias by its
// strategy, or "provider/model" directly; cooling-down targets go last, marked skip.
class RoutePlanner final
{
public:
    static Result<RoutePlan> plan(const Config &config, const QString &model, const TargetHealth &health,
                                  qint64 nowMs, QRandomGenerator &random);
    static QString unknownModelMessage(const Config &config, const QString &model);
    // "sticky": "session": moves the target that served the session's previous turn to the
    // front while it is not cooling down; the others stay behind it as fallbacks.
    static void keepSessionOn(RoutePlan &plan, const QString &provider, const QString &model);
};

} // namespace Switchyard
