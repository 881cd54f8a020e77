// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/MessagesToChat.h"
#include "core/dialect/DialectMapping.h"
#include <QJsonArray>
#include <optional>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

// Anthropic fields read below, and fields dropped because losing them changes no answer.
const QStringList s_handled{u"model"_s,       u"messages"_s,    u"system"_s,         u"max_tokens"_s,
                            u"temperature"_s, u"top_p"_s,       u"stop_sequences"_s, u"stream"_s,
                            u"tools"_s,       u"tool_choice"_s, u"metadata"_s};
const QStringList s_dropped{u"service_tier"_s, u"anthropic_version"_s};

std::optional<Error> checkFields(const QJsonObject &request)
{
    for (auto it = request.constBegin(); it != request.constEnd(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (v.isNull() || s_handled.contains(key) || s_dropped.contains(key))
            continue;
        if (key == "top_k"_L1)
            return untranslatable(key, u"OpenAI chat has no top_k; %1 cannot be translated"_s.arg(v.toInteger()));
        if (key == "thinking"_L1) {
            if (v.toObject().value("type"_L1) != "disabled"_L1)
                return untranslatable(key, u"extended thinking cannot be translated to OpenAI chat"_s);
            continue;
        }
        return untranslatable(key, u"has no OpenAI Chat Completions equivalent and cannot be translated"_s);
    }
    return std::nullopt;
}

QJsonObject textPart(const QString &text)
{
    return QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

// Text blocks (system prompt, tool result) → text parts.
Result<QJsonArray> textParts(const QJsonValue &content, const QString &field, const QString &why)
{
    QJsonArray parts;
    if (content.isString())
        parts.append(textPart(content.toString()));
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        if (block.value("type"_L1) != "text"_L1)
            return untranslatable(u"%1[%2]"_s.arg(field).arg(i), why.arg(block.value("type"_L1).toString()));
        parts.append(textPart(block.value("text"_L1).toString()));
    }
    return parts;
}

Result<QJsonObject> toolMessage(const QJsonObject &result, const QString &field)
{
    auto parts = textParts(result.value("content"_L1), field + ".content"_L1,
                           u"OpenAI tool messages take text only; blocks of type \"%1\" cannot be translated"_s);
    if (!parts)
        return parts.error();
    if (result.value("is_error"_L1).toBool()) {
        const QString text =
            parts.value().isEmpty() ? QString() : parts.value().first().toObject().value("text"_L1).toString();
        if (parts.value().isEmpty())
            parts.value().append(textPart(u"Error"_s));
        else
            parts.value()[0] = textPart("Error: "_L1 + text);
    }
    return QJsonObject{{u"role"_s, u"tool"_s},
                       {u"tool_call_id"_s, result.value("tool_use_id"_L1)},
                       {u"content"_s, parts.value().isEmpty() ? QJsonValue(QString())
                                                              : DialectMapping::chatTextOrParts(parts.value())}};
}

std::optional<Error> addUser(const QJsonValue &content, const QString &field, QJsonArray &out)
{
    if (content.isString()) {
        out.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, content}});
        return std::nullopt;
    }
    QJsonArray parts;
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        const QString type = block.value("type"_L1).toString();
        const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
        if (type == "text"_L1) {
            parts.append(textPart(block.value("text"_L1).toString()));
        } else if (type == "image"_L1) {
            const auto image = DialectMapping::openAiImagePart(block, blockField + ".source"_L1);
            if (!image)
                return image.error();
            parts.append(image.value());
        } else if (type == "tool_result"_L1) {
            const auto message = toolMessage(block, blockField);
            if (!message)
                return message.error();
            out.append(message.value());
        } else {
            return untranslatable(blockField, u"blocks of type \"%1\" cannot be translated to OpenAI chat"_s.arg(type));
        }
    }
    if (!parts.isEmpty())
        out.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, DialectMapping::chatTextOrParts(parts)}});
    return std::nullopt;
}

std::optional<Error> addAssistant(const QJsonValue &content, const QString &field, QJsonArray &out)
{
    if (content.isString()) {
        out.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, content}});
        return std::nullopt;
    }
    QString text;
    QJsonArray calls;
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == "text"_L1) {
            text += block.value("text"_L1).toString();
        } else if (type == "tool_use"_L1) {
            calls.append(DialectMapping::openAiToolCall(block));
        } else if (type != "thinking"_L1 && type != "redacted_thinking"_L1) {
            return untranslatable(u"%1[%2]"_s.arg(field).arg(i),
                                  u"blocks of type \"%1\" cannot be translated to OpenAI chat"_s.arg(type));
        }
    }
    QJsonObject message{{u"role"_s, u"assistant"_s},
                        {u"content"_s, text.isEmpty() && !calls.isEmpty() ? QJsonValue() : QJsonValue(text)}};
    if (!calls.isEmpty())
        message.insert("tool_calls"_L1, calls);
    out.append(message);
    return std::nullopt;
}

