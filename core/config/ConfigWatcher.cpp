// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigWatcher.h"
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include <QFile>
#include <QFileInfo>

namespace Switchyard {

namespace {
QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

ConfigWatcher::ConfigWatcher(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_lastContent(readFile(m_path))
    , m_watcher(this)
    , m_settle(this)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ConfigWatcher::reload);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigWatcher::scheduleReload);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigWatcher::scheduleReload);
    watch();
}

void ConfigWatcher::watch()
{
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
}

void ConfigWatcher::scheduleReload()
{
    m_settle.start();
}

void ConfigWatcher::reload()
{
    watch(); // a replaced file is a new inode: watch it again
    const QByteArray content = readFile(m_path);
    if (content == m_lastContent || !QFileInfo::exists(m_path))
        return;
    m_lastContent = content;
    const Result<Config, QStringList> loaded = ConfigFile::load(m_path);
    if (loaded)
        Q_EMIT configChanged(loaded.value());
    else
        Q_EMIT configRejected(loaded.error());
}

} // namespace Switchyard
