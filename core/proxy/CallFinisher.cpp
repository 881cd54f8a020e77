// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CallFinisher.h"
#include "core/http/HttpRequest.h"
#include "core/proxy/EngineState.h"
#include <QThread>

namespace Switchyard {

CallFinisher::CallFinisher(EngineState *state, QObject *parent)
    : QObject(parent)
    , m_state(state)
    , m_lookups(new ProcessLookupQueue(this))
    , m_batchTimer(new QTimer(this))
{
    m_batchTimer->setSingleShot(true);
    connect(m_batchTimer, &QTimer::timeout, this, &CallFinisher::flush);
    connect(m_lookups, &ProcessLookupQueue::found, this,
            [this](quint64 connectionId, const ClientProcess &process) { m_processes.insert(connectionId, process); });
}

namespace {
// Runs `work` now on `finisher`'s thread, or queued there from another one (a proxy worker's):
// the finisher's state is touched only by its own thread, and a worker's calls keep their order.
template<typename Work>
bool queuedFromElsewhere(CallFinisher *finisher, Work work)
{
    if (QThread::currentThread() == finisher->thread())
        return false;
    QMetaObject::invokeMethod(finisher, std::move(work), Qt::QueuedConnection);
    return true;
}
} // namespace

void CallFinisher::lookUpClient(const HttpRequest &r, const QHostAddress &serverAddress)
{
    if (queuedFromElsewhere(this, [this, r, serverAddress] { lookUpClient(r, serverAddress); }))
        return;
    if (m_processes.contains(r.connectionId) || r.peerAddress.isNull())
        return;
    m_processes.insert(r.connectionId, ClientProcess()); // asked once per connection
    m_lookups->request(r.connectionId, r.peerAddress, r.peerPort, serverAddress, r.localPort);
}

void CallFinisher::forgetConnection(quint64 connectionId)
{
    if (!queuedFromElsewhere(this, [this, connectionId] { forgetConnection(connectionId); }))
        m_processes.remove(connectionId);
}

void CallFinisher::submit(const CallRecord &record)
{
    if (!queuedFromElsewhere(this, [this, record] { finish(record); }))
        finish(record);
}

CallRecord CallFinisher::finish(const CallRecord &finished)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const std::shared_ptr<const EngineSnapshot> snapshot = m_state->snapshot();
    CallRecord record = finished;
    const ClientProcess process = m_processes.value(record.connectionId);
    if (record.clientProcess.isEmpty() && process.pid) {
        record.clientProcess = process.executable;
        record.clientPid = process.pid;
        record.project = process.workingDirectory;
    }
    // A known key can reach a record past the request's masking: pasted into a prompt (the body
    // sent upstream) or echoed by an upstream error. Mask it before the record is logged or shown.
    const SecretMasker &masker = *snapshot->masker;
    record.responseBody = masker.masked(record.responseBody);
    record.responseHeaders = masker.masked(record.responseHeaders);
    record.errorMessage = QString::fromUtf8(masker.masked(record.errorMessage.toUtf8()));
    for (Attempt &attempt : record.attempts) {
        attempt.requestBody = masker.masked(attempt.requestBody);
        attempt.message = QString::fromUtf8(masker.masked(attempt.message.toUtf8()));
    }
    if (record.ok)
        record.costUsd = snapshot->prices.cost(record.provider, record.model, record.usage);
    if (record.evaluationId.isEmpty()) // an evaluation's calls stay out of the live figures
        m_metrics.record(record, record.costUsd);
    m_pending.append(record);
    if (!m_batchTimer->isActive())
        m_batchTimer->start(BatchIntervalMs);
    return record;
}

void CallFinisher::noteStarted(const CallRecord &record)
{
    if (queuedFromElsewhere(this, [this, record] { noteStarted(record); }))
        return;
    CallRecord started; // what a list of calls in flight shows: no bodies or headers to copy
    started.id = record.id;
    started.startedAt = record.startedAt;
    started.endpoint = record.endpoint;
    started.requestedModel = record.requestedModel;
    started.alias = record.alias;
    started.stream = record.stream;
    started.client = record.client;
    started.replayOf = record.replayOf;
    started.evaluationId = record.evaluationId;
    started.provider = record.provider;
    started.model = record.model;
    started.ttftMs = record.ttftMs;
    started.attempts.reserve(record.attempts.size());
    for (const Attempt &a : record.attempts) // the waterfall needs their times, not their bodies
        started.attempts.append(Attempt{a.provider, a.model, a.status, a.errorClass, {}, a.startedAfterMs, a.durationMs, {}});
    const ClientProcess process = m_processes.value(record.connectionId);
    started.clientProcess = record.clientProcess.isEmpty() ? process.executable : record.clientProcess;
    m_started.append(started);
    if (!m_batchTimer->isActive())
        m_batchTimer->start(BatchIntervalMs);
}

void CallFinisher::flush()
{
    m_batchTimer->stop();
    if (!m_started.isEmpty())
        Q_EMIT callsStarted(std::exchange(m_started, {}));
    if (m_pending.isEmpty())
        return;
    Q_EMIT callsFinished(std::exchange(m_pending, {}));
}

} // namespace Switchyard
