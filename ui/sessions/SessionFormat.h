// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/sessions/CacheDoctor.h"
#include <QColor>
#include <QString>

namespace Switchyard {

// How the Sessions view writes its numbers and verdicts, shared by its models and its chart.
namespace SessionFormat {
QString shortId(const QString &id);          // long ids cut to their first characters
QString client(const QString &process, const QString &userAgent);
QString time(qint64 ms);                     // local "HH:mm:ss" today, else with the date
QString tokens(qint64 count);                // "12.3k"
QString money(double usd);                   // "$0.0123"
QString verdictText(CacheDoctor::Verdict verdict); // "hit", "expired", …, for a person
QColor verdictColour(CacheDoctor::Verdict verdict);  // green for a hit, red for a miss, grey otherwise
} // namespace SessionFormat

} // namespace Switchyard
