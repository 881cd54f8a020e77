// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include "core/util/Result.h"

namespace Switchyard {

// Stats rows as CSV for spreadsheets and scripts: a header row naming the group-by column,
// then one line per bucket and group, oldest first, with ISO 8601 UTC times and dot decimals.
class StatsCsvWriter final
{
public:
    static QByteArray toCsv(const QList<StatsRow> &rows, const StatsQuery &query);
    static Result<bool> write(const QString &path, const QList<StatsRow> &rows, const StatsQuery &query);
};

} // namespace Switchyard
