// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/CostEstimate.h"
#include "core/pricing/PriceTable.h"

namespace Switchyard {

CostEstimate CostEstimate::of(const QList<CallRecord> &baseline, const AliasConfig &alias, const PriceTable &prices)
{
    CostEstimate e;
    for (const CallRecord &r : baseline)
        e.add(r);
    e.price(alias, prices);
    return e;
}

void CostEstimate::add(const CallRecord &r)
{
    ++requests;
    if (r.usage.promptTokens) {
        inputTokens += *r.usage.promptTokens;
    } else {
        inputTokens += r.requestBody.size() / 4;
        ++guessedInput;
    }
    outputTokens += r.usage.completionTokens.value_or(0);
}

void CostEstimate::price(const AliasConfig &alias, const PriceTable &prices)
{
    // The price per token of each target that may answer, with its share of the calls.
    QList<std::pair<const TargetConfig *, double>> shares;
    if (alias.strategy == Strategy::Weighted) {
        double total = 0;
        for (const TargetConfig &t : alias.targets)
            total += t.weight.value_or(1);
        for (const TargetConfig &t : alias.targets)
            shares.append({&t, total > 0 ? t.weight.value_or(1) / total : 0});
    } else if (!alias.targets.isEmpty()) {
        shares.append({&alias.targets.first(), 1.0});
    }
    double cost = 0;
    QStringList named;
    for (const auto &[target, share] : shares) {
        const std::optional<double> priced = prices.cost(target->provider, target->model, Usage{inputTokens, outputTokens, std::nullopt});
        named << QStringLiteral("%1/%2").arg(target->provider, target->model);
        if (!priced) {
            basis = QStringLiteral("%1/%2 has no known price").arg(target->provider, target->model);
            return;
        }
        cost += share * *priced;
    }
    if (shares.isEmpty()) {
        basis = QStringLiteral("the alias has no target");
        return;
    }
    usd = cost;
    basis = alias.strategy == Strategy::Weighted ? QStringLiteral("weighted mean of %1").arg(named.join(QStringLiteral(", ")))
                                                   : QStringLiteral("priced at %1").arg(named.first());
}

QJsonObject CostEstimate::toJson() const
{
    return {{QStringLiteral("usd"), usd ? QJsonValue(*usd) : QJsonValue()},
            {QStringLiteral("requests"), requests},
            {QStringLiteral("input_tokens"), inputTokens},
            {QStringLiteral("output_tokens"), outputTokens},
            {QStringLiteral("guessed_input"), guessedInput},
            {QStringLiteral("basis"), basis}};
}

} // namespace Switchyard
