// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QJsonObject>

namespace Switchyard {

// The admin API's JSON for requests and stats; field names are a contract (PRODUCT.md).
namespace RequestJson {
QString timestamp(const QDateTime &utc); // ISO-8601 UTC with milliseconds
QJsonObject summary(const CallRecord &record);
// summary() plus bodies, headers and what each attempt sent upstream.
QJsonObject detail(const CallRecord &record);
QJsonObject statsRow(const StatsRow &row);
} // namespace RequestJson

} // namespace Switchyard
