// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <QStringList>

namespace Switchyard {

// The config file on disk: where it lives, loading with "FILE: path: problem" messages,
// writing the default on first start, and atomic saves that never leave a half-written file.
class ConfigFile final
{
public:
    static QString defaultPath();
    static QByteArray defaultJson();

    // Errors come back prefixed with the path as given.
    static Result<Config, QStringList> load(const QString &path);
    // Like load(), but a missing file is first created with the default config.
    static Result<Config, QStringList> loadOrCreate(const QString &path);
    static Result<bool> save(const QString &path, const QByteArray &json);
};

} // namespace Switchyard
