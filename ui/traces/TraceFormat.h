// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QColor>
#include <QIcon>
#include <QString>

namespace Switchyard {

// How the Traces view writes durations, costs, times and outcomes, in one place.
namespace TraceFormat {
QString duration(qint64 ms);                  // "850 ms", "1.23 s", "2 m 05 s"
QString cost(double usd);                     // "$0.0123", "$1.25", "<$0.0001"; never "$0" for a tiny cost
QString timeOfDay(const QDateTime &utc);      // today "14:03:21.482", else "May 03 14:03:21"
QString target(const QString &provider, const QString &model);
// The target that answered; for a call no target took ("unknown_model"), the model the client
// asked for: "gpt-9 (not routed)".
QString callTarget(const CallRecord &record);
// One name per tool whether or not its process was found: the process ("curl"), else the
// product of the user-agent ("curl" from "curl/7.88.1"); replays say so ("replay · curl").
QString clientName(const CallRecord &record);
// "Replay of …", the process and pid (when known), the project (withProject), the user-agent; a line each.
QString clientDetail(const CallRecord &record, bool withProject = true);
QString attemptOutcome(const Attempt &attempt); // "503 upstream_5xx", "200", "connect_failed"
QString tokens(const Usage &usage);             // "6,234 → 512" (prompt → completion)
QString tokensInDetail(const Usage &usage);     // "6,234 prompt (3,117 cached) → 512 completion"
QIcon statusIcon(bool ok);                    // a green or red dot
QColor okColour();
QColor errorColour();
QColor mutedColour();
} // namespace TraceFormat

} // namespace Switchyard
