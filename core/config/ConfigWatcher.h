// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace Switchyard {

// Watches the config file and reloads it when it changes on disk (editors and atomic saves
// replace the file, so the directory is watched too). A valid file is announced with
// configChanged(); a broken one with configRejected() and the previous config stays.
class ConfigWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit ConfigWatcher(const QString &path, QObject *parent = nullptr);

    static constexpr int SettleMs = 200; // editors write in several steps

Q_SIGNALS:
    void configChanged(const Switchyard::Config &config);
    void configRejected(const QStringList &messages);

private:
    void scheduleReload();
    void reload();
    void watch();

    QString m_path;
    QByteArray m_lastContent;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
};

} // namespace Switchyard
