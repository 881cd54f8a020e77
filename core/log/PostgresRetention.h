// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QString>

namespace Switchyard {

class BodyStore;

// Retention of a PostgreSQL log that several instances share: one instance at a time, under an
// advisory lock (an instance that finds it taken leaves the work to the one holding it). Bodies
// past log.body_retention_days go, then rows and roll-ups past log.retention_days, then the
// segments no kept body uses. log.max_db_mib is the SQLite file's cap and does not apply here.
class PostgresRetention final
{
public:
    static void apply(const QString &connectionName, const LogConfig &config, qint64 nowMs, BodyStore &bodyStore);
};

} // namespace Switchyard
