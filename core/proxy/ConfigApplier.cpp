// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ConfigApplier.h"
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/log/PostgresLocation.h"
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

Result<Config, QStringList> ConfigApplier::replace(const QByteArray &json, const Config &inForce) const
{
    const QString name = m_configPath.isEmpty() ? QStringLiteral("config") : m_configPath;
    Result<Config, QStringList> parsed = ConfigParser::parse(json);
    if (!parsed) {
        QStringList messages;
        for (const QString &m : parsed.error())
            messages << name + QStringLiteral(": ") + m;
        return messages;
    }
    Config config = parsed.value();
    // "***" is what GET /api/config shows for a key: keep the key in force.
    for (ProviderConfig &p : config.providers) {
        if (p.apiKey == ConfigWriter::MaskedKey)
            p.apiKey = inForce.provider(p.name) ? inForce.provider(p.name)->apiKey : QString();
    }
    if (config.listen.token == ConfigWriter::MaskedKey)
        config.listen.token = inForce.listen.token;
    // The log's address as shown, password masked: the one in force, password included.
    if (!inForce.log.database.isEmpty() && config.log.database == PostgresLocation::redacted(inForce.log.database))
        config.log.database = inForce.log.database;
    for (auto &[name, value] : config.telemetry.headers) {
        if (value != ConfigWriter::MaskedKey)
            continue;
        for (const auto &[oldName, oldValue] : inForce.telemetry.headers) {
            if (oldName == name)
                value = oldValue;
        }
    }
    if (!m_configPath.isEmpty()) {
        const Result<bool> saved = ConfigFile::save(m_configPath, ConfigWriter::toBytes(config, ConfigWriter::Keys::Clear));
        if (!saved)
            return QStringList{saved.error().message};
    }
    // The listen address in use changes only with a restart.
    config.listen.host = inForce.listen.host;
    config.listen.port = inForce.listen.port;
    m_apply(config);
    return config;
}

QStringList ConfigApplier::save(const Config &config, const Config &inForce) const
{
    Config toSave = config;
    // The window edits the config in use, whose address may come from --host/--port: the
    // file keeps its own address unless the window changed it.
    if (!m_configPath.isEmpty() && toSave.listen.host == inForce.listen.host && toSave.listen.port == inForce.listen.port) {
        const Result<Config, QStringList> onDisk = ConfigFile::load(m_configPath);
        if (onDisk) {
            toSave.listen.host = onDisk.value().listen.host;
            toSave.listen.port = onDisk.value().listen.port;
        }
    }
    const Result<Config, QStringList> saved = replace(ConfigWriter::toBytes(toSave, ConfigWriter::Keys::Clear), inForce);
    return saved ? QStringList() : saved.error();
}

Result<Config, QStringList> ConfigApplier::restore(const QByteArray &version, const Config &inForce) const
{
    // A version holds the address in force then, which --host/--port may have set (even to
    // port 0, which no file may hold): the file keeps its own address, as with the window's save.
    QJsonObject o = QJsonDocument::fromJson(version).object();
    QJsonObject listen = o.value(QLatin1String("listen")).toObject();
    ListenConfig address = inForce.listen;
    if (!m_configPath.isEmpty()) {
        if (const Result<Config, QStringList> onDisk = ConfigFile::load(m_configPath))
            address = onDisk.value().listen;
    }
    listen.insert(QStringLiteral("host"), address.host);
    listen.insert(QStringLiteral("port"), address.port > 0 ? address.port : ListenConfig().port);
    o.insert(QStringLiteral("listen"), listen);
    return replace(QJsonDocument(o).toJson(), inForce);
}

} // namespace Switchyard
