// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include "core/record/CallRecord.h"
#include <QJsonObject>

namespace Switchyard::RecordJson {

// A call as the admin API gives it back as a record: an item of /api/requests or
// /api/events (no bodies), or /api/requests/{id} (with bodies, headers and what each attempt
// sent upstream). The inverse of RequestJson::summary and ::detail, for a window attached to
// a remote gateway. Headers come back with one value per name (the API joins repeats).
CallRecord fromJson(const QJsonObject &item);

// A row of /api/stats (RequestJson::statsRow), with its latency histogram when the API sent one.
StatsRow statsRowFromJson(const QJsonObject &row);

} // namespace Switchyard::RecordJson
