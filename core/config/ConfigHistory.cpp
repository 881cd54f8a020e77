// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigHistory.h"
#include "core/config/ConfigWriter.h"
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Switchyard {

namespace {

QByteArray line(const ConfigVersion &v)
{
    const QJsonObject o{{QStringLiteral("n"), v.number},
                        {QStringLiteral("at"), v.at.toMSecsSinceEpoch()},
                        {QStringLiteral("source"), v.source},
                        {QStringLiteral("client"), v.client},
                        {QStringLiteral("config"), QString::fromUtf8(v.config)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<ConfigVersion> parseLine(const QByteArray &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    if (!o.value(QLatin1String("n")).isDouble() || !o.value(QLatin1String("config")).isString())
        return std::nullopt; // a torn line, or not ours
    ConfigVersion v;
    v.number = o.value(QLatin1String("n")).toInt();
    v.at = QDateTime::fromMSecsSinceEpoch(o.value(QLatin1String("at")).toInteger(), Qt::UTC);
    v.source = o.value(QLatin1String("source")).toString();
    v.client = o.value(QLatin1String("client")).toString();
    v.config = o.value(QLatin1String("config")).toString().toUtf8();
    return v;
}

} // namespace

ConfigHistory::ConfigHistory(QString path)
    : m_path(std::move(path))
{
}

void ConfigHistory::load()
{
    if (m_loaded)
        return;
    m_loaded = true;
    QFile file(m_path);
    if (m_path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return;
    while (!file.atEnd()) {
        if (const std::optional<ConfigVersion> v = parseLine(file.readLine()))
            m_versions.append(*v);
    }
}

const QList<ConfigVersion> &ConfigHistory::versions()
{
    load();
    return m_versions;
}

std::optional<ConfigVersion> ConfigHistory::version(int number)
{
    load();
    for (const ConfigVersion &v : std::as_const(m_versions))
        if (v.number == number)
            return v;
    return std::nullopt;
}

Result<int> ConfigHistory::record(const Config &config, const QString &source, const QString &client)
{
    load();
    const QByteArray bytes = ConfigWriter::toBytes(config, ConfigWriter::Keys::Masked);
    if (!m_versions.isEmpty() && m_versions.constLast().config == bytes)
        return m_versions.constLast().number;
    ConfigVersion v;
    v.number = m_versions.isEmpty() ? 1 : m_versions.constLast().number + 1;
    v.at = QDateTime::currentDateTimeUtc();
    v.source = source;
    v.client = client;
    v.config = bytes;
    m_versions.append(v);
    Result<bool> written = true;
    if (m_versions.size() > MaxVersions) {
        m_versions.remove(0, m_versions.size() - MaxVersions);
        written = rewrite();
    } else {
        written = append(v);
    }
    if (!written)
        return written.error();
    return v.number;
}

Result<bool> ConfigHistory::append(const ConfigVersion &version)
{
    if (m_path.isEmpty())
        return true;
    QFile file(m_path);
    if (!file.open(QIODevice::Append | QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write the config history %1: %2").arg(m_path, file.errorString())};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray bytes = line(version);
    if (file.write(bytes) != bytes.size() || !file.flush())
        return Error{QStringLiteral("cannot write the config history %1: %2").arg(m_path, file.errorString())};
    return true;
}

Result<bool> ConfigHistory::rewrite()
{
    if (m_path.isEmpty())
        return true;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write the config history %1: %2").arg(m_path, file.errorString())};
    for (const ConfigVersion &v : std::as_const(m_versions))
        file.write(line(v));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!file.commit())
        return Error{QStringLiteral("cannot write the config history %1: %2").arg(m_path, file.errorString())};
    return true;
}

} // namespace Switchyard
