// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/EvaluationRunner.h"
#include "core/eval/CandidateRoute.h"
#include "core/http/HttpExchange.h"
#include "core/log/LogReader.h"
#include "core/proxy/CallFinisher.h"
#include "core/proxy/EndpointDispatcher.h"
#include "core/proxy/EngineState.h"
#include "core/proxy/ReplayRunner.h"
#include <QJsonDocument>
#include <QTimer>
#include <QUuid>

namespace Switchyard {

struct EvaluationRunner::Run
{
    EvaluationReport report;
    QList<CallRecord> requests;              // the baseline's, without bodies (read as each is sent)
    QList<int> seqs;                         // their places in the baseline
    std::unique_ptr<EngineState> state;      // the candidate's routing, apart from the live one
    std::unique_ptr<EndpointDispatcher> dispatcher;
    QString model; // what the replayed requests ask for: the candidate alias
    int concurrency = EvaluationProposal::DefaultConcurrency;
    int next = 0;
    QHash<int, QPointer<HttpExchange>> inFlight; // by row
    QElapsedTimer sinceAnnounced;
    bool announcePending = false;
};

EvaluationRunner::EvaluationRunner(EngineState *live, CallFinisher *finisher, QObject *parent)
    : QObject(parent)
    , m_live(live)
    , m_finisher(finisher)
{
}

EvaluationRunner::~EvaluationRunner()
{
    cancelAll();
}

void EvaluationRunner::prepare(const EvaluationProposal &proposal, QObject *context,
                               std::function<void(const Result<std::shared_ptr<Run>, EvaluationRefusal> &)> ready)
{
    using Prepared = Result<std::shared_ptr<Run>, EvaluationRefusal>;
    if (!m_reader)
        return ready(Prepared(EvaluationRefusal{503, {QStringLiteral("the request log is not open")}}));
    if (proposal.baseline.isEmpty())
        return ready(Prepared(EvaluationRefusal{400, {QStringLiteral("baseline: the name of a baseline is needed")}}));
    if (proposal.concurrency < 1 || proposal.concurrency > EvaluationProposal::MaxConcurrency)
        return ready(Prepared(EvaluationRefusal{400, {QStringLiteral("concurrency must be from 1 to %1").arg(EvaluationProposal::MaxConcurrency)}}));
    const std::shared_ptr<const EngineSnapshot> live = m_live->snapshot();
    const Result<CandidateRoute, QStringList> candidate = CandidateRoute::build(*live->config, proposal.alias);
    if (!candidate)
        return ready(Prepared(EvaluationRefusal{400, candidate.error()}));
    auto run = std::make_shared<Run>();
    run->concurrency = proposal.concurrency;
    run->report.baseline = proposal.baseline;
    run->report.alias = proposal.alias;
    auto snapshot = std::make_shared<EngineSnapshot>(*live);
    snapshot->config = candidate.value().config;
    run->state = std::make_unique<EngineState>();
    run->state->publish(snapshot);
    const AliasConfig alias = candidate.value().alias;
    run->model = alias.name;
    const PriceTable prices = live->prices;
    const QString name = proposal.baseline;
    // On the log thread, a request at a time: what the report and the replays need of each,
    // the recorded answer read there; the bodies are let go (a replay reads its body again).
    struct Loaded
    {
        bool found = false;
        QList<CallRecord> requests;
        QList<int> seqs;
        QList<EvaluatedRequest> rows;
        CostEstimate estimate;
    };
    m_reader->edit<Result<Loaded>>(
        context, [name, alias, prices](LogQueries &, BaselineStore &store) -> Result<Loaded> {
            Loaded loaded;
            const Result<std::optional<BaselineInfo>> info = store.info(name);
            if (!info)
                return info.error();
            if (!info.value())
                return loaded;
            loaded.found = true;
            const Result<int> visited = store.forEach(name, [&loaded](int seq, const CallRecord &r) {
                EvaluatedRequest row;
                row.original = EvaluatedCall::of(r);
                row.endpoint = r.endpoint;
                row.stream = r.stream;
                loaded.rows.append(row);
                loaded.estimate.add(r);
                CallRecord light = r;
                light.requestBody.clear();
                light.responseBody.clear();
                loaded.requests.append(light);
                loaded.seqs.append(seq);
            });
            if (!visited)
                return visited.error();
            loaded.estimate.price(alias, prices);
            return loaded;
        },
        [run, name, ready](const Result<Loaded> &loaded) {
            if (!loaded)
                return ready(Prepared(EvaluationRefusal{500, {QStringLiteral("reading the baseline failed: ") + loaded.error().message}}));
            if (!loaded.value().found)
                return ready(Prepared(EvaluationRefusal{404, {QStringLiteral("no baseline named \"%1\"").arg(name)}}));
            if (loaded.value().requests.isEmpty())
                return ready(Prepared(EvaluationRefusal{409, {QStringLiteral("baseline \"%1\" has no requests").arg(name)}}));
            run->requests = loaded.value().requests;
            run->seqs = loaded.value().seqs;
            run->report.rows = loaded.value().rows;
            run->report.estimate = loaded.value().estimate;
            ready(Prepared(run));
        });
}

void EvaluationRunner::estimate(const EvaluationProposal &proposal, QObject *context, Estimated done)
{
    prepare(proposal, context, [done](const Result<std::shared_ptr<Run>, EvaluationRefusal> &prepared) {
        if (!prepared)
            return done(prepared.error());
        done(prepared.value()->report.estimate);
    });
}

void EvaluationRunner::start(const EvaluationProposal &proposal, QObject *context, Started done)
{
    if (runningCount() >= MaxRunning)
        return done(EvaluationRefusal{429, {QStringLiteral("%1 evaluations are running; wait for one or cancel it").arg(MaxRunning)}});
    QPointer<EvaluationRunner> self(this);
    prepare(proposal, context, [self, done](const Result<std::shared_ptr<Run>, EvaluationRefusal> &prepared) {
        if (!prepared)
            return done(prepared.error());
        if (!self)
            return done(EvaluationRefusal{503, {QStringLiteral("the gateway is stopping")}});
        const std::shared_ptr<Run> run = prepared.value();
        run->report.id = QStringLiteral("eval_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        run->report.createdAt = QDateTime::currentDateTimeUtc();
        run->dispatcher = std::make_unique<EndpointDispatcher>(run->state.get(), self->m_finisher);
        run->dispatcher->setClient(self->m_client);
        self->m_runs.push_back(run);
        done(run->report.toJson(false));
        self->announce(run, true);
        self->launchMore(run);
    });
}

void EvaluationRunner::launchMore(const std::shared_ptr<Run> &run)
{
    while (run->report.state == EvaluationReport::State::Running && run->inFlight.size() < run->concurrency
           && run->next < run->requests.size()) {
        const int row = run->next++;
        run->inFlight.insert(row, nullptr); // its body is being read
        const QString baseline = run->report.baseline;
        const int seq = run->seqs.at(row);
        m_reader->edit<Result<std::optional<QByteArray>>>(
            this, [baseline, seq](LogQueries &, BaselineStore &store) { return store.requestBody(baseline, seq); },
            [this, run, row](const Result<std::optional<QByteArray>> &body) {
                if (run->report.state != EvaluationReport::State::Running)
                    return; // cancelled meanwhile
                if (!body || !body.value()) {
                    CallRecord missing; // not sent: a failure of the evaluation, not of the candidate's upstream
                    missing.errorMessage = body ? QStringLiteral("the request is no longer in the baseline") : body.error().message;
                    return finished(run, row, missing);
                }
                send(run, row, *body.value());
            });
    }
    if (run->report.state == EvaluationReport::State::Running && run->inFlight.isEmpty() && run->next >= run->requests.size())
        end(run, EvaluationReport::State::Done);
}

void EvaluationRunner::send(const std::shared_ptr<Run> &run, int row, const QByteArray &recordedBody)
{
    const CallRecord &original = run->requests.at(row);
    CallRecord seed;
    seed.replayOf = original.id;
    seed.evaluationId = run->report.id;
    seed.client = QStringLiteral("switchyard evaluation");
    const QByteArray body = CandidateRoute::withModel(recordedBody, run->model);
    QPointer<EvaluationRunner> self(this);
    HttpExchange *sink = ReplayRunner::send(run->dispatcher.get(), m_finisher, this, original.endpoint,
                                            body.isEmpty() ? recordedBody : body, original.requestHeaders, seed,
                                            [self, run, row](const CallRecord &logged) {
                                                if (self)
                                                    self->finished(run, row, logged);
                                            });
    // A call can end at once (a refusal before any upstream): only a call still going is in flight.
    if (run->inFlight.contains(row))
        run->inFlight.insert(row, sink);
}

void EvaluationRunner::finished(const std::shared_ptr<Run> &run, int row, const CallRecord &logged)
{
    run->inFlight.remove(row);
    if (run->report.state != EvaluationReport::State::Running)
        return; // cancelled: calls abandoned after it are not part of the result
    run->report.rows[row].candidate = EvaluatedCall::of(logged);
    announce(run, false);
    QMetaObject::invokeMethod(this, [this, run] { launchMore(run); }, Qt::QueuedConnection);
}

void EvaluationRunner::end(const std::shared_ptr<Run> &run, EvaluationReport::State state)
{
    run->report.state = state;
    run->report.finishedAt = QDateTime::currentDateTimeUtc();
    const QHash<int, QPointer<HttpExchange>> abandoned = std::exchange(run->inFlight, {});
    for (const QPointer<HttpExchange> &sink : abandoned) {
        if (sink)
            sink->noteClientGone();
    }
    announce(run, true);
    if (m_reader) {
        const QByteArray json = QJsonDocument(run->report.toJson()).toJson(QJsonDocument::Compact);
        const QString id = run->report.id, baseline = run->report.baseline;
        const qint64 created = run->report.createdAt.toMSecsSinceEpoch();
        m_reader->edit<Result<bool>>(
            this, [id, baseline, created, json](LogQueries &, BaselineStore &store) { return store.saveEvaluation(id, baseline, created, json); },
            [id](const Result<bool> &saved) {
                if (!saved)
                    qWarning("switchyard: the report of evaluation %s was not kept: %s", qPrintable(id), qPrintable(saved.error().message));
            });
    }
    // Only the newest ended ones stay in memory; the log keeps them all.
    int ended = 0;
    for (auto it = m_runs.rbegin(); it != m_runs.rend(); ++it)
        ended += (*it)->report.state != EvaluationReport::State::Running ? 1 : 0;
    for (auto it = m_runs.begin(); ended > KeptInMemory && it != m_runs.end();) {
        if ((*it)->report.state != EvaluationReport::State::Running) {
            it = m_runs.erase(it);
            --ended;
        } else {
            ++it;
        }
    }
}

void EvaluationRunner::announce(const std::shared_ptr<Run> &run, bool now)
{
    if (!now && run->sinceAnnounced.isValid() && run->sinceAnnounced.elapsed() < ChangeIntervalMs) {
        if (!run->announcePending) {
            run->announcePending = true;
            QTimer::singleShot(ChangeIntervalMs - int(run->sinceAnnounced.elapsed()), this, [this, run] {
                if (run->announcePending)
                    announce(run, true);
            });
        }
        return;
    }
    run->announcePending = false;
    run->sinceAnnounced.start();
    Q_EMIT evaluationChanged(run->report.toJson());
}

bool EvaluationRunner::cancel(const QString &id)
{
    for (const std::shared_ptr<Run> &run : m_runs) {
        if (run->report.id == id && run->report.state == EvaluationReport::State::Running) {
            end(run, EvaluationReport::State::Cancelled);
            return true;
        }
    }
    return false;
}

void EvaluationRunner::cancelAll()
{
    const auto runs = m_runs;
    for (const std::shared_ptr<Run> &run : runs) {
        if (run->report.state == EvaluationReport::State::Running)
            end(run, EvaluationReport::State::Cancelled);
    }
}

std::optional<QJsonObject> EvaluationRunner::report(const QString &id, bool withResults) const
{
    for (const std::shared_ptr<Run> &run : m_runs) {
        if (run->report.id == id)
            return run->report.toJson(withResults);
    }
    return std::nullopt;
}

QList<QJsonObject> EvaluationRunner::recent() const
{
    QList<QJsonObject> out;
    for (auto it = m_runs.rbegin(); it != m_runs.rend(); ++it)
        out.append((*it)->report.toJson(false));
    return out;
}

int EvaluationRunner::runningCount() const
{
    return int(std::count_if(m_runs.begin(), m_runs.end(),
                             [](const std::shared_ptr<Run> &r) { return r.get() && r->report.state == EvaluationReport::State::Running; }));
}

} // namespace Switchyard
