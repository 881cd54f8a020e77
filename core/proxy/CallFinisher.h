// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/attribution/ProcessLookup.h"
#include "core/metrics/Metrics.h"
#include "core/record/CallRecord.h"
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Switchyard {

struct HttpRequest;
class EngineState;

// The end of every call: the record completed (client process, secrets masked, cost),
// counted in the metrics and queued for the log, delivered in batches. Lives on the
// coordinator's thread; proxy workers call lookUpClient, noteStarted, submit and
// forgetConnection from theirs, which queues the work here in the order it was asked.
class CallFinisher final : public QObject
{
    Q_OBJECT
public:
    static constexpr int BatchIntervalMs = 100;

    CallFinisher(EngineState *state, QObject *parent = nullptr);

    // Asks once per inbound connection which local process is calling.
    void lookUpClient(const HttpRequest &request, const QHostAddress &serverAddress);
    void forgetConnection(quint64 connectionId);
    // Queues what a list of calls in flight shows of a call sent on its way upstream, or of its
    // progress (its attempts so far and its first byte, without bodies). Any thread.
    void noteStarted(const Switchyard::CallRecord &record);
    // finish() from any thread, with the logged record not returned.
    void submit(const CallRecord &record);
    // On this object's thread: completes, counts and queues `record`; returns it as logged.
    CallRecord finish(const CallRecord &record);
    void flush();
    Metrics &metrics() { return m_metrics; }

Q_SIGNALS:
    // Calls sent on their way upstream (no bodies), in the same batches as callsFinished and before it.
    void callsStarted(const QList<Switchyard::CallRecord> &records);
    // At most one batch per BatchIntervalMs.
    void callsFinished(const QList<Switchyard::CallRecord> &records);

private:
    EngineState *m_state;
    Metrics m_metrics;
    ProcessLookupQueue *m_lookups;
    QHash<quint64, ClientProcess> m_processes; // by inbound connection
    QList<CallRecord> m_pending;
    QList<CallRecord> m_started;
    QTimer *m_batchTimer; // a child, so it moves to the engine thread with the engine
};

} // namespace Switchyard
