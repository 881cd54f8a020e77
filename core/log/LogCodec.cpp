// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogCodec.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard::LogCodec {

QByteArray headersToJson(const HttpHeaders &headers)
{
    QJsonArray list;
    for (const auto &[name, value] : headers)
        list.append(QJsonArray{QString::fromLatin1(name), QString::fromUtf8(value)});
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

HttpHeaders headersFromJson(const QByteArray &json)
{
    HttpHeaders headers;
    const QJsonArray list = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &field : list) {
        const QJsonArray pair = field.toArray();
        headers.add(pair.at(0).toString().toLatin1(), pair.at(1).toString().toUtf8());
    }
    return headers;
}

QString clientName(const CallRecord &record)
{
    if (!record.clientProcess.isEmpty())
        return record.clientProcess;
    // "OpenAI/Python 1.40.0" → "OpenAI/Python"; "curl/8.1" → "curl"
    const QString ua = record.client.section(QLatin1Char(' '), 0, 0);
    return ua.count(QLatin1Char('/')) >= 2 || ua.startsWith(QLatin1String("OpenAI/")) ? ua.section(QLatin1Char('/'), 0, 1)
                                                                                      : ua.section(QLatin1Char('/'), 0, 0);
}

} // namespace Switchyard::LogCodec
