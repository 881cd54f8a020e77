// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/EvaluationReport.h"
#include "core/eval/Evaluations.h"
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <deque>
#include <memory>

namespace Switchyard {

class CallFinisher;
class EndpointDispatcher;
class EngineState;
class HttpExchange;
class LogReader;
class UpstreamClient;

// Runs evaluations on the coordinator's thread: reads the baseline from the log, then replays
// its requests `concurrency` at a time through the proposed alias. Each evaluation routes
// through a state of its own (the candidate config, its own target health and session
// affinity), so it never moves the live route's cooldowns or latencies; its calls are logged
// marked with its id, which keeps them out of the live stats, metrics and views. A finished or
// cancelled evaluation's report is kept in the log.
class EvaluationRunner final : public QObject, public Evaluations
{
    Q_OBJECT
public:
    static constexpr int MaxRunning = 4;
    static constexpr int KeptInMemory = 20;
    static constexpr int ChangeIntervalMs = 250;

    EvaluationRunner(EngineState *live, CallFinisher *finisher, QObject *parent = nullptr);
    ~EvaluationRunner() override;
    void setClient(UpstreamClient *client) { m_client = client; }
    void setLogReader(LogReader *reader) { m_reader = reader; }

    void estimate(const EvaluationProposal &proposal, QObject *context, Estimated done) override;
    void start(const EvaluationProposal &proposal, QObject *context, Started done) override;
    bool cancel(const QString &id) override;
    std::optional<QJsonObject> report(const QString &id, bool withResults) const override;
    QList<QJsonObject> recent() const override;
    // Abandons every running evaluation (the engine stops).
    void cancelAll();

Q_SIGNALS:
    // An evaluation's report with its results: when it starts, as its requests finish (at
    // most every ChangeIntervalMs) and when it ends.
    void evaluationChanged(const QJsonObject &report);

private:
    struct Run;
    // Reads the baseline and checks the proposal; `ready` gets the run (without an id) or why not.
    void prepare(const EvaluationProposal &proposal, QObject *context,
                 std::function<void(const Result<std::shared_ptr<Run>, EvaluationRefusal> &)> ready);
    // Sends the next requests while fewer than `concurrency` are in flight; ends the run after the last.
    void launchMore(const std::shared_ptr<Run> &run);
    void send(const std::shared_ptr<Run> &run, int row, const QByteArray &recordedBody);
    void finished(const std::shared_ptr<Run> &run, int row, const CallRecord &logged);
    void end(const std::shared_ptr<Run> &run, EvaluationReport::State state);
    void announce(const std::shared_ptr<Run> &run, bool now);
    int runningCount() const;

    EngineState *m_live;
    CallFinisher *m_finisher;
    UpstreamClient *m_client = nullptr;
    LogReader *m_reader = nullptr;
    std::deque<std::shared_ptr<Run>> m_runs; // newest last, at most KeptInMemory ended ones
};

} // namespace Switchyard
