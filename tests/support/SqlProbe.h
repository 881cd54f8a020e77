// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QVariant>

namespace Switchyard::Test {

// The first column of the first row `sql` gives on the SQLite file at `path`, read through a
// connection of its own (read-only), or an invalid QVariant when the file or query fails.
// For tests that check what the log writer left on disk.
QVariant sqlValue(const QString &path, const QString &sql);

} // namespace Switchyard::Test
