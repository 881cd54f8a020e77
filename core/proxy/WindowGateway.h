// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/config/ConfigHistory.h"
#include "core/record/CallRecord.h"
#include <QJsonObject>
#include <QObject>

namespace Switchyard {

// What the window asks of a gateway and hears back, through queued connections only (the
// gateway lives on a thread of its own): the in-process ProxyEngine, or a RemoteGateway that
// speaks another instance's admin API (`switchyard --attach`). Each answer carries the ticket
// it was asked with.
class WindowGateway : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    virtual void start(const Switchyard::Config &config) = 0;
    virtual void stop() = 0;
    virtual void replayRequest(const QString &id, const QByteArray &body, quint64 ticket) = 0;
    virtual void testRoute(const QString &alias, quint64 ticket) = 0;
    virtual void explainRoute(const QString &model, quint64 ticket) = 0;
    virtual void saveConfig(const Switchyard::Config &config, quint64 ticket) = 0;
    // The config history (answered by configHistoryListed), and a version made the config in
    // force again (answered by configSaved).
    virtual void listConfigHistory(quint64 ticket) = 0;
    virtual void restoreConfigVersion(int number, quint64 ticket) = 0;
    // Evaluations: an estimate (answered by evaluationEstimated), a start (evaluationStarted,
    // then evaluationChanged as it runs) and a cancel.
    virtual void estimateEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket) = 0;
    virtual void startEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket) = 0;
    virtual void cancelEvaluation(const QString &id) = 0;
    // Reads the keychain keys again (the window stored a new one).
    virtual void reloadKeys() = 0;

Q_SIGNALS:
    void started(const QString &url);
    void startFailed(const QString &message);
    void configApplied(const Switchyard::Config &config);
    // Calls sent on their way upstream (id, start, endpoint, model asked for, alias, client;
    // no bodies), in the same batches as callsFinished and always before it.
    void callsStarted(const QList<Switchyard::CallRecord> &records);
    // Finished calls, at most one batch per 100 ms.
    void callsFinished(const QList<Switchyard::CallRecord> &records);
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);
    void routeExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void configSaved(quint64 ticket, const QStringList &errors);
    void configHistoryListed(quint64 ticket, const QList<Switchyard::ConfigVersion> &versions);
    void evaluationEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors);
    void evaluationStarted(quint64 ticket, const QString &id, const QStringList &errors);
    // An evaluation's report (EvaluationReport::toJson with results) as it runs and when it ends.
    void evaluationChanged(const QJsonObject &report);
};

} // namespace Switchyard
