// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/EvaluationReport.h"
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Switchyard {

// How Routes → Evaluate writes an evaluation's figures, shared by its model and its dialog.
namespace EvaluationFormat {
QString signedCost(double usd);             // "+$0.0012", "−$0.0003", "$0"
QString signedMs(qint64 ms);                // "+120 ms", "−35 ms", "0 ms"
QString requests(int count);                // "1 request", "40 requests"
QString roughCost(double usd);              // "$0.42" from a cent up, else as Traces writes it
QString outcome(const EvaluatedCall &call); // "200 · openai/gpt-4o", "503 upstream_5xx · openai/gpt-4o"
// The answer as a person reads it: its text, then each tool call as name and pretty JSON.
QString answer(const EvaluatedCall &call);
// An alias object of the config in words: "Fallback: openai/gpt-4o, then groq/llama-3.1-8b".
QString alias(const QJsonObject &alias);
// "≈ $0.42 for 40 requests, priced at openai/gpt-4o-mini" from CostEstimate::toJson.
QString estimate(const QJsonObject &estimate);
// The summary strip of a report: costs, latency deltas, failures, answers changed K of N.
QString summary(const QJsonObject &report);
} // namespace EvaluationFormat

} // namespace Switchyard
