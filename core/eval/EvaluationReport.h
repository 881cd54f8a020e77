// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/Answer.h"
#include "core/eval/CostEstimate.h"
#include "core/record/CallRecord.h"
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <optional>

namespace Switchyard {

// One side of an evaluated request: the recorded call, or the candidate's replay of it.
struct EvaluatedCall
{
    QString requestId;
    QString provider;
    QString model;
    int status = 0;
    bool ok = false;
    QString errorClass;
    QString errorMessage;
    qint64 durationMs = 0;
    std::optional<qint64> ttftMs;
    std::optional<qint64> promptTokens;
    std::optional<qint64> completionTokens;
    std::optional<double> costUsd;
    Answer answer;

    static EvaluatedCall of(const CallRecord &record);
    QJsonObject toJson() const;
};

struct EvaluatedRequest
{
    EvaluatedCall original;
    std::optional<EvaluatedCall> candidate; // nullopt until its replay finished (or when cancelled before)
    QString endpoint;
    bool stream = false;

    bool answerChanged() const { return candidate && !candidate->answer.sameAs(original.answer); }
    QJsonObject toJson() const;
};

// An evaluation: a baseline replayed through a proposed alias. Rows stay in the baseline's
// order; the summary counts only the rows whose replay finished, so a cancelled evaluation is
// a consistent partial result.
struct EvaluationReport
{
    enum class State { Running, Done, Cancelled, Failed };

    QString id;
    QString baseline;
    QJsonObject alias; // the proposed alias, as given
    State state = State::Running;
    QString error;     // why it failed
    QDateTime createdAt;
    QDateTime finishedAt;
    CostEstimate estimate;
    QList<EvaluatedRequest> rows;

    int done() const;
    static QString stateName(State state);
    QJsonObject summary() const;
    // {"id", "state", "baseline", "alias", "done", "total", "estimate", "summary", "results"}.
    QJsonObject toJson(bool withResults = true) const;
};

} // namespace Switchyard
