// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <functional>

namespace Switchyard {

// Turns a config from PUT /api/config or the window into the config in force, all or nothing:
// validated, masked keys ("***") kept as they are, written to the file atomically, the listen
// address in use kept (it changes only with a restart), then applied.
class ConfigApplier final
{
public:
    using Apply = std::function<void(const Config &)>;

    explicit ConfigApplier(Apply apply)
        : m_apply(std::move(apply))
    {
    }
    // Where configs are saved (empty: applied, not saved).
    void setConfigPath(const QString &path) { m_configPath = path; }

    // Errors name the file and the JSON path, as the CLI gives them.
    Result<Config, QStringList> replace(const QByteArray &json, const Config &inForce) const;
    // The window's save: the file keeps its own listen address unless the window changed it.
    QStringList save(const Config &config, const Config &inForce) const;
    // A version of the config history (keys masked) made the config in force again, with the
    // keys in force and the file's own listen address.
    Result<Config, QStringList> restore(const QByteArray &version, const Config &inForce) const;

private:
    Apply m_apply;
    QString m_configPath;
};

} // namespace Switchyard
