// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/CostEstimate.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <functional>
#include <optional>

namespace Switchyard {

// What to evaluate: a baseline replayed through a proposed alias (an alias object as in the
// config, not applied), `concurrency` calls at a time.
struct EvaluationProposal
{
    static constexpr int DefaultConcurrency = 4;
    static constexpr int MaxConcurrency = 16;

    QString baseline;
    QJsonObject alias;
    int concurrency = DefaultConcurrency;
};

// Why an evaluation cannot start: the HTTP status the admin API answers with (400 a bad
// alias, 404 no such baseline, 409 a baseline without requests, 429 too many running, 503 no
// log) and the problems, each for a person.
struct EvaluationRefusal
{
    int status = 400;
    QStringList messages;
};

// The evaluations of a gateway, as the admin API and the window use them. Answers come on the
// thread of `context`, and not at all once it is gone.
class Evaluations
{
public:
    virtual ~Evaluations() = default;
    using Estimated = std::function<void(const Result<CostEstimate, EvaluationRefusal> &)>;
    using Started = std::function<void(const Result<QJsonObject, EvaluationRefusal> &)>;

    virtual void estimate(const EvaluationProposal &proposal, QObject *context, Estimated done) = 0;
    // `done` gets the new evaluation as EvaluationReport::toJson gives it (state "running").
    virtual void start(const EvaluationProposal &proposal, QObject *context, Started done) = 0;
    // Stops sending the rest; what finished stays as a partial result. False when `id` is not
    // running.
    virtual bool cancel(const QString &id) = 0;
    // An evaluation this run of the gateway knows (running or recent); older ones are in the log.
    virtual std::optional<QJsonObject> report(const QString &id, bool withResults) const = 0;
    virtual QList<QJsonObject> recent() const = 0; // without results, newest first
};

} // namespace Switchyard
