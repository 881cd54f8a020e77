// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/SessionKey.h"
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// A session id inside a JSON string field ("{\"session_id\":\"…\"}"), as Claude Code's
// metadata.user_id and Codex's turn metadata carry it.
QString sessionInside(const QJsonValue &value)
{
    const QJsonObject o = value.isString() ? QJsonDocument::fromJson(value.toString().toUtf8()).object() : value.toObject();
    return o.value("session_id"_L1).toString();
}

} // namespace

namespace {
constexpr const char *SessionHeaders[] = {"x-claude-code-session-id", "session-id", "thread-id", "x-session-id"};
} // namespace

QByteArray SessionKey::headerId(const HttpHeaders &headers)
{
    for (const char *header : SessionHeaders) {
        const QByteArray value = headers.value(header);
        if (!value.isEmpty() && value != "***")
            return value;
    }
    return QByteArray();
}

std::optional<SessionKey> SessionKey::of(const CallRecord &r)
{
    for (const char *header : SessionHeaders) {
        const QByteArray value = r.requestHeaders.value(header);
        if (!value.isEmpty() && value != "***")
            return SessionKey{QString::fromUtf8(value), QString::fromLatin1(header)};
    }
    const QJsonObject body = QJsonDocument::fromJson(r.requestBody).object();
    if (const QString id = sessionInside(body.value("metadata"_L1).toObject().value("user_id"_L1)); !id.isEmpty())
        return SessionKey{id, u"metadata.user_id"_s};
    const QJsonObject client = body.value("client_metadata"_L1).toObject();
    for (auto it = client.constBegin(); it != client.constEnd(); ++it) {
        if (const QString id = sessionInside(it.value()); !id.isEmpty())
            return SessionKey{id, u"client_metadata"_s};
    }
    for (const auto key : {"prompt_cache_key"_L1, "user"_L1, "safety_identifier"_L1}) {
        const QString id = body.value(key).toString();
        if (!id.isEmpty())
            return SessionKey{id, key};
    }
    return std::nullopt;
}

} // namespace Switchyard
