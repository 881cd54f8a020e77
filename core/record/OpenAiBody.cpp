// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/record/OpenAiBody.h"
#include "core/json/JsonReader.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace Switchyard {

namespace {

// A JSON string's text (quotes included) as a QString; plain strings without a tree.
QString stringValue(QByteArrayView text)
{
    if (!text.contains('\\'))
        return QString::fromUtf8(text.sliced(1, text.size() - 2));
    return QJsonDocument::fromJson("[" + text.toByteArray() + "]").array().at(0).toString();
}

QByteArray quoted(const QString &s)
{
    return QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

} // namespace

Result<OpenAiBody> OpenAiBody::parse(const QByteArray &body)
{
    QList<std::optional<JsonSpan>> spans;
    const JsonReader::Kind kind = JsonReader::check(body);
    if (kind == JsonReader::Kind::Invalid) {
        // Rare: Qt's parser names what is wrong and where. Should it accept what simdjson
        // refused, the body is read the slow way rather than refused.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError)
            return Error{QStringLiteral("the request body is not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset)};
        if (!doc.isObject())
            return Error{QStringLiteral("the request body must be a JSON object")};
        spans = {JsonSpan::find(body, "model"), JsonSpan::find(body, "stream"), JsonSpan::find(body, "stream_options")};
    } else if (kind != JsonReader::Kind::Object) {
        return Error{QStringLiteral("the request body must be a JSON object")};
    } else {
        spans = JsonReader::members(body, {"model", "stream", "stream_options"});
    }
    const QByteArrayView model = spans[0] ? JsonReader::text(body, *spans[0]) : QByteArrayView();
    if (!model.startsWith('"') || model.size() <= 2)
        return Error{QStringLiteral("\"model\" is required: an alias such as \"general\", or \"provider/model\"")};
    const QByteArrayView stream = spans[1] ? JsonReader::text(body, *spans[1]) : QByteArrayView("null");
    if (stream != "null" && stream != "true" && stream != "false")
        return Error{QStringLiteral("\"stream\" must be true or false")};

    OpenAiBody result;
    result.m_raw = body;
    result.m_model = stringValue(model);
    result.m_modelSpan = *spans[0];
    result.m_stream = stream == "true";
    result.m_streamOptionsSpan = spans[2];
    const QByteArrayView options = spans[2] ? JsonReader::text(body, *spans[2]) : QByteArrayView();
    result.m_hasStreamOptions = options.startsWith('{');
    if (result.m_hasStreamOptions) {
        const QByteArray object = options.toByteArray();
        const auto includeUsage = JsonReader::members(object, {"include_usage"}).constFirst();
        result.m_clientWantsUsage = includeUsage && JsonReader::text(object, *includeUsage) == "true";
    }
    return result;
}

const QJsonObject &OpenAiBody::object() const
{
    if (!m_object)
        m_object = std::make_shared<const QJsonObject>(QJsonDocument::fromJson(m_raw).object());
    return *m_object;
}

QByteArray OpenAiBody::withModel(const QString &upstreamModel) const
{
    return JsonSpan::replaced(m_raw, m_modelSpan, quoted(upstreamModel));
}

QByteArray OpenAiBody::forUpstream(const QString &upstreamModel) const
{
    // Edits from the end of the body backwards, so the spans before an edit stay where they are.
    QList<std::pair<JsonSpan, QByteArray>> edits{{m_modelSpan, quoted(upstreamModel)}};
    bool addOptions = false;
    if (m_stream && !m_clientWantsUsage) {
        // Ask for usage so streams are priced; the extra chunk is not passed on.
        // Merge into the client's object, or replace its null: a second "stream_options"
        // member would leave it to the upstream's parser which one counts.
        const auto &span = m_streamOptionsSpan;
        if (span && (m_hasStreamOptions || JsonReader::text(m_raw, *span) == "null")) {
            QJsonObject options = QJsonDocument::fromJson(m_raw.mid(span->offset, span->length)).object();
            options.insert(QStringLiteral("include_usage"), true);
            edits.append({*span, QJsonDocument(options).toJson(QJsonDocument::Compact)});
        } else if (!span) {
            addOptions = true;
        }
    }
    std::sort(edits.begin(), edits.end(), [](const auto &a, const auto &b) { return a.first.offset > b.first.offset; });
    QByteArray out = m_raw;
    for (const auto &[span, value] : edits)
        out = JsonSpan::replaced(out, span, value);
    if (addOptions)
        out = JsonSpan::withMember(out, "stream_options", QByteArrayLiteral(R"({"include_usage":true})"));
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
    const QJsonValue reasoning = usage.value(QLatin1String("completion_tokens_details")).toObject().value(QLatin1String("reasoning_tokens"));
    if (reasoning.isDouble())
        u.reasoningTokens = reasoning.toInteger();
    return u;
}

} // namespace Switchyard
