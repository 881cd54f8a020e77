// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/DialectMapping.h"
#include "core/json/JsonWriter.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard::DialectMapping {

using namespace Qt::Literals::StringLiterals;

namespace {

// The image types Anthropic accepts as base64 sources.
bool isAnthropicImageType(const QString &mediaType)
{
    return mediaType == "image/jpeg"_L1 || mediaType == "image/png"_L1 || mediaType == "image/gif"_L1
           || mediaType == "image/webp"_L1;
}

} // namespace

QString finishReasonFor(const QString &stopReason)
{
    if (stopReason == "max_tokens"_L1 || stopReason == "model_context_window_exceeded"_L1)
        return u"length"_s;
    if (stopReason == "tool_use"_L1)
        return u"tool_calls"_s;
    if (stopReason == "refusal"_L1)
        return u"content_filter"_s;
    return u"stop"_s;
}

QString stopReasonFor(const QString &finishReason)
{
    if (finishReason == "length"_L1)
        return u"max_tokens"_s;
    if (finishReason == "tool_calls"_L1 || finishReason == "function_call"_L1)
        return u"tool_use"_s;
    if (finishReason == "content_filter"_L1)
        return u"refusal"_s;
    return u"end_turn"_s;
}

Usage usageFromAnthropic(const QJsonObject &usage)
{
    Usage u;
    const qint64 input = usage.value("input_tokens"_L1).toInteger();
    const qint64 cacheRead = usage.value("cache_read_input_tokens"_L1).toInteger();
    const qint64 cacheWrite = usage.value("cache_creation_input_tokens"_L1).toInteger();
    if (usage.value("input_tokens"_L1).isDouble())
        u.promptTokens = input + cacheRead + cacheWrite;
    if (usage.value("output_tokens"_L1).isDouble())
        u.completionTokens = usage.value("output_tokens"_L1).toInteger();
    if (usage.value("cache_read_input_tokens"_L1).isDouble())
        u.cachedPromptTokens = cacheRead;
    // cache_creation splits the writes by lifetime; without it they are all 5-minute writes.
    const QJsonObject creation = usage.value("cache_creation"_L1).toObject();
    const qint64 oneHour = creation.value("ephemeral_1h_input_tokens"_L1).toInteger();
    if (usage.value("cache_creation_input_tokens"_L1).isDouble()) {
        u.cacheWriteTokens = cacheWrite - oneHour;
        if (oneHour > 0)
            u.cacheWrite1hTokens = oneHour;
    }
    return u;
}

QJsonObject openAiUsage(const Usage &usage)
{
    const qint64 prompt = usage.promptTokens.value_or(0);
    const qint64 completion = usage.completionTokens.value_or(0);
    return QJsonObject{
        {u"prompt_tokens"_s, prompt},
        {u"completion_tokens"_s, completion},
        {u"total_tokens"_s, prompt + completion},
        {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, usage.cachedPromptTokens.value_or(0)}}}};
}

QJsonObject anthropicUsage(const Usage &usage)
{
    const qint64 cached = usage.cachedPromptTokens.value_or(0);
    return QJsonObject{{u"input_tokens"_s, qMax<qint64>(0, usage.promptTokens.value_or(0) - cached)},
                       {u"output_tokens"_s, usage.completionTokens.value_or(0)},
                       {u"cache_read_input_tokens"_s, cached},
                       {u"cache_creation_input_tokens"_s, 0}};
}

