// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/JsonErrors.h"
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard::JsonErrors {

QString openAiType(int status)
{
    switch (status) {
    case 401: return QStringLiteral("authentication_error");
    case 403: return QStringLiteral("permission_error");
    case 404: return QStringLiteral("not_found_error");
    case 429: return QStringLiteral("rate_limit_error");
    default: break;
    }
    return status >= 500 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error");
}

QString anthropicType(int status)
{
    switch (status) {
    case 401: return QStringLiteral("authentication_error");
    case 403: return QStringLiteral("permission_error");
    case 404: return QStringLiteral("not_found_error");
    case 413: return QStringLiteral("request_too_large");
    case 429: return QStringLiteral("rate_limit_error");
    case 529: return QStringLiteral("overloaded_error");
    default: break;
    }
    return status >= 500 ? QStringLiteral("api_error") : QStringLiteral("invalid_request_error");
}

QByteArray openAi(int status, const QString &message, const QString &code)
{
    const QJsonObject error{{QStringLiteral("message"), message},
                            {QStringLiteral("type"), openAiType(status)},
                            {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

QByteArray anthropic(int status, const QString &message)
{
    const QJsonObject error{{QStringLiteral("type"), anthropicType(status)}, {QStringLiteral("message"), message}};
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

} // namespace Switchyard::JsonErrors
