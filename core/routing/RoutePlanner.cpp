// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/RoutePlanner.h"
#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace Switchyard {

namespace {

RouteCandidate makeCandidate(const Config &config, const ProviderConfig &provider, const QString &model,
                             const TargetConfig *target, const TargetHealth &health, qint64 nowMs)
{
    RouteCandidate c;
    c.provider = provider;
    c.model = model;
    c.retry = target && target->retry ? *target->retry : config.retry;
    c.timeouts = target && target->timeouts ? *target->timeouts : config.timeouts;
    c.weight = target ? target->weight : std::nullopt;
    const TargetHealth::State s = health.state(TargetHealth::key(provider.name, model));
    c.latencyMs = s.latencyMs;
    if (s.cooldownUntilMs > nowMs) {
        c.state = QStringLiteral("cooling_down");
        c.cooldownUntilMs = s.cooldownUntilMs;
        c.skip = true;
    } else if (s.consecutiveFailures >= config.cooldown.failures) {
        c.state = QStringLiteral("probing");
    } else {
        c.state = QStringLiteral("healthy");
    }
    return c;
}

void orderWeighted(QList<RouteCandidate> &candidates, QRandomGenerator &random)
{
    // Weighted sampling without replacement (Efraimidis–Spirakis): sort by u^(1/w).
    double total = 0;
    for (const RouteCandidate &c : candidates)
        total += c.weight.value_or(1);
    QList<std::pair<double, RouteCandidate>> keyed;
    for (const RouteCandidate &c : std::as_const(candidates)) {
        const double u = std::max(random.generateDouble(), 1e-12);
        keyed.append({std::pow(u, 1.0 / c.weight.value_or(1)), c});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    candidates.clear();
    for (int i = 0; i < keyed.size(); ++i) {
        RouteCandidate c = keyed.at(i).second;
        c.reason = QStringLiteral("weight %1 of %2 (%3% share); drawn %4 this time")
                       .arg(c.weight.value_or(1))
                       .arg(total)
                       .arg(qRound(100 * c.weight.value_or(1) / total))
                       .arg(i == 0 ? QStringLiteral("first") : QStringLiteral("#%1").arg(i + 1));
        candidates.append(c);
    }
}

void orderByLatency(QList<RouteCandidate> &candidates)
{
    // Untried targets first, so every target gets measured; then the fastest.
    std::stable_sort(candidates.begin(), candidates.end(), [](const RouteCandidate &a, const RouteCandidate &b) {
        if (a.latencyMs.has_value() != b.latencyMs.has_value())
            return !a.latencyMs.has_value();
        return a.latencyMs.value_or(0) < b.latencyMs.value_or(0);
    });
    bool fastestNamed = false; // the first measured target is the fastest, even behind untried ones
    for (RouteCandidate &c : candidates) {
        if (!c.latencyMs) {
            c.reason = QStringLiteral("not tried yet: measuring its latency");
            continue;
        }
        c.reason = QStringLiteral("%1 recent latency %2 ms")
                       .arg(fastestNamed ? QStringLiteral("slower:") : QStringLiteral("fastest"))
                       .arg(qRound(*c.latencyMs));
        fastestNamed = true;
    }
}

} // namespace

QString RoutePlanner::unknownModelMessage(const Config &config, const QString &model)
{
    QStringList aliases;
    for (const AliasConfig &a : config.aliases)
        aliases << a.name;
    QStringList providers;
    for (const ProviderConfig &p : config.providers)
        providers << p.name;
    return QStringLiteral("unknown model \"%1\". Known aliases: %2. To reach a model directly, use "
                          "\"provider/model\" with a provider from: %3.")
        .arg(model, aliases.isEmpty() ? QStringLiteral("(none)") : aliases.join(QStringLiteral(", ")),
             providers.join(QStringLiteral(", ")));
}

Result<RoutePlan> RoutePlanner::plan(const Config &config, const QString &model, const TargetHealth &health,
                                     qint64 nowMs, QRandomGenerator &random)
{
    RoutePlan plan;
    plan.requested = model;
    if (const AliasConfig *alias = config.alias(model)) {
        plan.alias = alias->name;
        plan.strategy = alias->strategy;
        plan.strictTranslation = alias->strictTranslation;
        plan.stickySession = alias->stickySession;
        for (const TargetConfig &t : alias->targets) {
            if (const ProviderConfig *p = config.provider(t.provider))
                plan.candidates.append(makeCandidate(config, *p, t.model, &t, health, nowMs));
        }
        if (alias->strategy == Strategy::Weighted) {
            orderWeighted(plan.candidates, random);
        } else if (alias->strategy == Strategy::LeastLatency) {
            orderByLatency(plan.candidates);
        } else {
            for (int i = 0; i < plan.candidates.size(); ++i)
                plan.candidates[i].reason = i == 0 ? QStringLiteral("first in fallback order")
                                                   : QStringLiteral("fallback #%1").arg(i + 1);
        }
    } else {
        const qsizetype slash = model.indexOf(QLatin1Char('/'));
        const ProviderConfig *p = slash > 0 ? config.provider(model.left(slash)) : nullptr;
        if (!p || slash + 1 >= model.size())
            return Error{unknownModelMessage(config, model)};
        plan.candidates.append(makeCandidate(config, *p, model.mid(slash + 1), nullptr, health, nowMs));
        plan.candidates.first().reason = QStringLiteral("named directly");
    }
    // Cooling-down targets are skipped, so they go last; the order is otherwise kept.
    std::stable_partition(plan.candidates.begin(), plan.candidates.end(), [](const RouteCandidate &c) { return !c.skip; });
    for (RouteCandidate &c : plan.candidates) {
        if (c.skip)
            c.reason = QStringLiteral("cooling down until %1 after %2 failures in a row; skipped")
                           .arg(QDateTime::fromMSecsSinceEpoch(c.cooldownUntilMs, Qt::UTC).toString(Qt::ISODate))
                           .arg(health.state(TargetHealth::key(c.provider.name, c.model)).consecutiveFailures);
        else if (c.state == QLatin1String("probing"))
            c.reason += QStringLiteral("; cooldown over, the next call probes it");
    }
    return plan;
}

void RoutePlanner::keepSessionOn(RoutePlan &plan, const QString &provider, const QString &model)
{
    const auto it = std::find_if(plan.candidates.begin(), plan.candidates.end(), [&](const RouteCandidate &c) {
        return c.provider.name == provider && c.model == model;
    });
    if (it == plan.candidates.end() || it->skip)
        return; // gone from the alias, or cooling down: the strategy's order stands
    RouteCandidate kept = *it;
    kept.reason = QStringLiteral("sticky: served this session's previous turn (its prompt cache is warm)");
    plan.candidates.erase(it);
    plan.candidates.prepend(kept);
}

QJsonObject RoutePlan::toJson() const
{
    QJsonArray list;
    for (const RouteCandidate &c : candidates) {
        QJsonObject o{{QStringLiteral("provider"), c.provider.name},
                      {QStringLiteral("model"), c.model},
                      {QStringLiteral("state"), c.state},
                      {QStringLiteral("skip"), c.skip},
                      {QStringLiteral("reason"), c.reason},
                      {QStringLiteral("latency_ms"), c.latencyMs ? QJsonValue(qRound(*c.latencyMs)) : QJsonValue()},
                      {QStringLiteral("weight"), c.weight ? QJsonValue(*c.weight) : QJsonValue()},
                      {QStringLiteral("cooldown_until"),
                       c.cooldownUntilMs ? QJsonValue(QDateTime::fromMSecsSinceEpoch(c.cooldownUntilMs, Qt::UTC).toString(Qt::ISODateWithMs))
                                         : QJsonValue()}};
        list.append(o);
    }
    return QJsonObject{{QStringLiteral("model"), requested},
                       {QStringLiteral("alias"), alias.isEmpty() ? QJsonValue() : QJsonValue(alias)},
                       {QStringLiteral("strategy"), strategyName(strategy)},
                       {QStringLiteral("candidates"), list}};
}

} // namespace Switchyard
