// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QJsonObject>
#include <optional>

namespace Switchyard {

class PriceTable;

// What replaying a baseline through a proposed alias should cost, before it runs: each
// recorded request's token counts (its body's length / 4 when the upstream reported none)
// priced at the target that would answer it — the first for fallback and least-latency, the
// weighted mean of the targets for weighted. A rough figure: the candidate may answer at
// another length.
struct CostEstimate
{
    std::optional<double> usd;   // nullopt when no target of the alias has a price
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    int requests = 0;
    int guessedInput = 0;        // requests without recorded usage: input guessed from the body
    QString basis;               // which price it used, for a person

    static CostEstimate of(const QList<CallRecord> &baseline, const AliasConfig &alias, const PriceTable &prices);
    // The same, counted one recorded request at a time (add each, then price once).
    void add(const CallRecord &recorded);
    void price(const AliasConfig &alias, const PriceTable &prices);
    QJsonObject toJson() const;
};

} // namespace Switchyard
