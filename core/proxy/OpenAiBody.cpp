// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/OpenAiBody.h"
#include "core/json/JsonSpan.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

Result<OpenAiBody> OpenAiBody::parse(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{QStringLiteral("the request body is not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset)};
    if (!doc.isObject())
        return Error{QStringLiteral("the request body must be a JSON object")};
    const QJsonObject o = doc.object();
    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return Error{QStringLiteral("\"model\" is required: an alias such as \"general\", or \"provider/model\"")};
    const QJsonValue stream = o.value(QLatin1String("stream"));
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool())
        return Error{QStringLiteral("\"stream\" must be true or false")};

    OpenAiBody result;
    result.m_raw = body;
    result.m_model = model.toString();
    result.m_stream = stream.toBool(false);
    const QJsonValue options = o.value(QLatin1String("stream_options"));
    result.m_hasStreamOptions = options.isObject();
    result.m_clientWantsUsage = options.toObject().value(QLatin1String("include_usage")).toBool(false);
    return result;
}

QByteArray OpenAiBody::forUpstream(const QString &upstreamModel) const
{
    const QByteArray model = QJsonDocument(QJsonArray{upstreamModel}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    QByteArray out = m_raw;
    if (const auto span = JsonSpan::find(out, "model"))
        out = JsonSpan::replaced(out, *span, model);
    if (m_stream && !m_clientWantsUsage) {
        // Ask for usage so streams are priced; the extra chunk is not passed on.
        // Merge into the client's object, or replace its null: a second "stream_options"
        // member would leave it to the upstream's parser which one counts.
        const auto span = JsonSpan::find(out, "stream_options");
        if (span && (m_hasStreamOptions || out.mid(span->offset, span->length) == "null")) {
            QJsonObject options = QJsonDocument::fromJson(out.mid(span->offset, span->length)).object();
            options.insert(QStringLiteral("include_usage"), true);
            out = JsonSpan::replaced(out, *span, QJsonDocument(options).toJson(QJsonDocument::Compact));
        } else if (!span) {
            out = JsonSpan::withMember(out, "stream_options", QByteArrayLiteral(R"({"include_usage":true})"));
        }
    }
    return out;
}

Usage OpenAiBody::usageFrom(const QJsonObject &usage)
{
    Usage u;
    if (usage.contains(QLatin1String("prompt_tokens")))
        u.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInteger();
    if (usage.contains(QLatin1String("completion_tokens")))
        u.completionTokens = usage.value(QLatin1String("completion_tokens")).toInteger();
    const QJsonValue cached = usage.value(QLatin1String("prompt_tokens_details")).toObject().value(QLatin1String("cached_tokens"));
    if (cached.isDouble())
        u.cachedPromptTokens = cached.toInteger();
    return u;
}

} // namespace Switchyard
