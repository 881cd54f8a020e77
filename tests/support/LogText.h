// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/BaselineStore.h"
#include "core/log/LogQueries.h"
#include "core/log/SessionQueries.h"

namespace Switchyard::Test {

// What the log answers, as text a test compares, one field per line so that a difference
// reads as a diff: two readers of the same log (a file and a remote gateway, SQLite and
// PostgreSQL) must answer alike.
QString describe(const CallRecord &record, bool bodies);
QString describe(const QList<CallRecord> &records, bool bodies = false);
QString describe(const QList<StatsRow> &rows);
QString describe(const QList<SessionSummary> &sessions);
QString describe(const QList<BaselineInfo> &baselines);

} // namespace Switchyard::Test
