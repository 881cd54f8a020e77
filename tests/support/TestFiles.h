// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QString>
#include <sys/types.h>

namespace Switchyard::Test {

// Small file helpers for tests that check what lands on disk.
mode_t fileMode(const QString &path); // permission bits, 0 when the file is missing
QByteArray readAll(const QString &path);
bool writeFile(const QString &path, const QByteArray &bytes);

} // namespace Switchyard::Test
