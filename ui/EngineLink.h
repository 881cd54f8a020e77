// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/config/ConfigHistory.h"
#include "core/record/CallRecord.h"
#include <QJsonObject>
#include <QObject>
#include <optional>

namespace Switchyard {

class LogReader;

// The window's side of the engine: views ask for things through it and hear back through
// its signals, never touching the engine (which lives on another thread). AppWiring connects
// the *Requested signals to the engine's slots and the engine's answers to the on* slots.
// Views read the log through reader() (its own thread; results come back by value).
class EngineLink final : public QObject
{
    Q_OBJECT
public:
    explicit EngineLink(LogReader *reader, QObject *parent = nullptr);

    LogReader *reader() const { return m_reader; }
    // The gateway is another instance (--attach): its keys and settings live on its machine.
    void setRemote(bool remote) { m_remote = remote; }
    bool isRemote() const { return m_remote; }
    // The config the engine runs, with the listen address the config file holds (which
    // --host/--port may override for this run): what the window edits and saves.
    const Config &config() const { return m_config; }
    QString listeningUrl() const { return m_url; }
    // Messages of the loader about the config file on disk, when a hand edit broke it
    // (the gateway still runs on the previous config); empty when the file loads.
    QStringList configFileProblems() const { return m_fileProblems; }

    // Each returns the ticket its answer will carry.
    quint64 requestReplay(const QString &id, const QByteArray &replacementBody = QByteArray());
    quint64 requestRouteTest(const QString &alias);
    quint64 requestRouteExplanation(const QString &model);
    quint64 requestConfigSave(const Config &config);
    // Answered by configHistoryListed; a restore by configSaved.
    quint64 requestConfigHistory();
    quint64 requestConfigRestore(int version);
    // Answered by evaluationEstimated and evaluationStarted; a started evaluation reports
    // through evaluationChanged (every evaluation's: match the id).
    quint64 requestEvaluationEstimate(const QString &baseline, const QJsonObject &alias);
    quint64 requestEvaluationStart(const QString &baseline, const QJsonObject &alias);
    void requestEvaluationCancel(const QString &id);

public Q_SLOTS:
    // The engine reads the keychain keys again (one was just stored).
    void requestKeyReload();

public Q_SLOTS:
    void onStarted(const QString &url);
    void onConfigApplied(const Switchyard::Config &config);
    void onCallsStarted(const QList<Switchyard::CallRecord> &records);
    void onCallsFinished(const QList<Switchyard::CallRecord> &records);
    void onReplayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void onRouteTested(quint64 ticket, const Switchyard::CallRecord &record);
    void onRouteExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void onConfigSaved(quint64 ticket, const QStringList &errors);
    void onConfigHistoryListed(quint64 ticket, const QList<Switchyard::ConfigVersion> &versions);
    void onEvaluationEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors);
    void onEvaluationStarted(quint64 ticket, const QString &id, const QStringList &errors);
    void onEvaluationChanged(const QJsonObject &report);
    // From the config file watcher: the file loaded (with its own listen address) or was refused.
    void onConfigFileLoaded(const Switchyard::ListenConfig &fileListen);
    void onConfigFileRejected(const QStringList &messages);

Q_SIGNALS:
    // Towards the engine.
    void replayRequested(const QString &id, const QByteArray &body, quint64 ticket);
    void routeTestRequested(const QString &alias, quint64 ticket);
    void routeExplanationRequested(const QString &model, quint64 ticket);
    void configSaveRequested(const Switchyard::Config &config, quint64 ticket);
    void configHistoryRequested(quint64 ticket);
    void configRestoreRequested(int version, quint64 ticket);
    void evaluationEstimateRequested(const QString &baseline, const QJsonObject &alias, quint64 ticket);
    void evaluationStartRequested(const QString &baseline, const QJsonObject &alias, quint64 ticket);
    void evaluationCancelRequested(const QString &id);
    void keyReloadRequested();

    // Towards the views.
    void listening(const QString &url);
    void configChanged(const Switchyard::Config &config);
    void callsStarted(const QList<Switchyard::CallRecord> &records); // in flight, without bodies
    void callsArrived(const QList<Switchyard::CallRecord> &records);
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);
    void routeExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void configSaved(quint64 ticket, const QStringList &errors);
    void configHistoryListed(quint64 ticket, const QList<Switchyard::ConfigVersion> &versions);
    void evaluationEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors);
    void evaluationStarted(quint64 ticket, const QString &id, const QStringList &errors);
    void evaluationChanged(const QJsonObject &report);
    void configFileProblemsChanged(const QStringList &messages);

private:
    void setFileProblems(const QStringList &messages);

    LogReader *m_reader;
    Config m_config;
    QString m_url;
    std::optional<ListenConfig> m_fileListen;
    bool m_remote = false;
    QStringList m_fileProblems;
    quint64 m_nextTicket = 1;
};

} // namespace Switchyard
