// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace Switchyard {

QString ConfigFile::defaultPath()
{
    // GenericConfigLocation is $XDG_CONFIG_HOME (or ~/.config) on Linux.
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
           + QStringLiteral("/switchyard/config.json");
}

QByteArray ConfigFile::defaultJson()
{
    QFile file(QStringLiteral(":/switchyard/default-config.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("the default config is missing from the resources");
    return file.readAll();
}

Result<Config, QStringList> ConfigFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringList{path + QStringLiteral(": cannot read: ") + file.errorString()};
    Result<Config, QStringList> parsed = ConfigParser::parse(file.readAll());
    if (parsed)
        return parsed;
    QStringList messages;
    for (const QString &message : parsed.error())
        messages.append(path + QStringLiteral(": ") + message);
    return messages;
}

Result<Config, QStringList> ConfigFile::loadOrCreate(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        const Result<bool> written = save(path, defaultJson());
        if (!written)
            return QStringList{written.error().message};
    }
    return load(path);
}

Result<bool> ConfigFile::save(const QString &path, const QByteArray &json)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Error{path + QStringLiteral(": cannot create the directory ") + info.absolutePath()};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{path + QStringLiteral(": cannot write: ") + file.errorString()};
    // Keys may be in the file: readable by the owner only.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(json);
    if (!file.commit())
        return Error{path + QStringLiteral(": cannot write: ") + file.errorString()};
    return true;
}

} // namespace Switchyard
