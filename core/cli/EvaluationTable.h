// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonArray>
#include <QJsonObject>

namespace Switchyard {

// Terminal text for the admin API's evaluations (EvaluationReport::toJson): what
// `switchyard evaluate` prints. Pure functions of the JSON, so they are tested without a server.
class EvaluationTable final
{
public:
    static constexpr int MaxResultRows = 50;

    // "Estimate: $0.0123 for 40 requests (basis)" and a newline, from an "estimate" object.
    static QString estimate(const QJsonObject &estimate);
    // "12/40 done", from a report with or without results.
    static QString progress(const QJsonObject &report);
    // A heading, the summary table and the per-request table of a report with its results.
    static QString render(const QJsonObject &report, int maxRows = MaxResultRows);
    // Rows requests, cost, latencies, first token and failures; columns original, candidate
    // and delta; then "answers changed: K of N".
    static QString summary(const QJsonObject &summary);
    // One row per result, at most `maxRows`, then "… and M more".
    static QString results(const QJsonArray &results, int maxRows = MaxResultRows);

    // Cells: "$0.0123" ("+$0.0123" / "-$0.0123" with `sign`), more decimals below a tenth of a
    // cent; a whole number ("842", "+18" with `sign`: milliseconds, failures); "-" for a missing figure.
    static QString usd(const QJsonValue &value, bool sign = false);
    static QString whole(const QJsonValue &value, bool sign = false);
};

} // namespace Switchyard