Result<QJsonArray> openAiTools(const QJsonArray &tools)
{
    QJsonArray out;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (!type.isEmpty() && type != "custom"_L1)
            return untranslatable(u"tools[%1].type"_s.arg(i),
                                  u"the server tool \"%1\" cannot be translated to OpenAI chat"_s.arg(type));
        QJsonObject function{{u"name"_s, tool.value("name"_L1)}, {u"parameters"_s, tool.value("input_schema"_L1)}};
        if (tool.value("description"_L1).isString())
            function.insert("description"_L1, tool.value("description"_L1));
        out.append(QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}});
    }
    return out;
}

Result<QJsonValue> openAiToolChoice(const QJsonObject &choice)
{
    const QString type = choice.value("type"_L1).toString();
    if (type == "auto"_L1 || type == "none"_L1)
        return QJsonValue(type);
    if (type == "any"_L1)
        return QJsonValue(u"required"_s);
    if (type == "tool"_L1)
        return QJsonValue(QJsonObject{{u"type"_s, u"function"_s},
                                      {u"function"_s, QJsonObject{{u"name"_s, choice.value("name"_L1)}}}});
    return untranslatable(u"tool_choice.type"_s, u"\"%1\" cannot be translated"_s.arg(type));
}

} // namespace

Result<QJsonObject> MessagesToChat::translate(const QJsonObject &request, const QString &model)
{
    if (auto error = checkFields(request))
        return *error;
    if (!request.value("messages"_L1).isArray())
        return untranslatable(u"messages"_s, u"must be an array of messages"_s);

    QJsonArray messages;
    const QJsonValue system = request.value("system"_L1);
    if (system.isString() || system.isArray()) {
        const auto parts = textParts(
            system, u"system"_s, u"the system prompt takes text only; blocks of type \"%1\" cannot be translated"_s);
        if (!parts)
            return parts.error();
        if (!parts.value().isEmpty())
            messages.append(QJsonObject{{u"role"_s, u"system"_s},
                                        {u"content"_s, DialectMapping::chatTextOrParts(parts.value())}});
    }
    const QJsonArray turns = request.value("messages"_L1).toArray();
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const QJsonObject turn = turns.at(i).toObject();
        const QString role = turn.value("role"_L1).toString();
        const QString field = u"messages[%1].content"_s.arg(i);
        std::optional<Error> error;
        if (role == "user"_L1)
            error = addUser(turn.value("content"_L1), field, messages);
        else if (role == "assistant"_L1)
            error = addAssistant(turn.value("content"_L1), field, messages);
        else
            error = untranslatable(u"messages[%1].role"_s.arg(i), u"role \"%1\" cannot be translated"_s.arg(role));
        if (error)
            return *error;
    }

    QJsonObject out{{u"model"_s, model}, {u"messages"_s, messages}};
    for (const auto key : {"max_tokens"_L1, "temperature"_L1, "top_p"_L1}) {
        if (request.value(key).isDouble())
            out.insert(key, request.value(key));
    }
    const QJsonArray stop = request.value("stop_sequences"_L1).toArray();
    if (stop.size() > MaxStopSequences)
        return untranslatable(u"stop_sequences"_s,
                              u"OpenAI takes at most %1 stop sequences; %2 cannot be translated"_s.arg(MaxStopSequences)
                                  .arg(stop.size()));
    if (!stop.isEmpty())
        out.insert("stop"_L1, stop);
    if (request.value("stream"_L1).toBool()) {
        out.insert("stream"_L1, true);
        out.insert("stream_options"_L1, QJsonObject{{u"include_usage"_s, true}});
    }
    const QJsonArray tools = request.value("tools"_L1).toArray();
    if (!tools.isEmpty()) {
        const auto openAi = openAiTools(tools);
        if (!openAi)
            return openAi.error();
        out.insert("tools"_L1, openAi.value());
        const QJsonObject choice = request.value("tool_choice"_L1).toObject();
        if (!choice.isEmpty()) {
            const auto openAiChoice = openAiToolChoice(choice);
            if (!openAiChoice)
                return openAiChoice.error();
            out.insert("tool_choice"_L1, openAiChoice.value());
            if (choice.value("disable_parallel_tool_use"_L1).toBool() && choice.value("type"_L1) != "none"_L1)
                out.insert("parallel_tool_calls"_L1, false);
        }
    }
    const QJsonValue user = request.value("metadata"_L1).toObject().value("user_id"_L1);
    if (user.isString())
        out.insert("user"_L1, user);
    return out;
}

} // namespace Switchyard
