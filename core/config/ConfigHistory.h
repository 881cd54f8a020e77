// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <optional>

namespace Switchyard {

// One config that took effect: when, from where (the window, the admin API and who called it,
// the config file, the start), and the config as the file would hold it with every key
// masked. Keys never reach the history in clear; a restore keeps the keys in force.
struct ConfigVersion
{
    int number = 0; // 1, 2, 3… in the order they took effect
    QDateTime at;
    QString source; // "start", "file", "window", "admin API", "restore of version N"
    QString client; // who, when known (the admin API's caller)
    QByteArray config;
};

// Every config that takes effect, kept as a version in a JSON-lines file (one version per
// line, appended; a torn last line from a crash is skipped). A config equal to the latest
// version is not kept again. The newest MaxVersions are kept: older lines are dropped when
// the file is rewritten on the next append past the bound.
class ConfigHistory final
{
public:
    static constexpr int MaxVersions = 1000;

    // An empty path keeps the history in memory only.
    explicit ConfigHistory(QString path = QString());

    // The version number the config got (or already had, when unchanged), or why the file
    // could not be written (the version is still kept in memory).
    Result<int> record(const Config &config, const QString &source, const QString &client = QString());
    // Oldest first.
    const QList<ConfigVersion> &versions();
    std::optional<ConfigVersion> version(int number);

private:
    void load();
    Result<bool> append(const ConfigVersion &version);
    Result<bool> rewrite();

    QString m_path;
    QList<ConfigVersion> m_versions;
    bool m_loaded = false;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::ConfigVersion)
