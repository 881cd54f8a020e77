// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/SessionQueries.h"
#include "core/pricing/PriceTable.h"
#include "core/sessions/SessionTimeline.h"
#include <QJsonObject>

namespace Switchyard {

// The admin API's JSON for agent sessions (GET /api/sessions, /api/sessions/{id}). Money lost
// to a miss is an estimate: the tokens the cache could have served, at the input price less the
// cache-read price of the model that answered.
namespace SessionJson {
QJsonObject summary(const SessionSummary &session, const PriceTable &prices);
QJsonObject detail(const QString &id, const QList<SessionTurnReport> &turns, const PriceTable &prices);
QJsonObject turn(const SessionTurnReport &turn, const PriceTable &prices);
std::optional<double> lostUsd(const PriceTable &prices, const QString &provider, const QString &model, qint64 missedTokens);
QString changeKindName(SegmentChange::Kind kind); // "added", "removed", "changed"
} // namespace SessionJson

} // namespace Switchyard
