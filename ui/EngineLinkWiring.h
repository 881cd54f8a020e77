// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/proxy/WindowGateway.h"
#include "ui/EngineLink.h"

namespace Switchyard {

// Connects the window's EngineLink to a gateway living on another thread, all queued: the
// in-process ProxyEngine, or a RemoteGateway speaking to another instance's admin API; the
// window cannot tell them apart.
inline void wireEngineLink(WindowGateway *gateway, EngineLink *link)
{
    using Gateway = WindowGateway;
    constexpr auto queued = Qt::QueuedConnection;
    QObject::connect(gateway, &Gateway::started, link, &EngineLink::onStarted, queued);
    QObject::connect(gateway, &Gateway::configApplied, link, &EngineLink::onConfigApplied, queued);
    QObject::connect(gateway, &Gateway::callsStarted, link, &EngineLink::onCallsStarted, queued);
    QObject::connect(gateway, &Gateway::callsFinished, link, &EngineLink::onCallsFinished, queued);
    QObject::connect(gateway, &Gateway::replayFinished, link, &EngineLink::onReplayFinished, queued);
    QObject::connect(gateway, &Gateway::routeTested, link, &EngineLink::onRouteTested, queued);
    QObject::connect(gateway, &Gateway::routeExplained, link, &EngineLink::onRouteExplained, queued);
    QObject::connect(gateway, &Gateway::configSaved, link, &EngineLink::onConfigSaved, queued);
    QObject::connect(gateway, &Gateway::configHistoryListed, link, &EngineLink::onConfigHistoryListed, queued);
    QObject::connect(gateway, &Gateway::evaluationEstimated, link, &EngineLink::onEvaluationEstimated, queued);
    QObject::connect(gateway, &Gateway::evaluationStarted, link, &EngineLink::onEvaluationStarted, queued);
    QObject::connect(gateway, &Gateway::evaluationChanged, link, &EngineLink::onEvaluationChanged, queued);
    QObject::connect(link, &EngineLink::replayRequested, gateway, &Gateway::replayRequest, queued);
    QObject::connect(link, &EngineLink::routeTestRequested, gateway, &Gateway::testRoute, queued);
    QObject::connect(link, &EngineLink::routeExplanationRequested, gateway, &Gateway::explainRoute, queued);
    QObject::connect(link, &EngineLink::configSaveRequested, gateway, &Gateway::saveConfig, queued);
    QObject::connect(link, &EngineLink::configHistoryRequested, gateway, &Gateway::listConfigHistory, queued);
    QObject::connect(link, &EngineLink::configRestoreRequested, gateway, &Gateway::restoreConfigVersion, queued);
    QObject::connect(link, &EngineLink::evaluationEstimateRequested, gateway, &Gateway::estimateEvaluation, queued);
    QObject::connect(link, &EngineLink::evaluationStartRequested, gateway, &Gateway::startEvaluation, queued);
    QObject::connect(link, &EngineLink::evaluationCancelRequested, gateway, &Gateway::cancelEvaluation, queued);
    QObject::connect(link, &EngineLink::keyReloadRequested, gateway, &Gateway::reloadKeys, queued);
}

} // namespace Switchyard
