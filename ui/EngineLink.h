// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/proxy/CallRecord.h"
#include <QJsonObject>
#include <QObject>

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
    const Config &config() const { return m_config; }
    QString listeningUrl() const { return m_url; }

    // Each returns the ticket its answer will carry.
    quint64 requestReplay(const QString &id, const QByteArray &replacementBody = QByteArray());
    quint64 requestRouteTest(const QString &alias);
    quint64 requestRouteExplanation(const QString &model);
    quint64 requestConfigSave(const Config &config);

public Q_SLOTS:
    // The engine reads the keychain keys again (one was just stored).
    void requestKeyReload();

public Q_SLOTS:
    void onStarted(const QString &url);
    void onConfigApplied(const Switchyard::Config &config);
    void onCallsFinished(const QList<Switchyard::CallRecord> &records);
    void onReplayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void onRouteTested(quint64 ticket, const Switchyard::CallRecord &record);
    void onRouteExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void onConfigSaved(quint64 ticket, const QStringList &errors);

Q_SIGNALS:
    // Towards the engine.
    void replayRequested(const QString &id, const QByteArray &body, quint64 ticket);
    void routeTestRequested(const QString &alias, quint64 ticket);
    void routeExplanationRequested(const QString &model, quint64 ticket);
    void configSaveRequested(const Switchyard::Config &config, quint64 ticket);
    void keyReloadRequested();

    // Towards the views.
    void listening(const QString &url);
    void configChanged(const Switchyard::Config &config);
    void callsArrived(const QList<Switchyard::CallRecord> &records);
    void replayFinished(quint64 ticket, const Switchyard::CallRecord &record, const QString &error);
    void routeTested(quint64 ticket, const Switchyard::CallRecord &record);
    void routeExplained(quint64 ticket, const QJsonObject &plan, const QString &error);
    void configSaved(quint64 ticket, const QStringList &errors);

private:
    LogReader *m_reader;
    Config m_config;
    QString m_url;
    quint64 m_nextTicket = 1;
};

} // namespace Switchyard