Result<QJsonObject> anthropicImage(const QJsonObject &imageUrl, const QString &field)
{
    const QString url = imageUrl.value("url"_L1).toString();
    if (url.startsWith("http://"_L1) || url.startsWith("https://"_L1)) {
        const QJsonObject source{{u"type"_s, u"url"_s}, {u"url"_s, url}};
        return QJsonObject{{u"type"_s, u"image"_s}, {u"source"_s, source}};
    }
    if (!url.startsWith("data:"_L1))
        return untranslatable(field, u"an image must be a data: URL or an http(s) URL"_s);
    const qsizetype comma = url.indexOf(u',');
    const QString header = url.mid(5, comma - 5); // "image/png;base64"
    const QString mediaType = header.section(u';', 0, 0);
    if (comma < 0 || !header.endsWith(";base64"_L1))
        return untranslatable(field, u"Anthropic takes base64 images; this data: URL is not base64"_s);
    if (!isAnthropicImageType(mediaType))
        return untranslatable(
            field, u"Anthropic takes JPEG, PNG, GIF or WebP images; %1 cannot be translated"_s.arg(mediaType));
    const QJsonObject source{{u"type"_s, u"base64"_s}, {u"media_type"_s, mediaType}, {u"data"_s, url.mid(comma + 1)}};
    return QJsonObject{{u"type"_s, u"image"_s}, {u"source"_s, source}};
}

Result<QJsonObject> openAiImagePart(const QJsonObject &image, const QString &field)
{
    const QJsonObject source = image.value("source"_L1).toObject();
    const QString type = source.value("type"_L1).toString();
    QString url;
    if (type == "base64"_L1)
        url =
            "data:"_L1 + source.value("media_type"_L1).toString() + ";base64,"_L1 + source.value("data"_L1).toString();
    else if (type == "url"_L1)
        url = source.value("url"_L1).toString();
    else
        return untranslatable(field, u"image source type \"%1\" has no OpenAI equivalent"_s.arg(type));
    return QJsonObject{{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject{{u"url"_s, url}}}};
}

Result<QJsonObject> anthropicToolUse(const QJsonObject &toolCall, const QString &field)
{
    if (toolCall.value("type"_L1).toString(u"function"_s) != "function"_L1)
        return untranslatable(field + ".type"_L1, u"only function tool calls can be translated"_s);
    const QJsonObject function = toolCall.value("function"_L1).toObject();
    const QByteArray arguments = function.value("arguments"_L1).toString().toUtf8().trimmed();
    QJsonObject input;
    if (!arguments.isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(arguments, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return untranslatable(field + ".function.arguments"_L1,
                                  u"is not a JSON object, which an Anthropic tool_use input must be"_s);
        input = doc.object();
    }
    return QJsonObject{{u"type"_s, u"tool_use"_s},
                       {u"id"_s, toolCall.value("id"_L1)},
                       {u"name"_s, function.value("name"_L1)},
                       {u"input"_s, input}};
}

QJsonObject openAiToolCall(const QJsonObject &toolUse)
{
    const QString arguments =
        QString::fromUtf8(QJsonDocument(toolUse.value("input"_L1).toObject()).toJson(QJsonDocument::Compact));
    const QJsonObject function{{u"name"_s, toolUse.value("name"_L1)}, {u"arguments"_s, arguments}};
    return QJsonObject{{u"id"_s, toolUse.value("id"_L1)}, {u"type"_s, u"function"_s}, {u"function"_s, function}};
}

QJsonValue chatTextOrParts(const QJsonArray &parts)
{
    const QJsonObject first = parts.isEmpty() ? QJsonObject() : parts.first().toObject();
    return parts.size() == 1 && first.value("type"_L1) == "text"_L1 ? first.value("text"_L1) : QJsonValue(parts);
}

Error untranslatable(const QString &field, const QString &why)
{
    return Error{u"\"%1\": %2"_s.arg(field, why)};
}

QByteArray anthropicEvent(const QJsonObject &data)
{
    return "event: " + data.value("type"_L1).toString().toUtf8()
           + "\ndata: " + JsonWriter::compact(data) + "\n\n";
}

QByteArray openAiEvent(const QJsonObject &data)
{
    return "data: " + JsonWriter::compact(data) + "\n\n";
}

QByteArray openAiDone()
{
    return QByteArrayLiteral("data: [DONE]\n\n");
}

} // namespace Switchyard::DialectMapping
