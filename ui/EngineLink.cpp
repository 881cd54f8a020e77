// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/EngineLink.h"
#include <algorithm>

namespace Switchyard {

EngineLink::EngineLink(LogReader *reader, QObject *parent)
    : QObject(parent)
    , m_reader(reader)
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
}

quint64 EngineLink::requestReplay(const QString &id, const QByteArray &replacementBody)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT replayRequested(id, replacementBody, ticket);
    return ticket;
}

quint64 EngineLink::requestRouteTest(const QString &alias)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT routeTestRequested(alias, ticket);
    return ticket;
}

quint64 EngineLink::requestRouteExplanation(const QString &model)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT routeExplanationRequested(model, ticket);
    return ticket;
}

quint64 EngineLink::requestConfigSave(const Config &config)
{
    const quint64 ticket = m_nextTicket++;
    m_fileListen = config.listen; // what the file will say
    Q_EMIT configSaveRequested(config, ticket);
    return ticket;
}

quint64 EngineLink::requestConfigHistory()
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT configHistoryRequested(ticket);
    return ticket;
}

quint64 EngineLink::requestConfigRestore(int version)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT configRestoreRequested(version, ticket);
    return ticket;
}

void EngineLink::onConfigHistoryListed(quint64 ticket, const QList<ConfigVersion> &versions)
{
    Q_EMIT configHistoryListed(ticket, versions);
}

quint64 EngineLink::requestEvaluationEstimate(const QString &baseline, const QJsonObject &alias)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT evaluationEstimateRequested(baseline, alias, ticket);
    return ticket;
}

quint64 EngineLink::requestEvaluationStart(const QString &baseline, const QJsonObject &alias)
{
    const quint64 ticket = m_nextTicket++;
    Q_EMIT evaluationStartRequested(baseline, alias, ticket);
    return ticket;
}

void EngineLink::requestEvaluationCancel(const QString &id)
{
    Q_EMIT evaluationCancelRequested(id);
}

void EngineLink::onEvaluationEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors)
{
    Q_EMIT evaluationEstimated(ticket, estimate, errors);
}

void EngineLink::onEvaluationStarted(quint64 ticket, const QString &id, const QStringList &errors)
{
    Q_EMIT evaluationStarted(ticket, id, errors);
}

void EngineLink::onEvaluationChanged(const QJsonObject &report)
{
    Q_EMIT evaluationChanged(report);
}

void EngineLink::onStarted(const QString &url)
{
    m_url = url;
    Q_EMIT listening(url);
}

void EngineLink::onConfigApplied(const Config &config)
{
    m_config = config;
    if (m_fileListen) { // the address in use may come from --host/--port: never save that
        m_config.listen.host = m_fileListen->host;
        m_config.listen.port = m_fileListen->port;
    }
    Q_EMIT configChanged(m_config);
}

namespace {
// The live views show the gateway's traffic; an evaluation's calls are shown by its own
// dialog (and stay in the log, marked, for Traces to read back).
QList<CallRecord> liveOnly(const QList<CallRecord> &records)
{
    if (std::none_of(records.begin(), records.end(), [](const CallRecord &r) { return !r.evaluationId.isEmpty(); }))
        return records;
    QList<CallRecord> live;
    std::copy_if(records.begin(), records.end(), std::back_inserter(live), [](const CallRecord &r) { return r.evaluationId.isEmpty(); });
    return live;
}
} // namespace

void EngineLink::onCallsStarted(const QList<CallRecord> &records)
{
    if (const QList<CallRecord> live = liveOnly(records); !live.isEmpty())
        Q_EMIT callsStarted(live);
}

void EngineLink::onCallsFinished(const QList<CallRecord> &records)
{
    if (const QList<CallRecord> live = liveOnly(records); !live.isEmpty())
        Q_EMIT callsArrived(live);
}

void EngineLink::onReplayFinished(quint64 ticket, const CallRecord &record, const QString &error)
{
    Q_EMIT replayFinished(ticket, record, error);
}

void EngineLink::onRouteTested(quint64 ticket, const CallRecord &record)
{
    Q_EMIT routeTested(ticket, record);
}

void EngineLink::onRouteExplained(quint64 ticket, const QJsonObject &plan, const QString &error)
{
    Q_EMIT routeExplained(ticket, plan, error);
}

void EngineLink::onConfigSaved(quint64 ticket, const QStringList &errors)
{
    if (errors.isEmpty())
        setFileProblems(QStringList()); // the file was rewritten from a valid config
    Q_EMIT configSaved(ticket, errors);
}

void EngineLink::onConfigFileLoaded(const ListenConfig &fileListen)
{
    m_fileListen = fileListen;
    m_config.listen.host = fileListen.host;
    m_config.listen.port = fileListen.port;
    setFileProblems(QStringList());
}

void EngineLink::onConfigFileRejected(const QStringList &messages)
{
    setFileProblems(messages);
}

void EngineLink::setFileProblems(const QStringList &messages)
{
    if (messages == m_fileProblems)
        return;
    m_fileProblems = messages;
    Q_EMIT configFileProblemsChanged(messages);
}

void EngineLink::requestKeyReload()
{
    Q_EMIT keyReloadRequested();
}

} // namespace Switchyard
