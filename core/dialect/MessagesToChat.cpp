// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/MessagesToChat.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/MessagesToChatFields.h"
#include "core/dialect/TranslationPolicy.h"
#include <QJsonArray>
#include <optional>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

QJsonObject textPart(const QString &text)
{
    return QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

// Notes about blocks, gathered over the whole request so each kind is named once.
struct BlockNotes
{
    int cacheMarks = 0;
    int thinkingBlocks = 0;
    void see(const QJsonObject &block)
    {
        if (block.contains("cache_control"_L1))
            ++cacheMarks;
    }
    void write(TranslationPolicy &policy) const
    {
        if (cacheMarks)
            policy.dropped(u"cache_control"_s, u"%1 cache mark(s): OpenAI-compatible targets cache prompt prefixes "
                                               "by themselves"_s.arg(cacheMarks));
        if (thinkingBlocks)
            policy.dropped(u"thinking blocks"_s, u"%1 earlier thinking block(s): another model cannot take them "
                                                 "back"_s.arg(thinkingBlocks));
    }
};

// Text blocks (system prompt, tool result) → text parts. A tool_reference (a tool that tool
// search loaded) becomes a line of text: every tool is offered to the target up front.
Result<QJsonArray> textParts(const QJsonValue &content, const QString &field, const QString &why, BlockNotes &notes)
{
    QJsonArray parts;
    if (content.isString())
        parts.append(textPart(content.toString()));
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        notes.see(block);
        const QString type = block.value("type"_L1).toString();
        if (type == "tool_reference"_L1)
            parts.append(textPart(u"Tool %1 is available."_s.arg(block.value("tool_name"_L1).toString())));
        else if (type == "text"_L1)
            parts.append(textPart(block.value("text"_L1).toString()));
        else
            return untranslatable(u"%1[%2]"_s.arg(field).arg(i), why.arg(type));
    }
    return parts;
}

Result<QJsonObject> toolMessage(const QJsonObject &result, const QString &field, BlockNotes &notes)
{
    auto parts = textParts(result.value("content"_L1), field + ".content"_L1,
                           u"OpenAI tool messages take text only; blocks of type \"%1\" cannot be translated"_s, notes);
    if (!parts)
        return parts.error();
    if (result.value("is_error"_L1).toBool()) {
        if (parts.value().isEmpty())
            parts.value().append(textPart(u"Error"_s));
        else
            parts.value()[0] = textPart("Error: "_L1 + parts.value().first().toObject().value("text"_L1).toString());
    }
    return QJsonObject{{u"role"_s, u"tool"_s},
                       {u"tool_call_id"_s, result.value("tool_use_id"_L1)},
                       {u"content"_s, parts.value().isEmpty() ? QJsonValue(QString())
                                                              : DialectMapping::chatTextOrParts(parts.value())}};
}

// A user turn, or a mid-conversation system turn (OpenAI takes system messages anywhere).
std::optional<Error> addUser(const QString &role, const QJsonValue &content, const QString &field, QJsonArray &out,
                             BlockNotes &notes)
{
    if (content.isString()) {
        out.append(QJsonObject{{u"role"_s, role}, {u"content"_s, content}});
        return std::nullopt;
    }
    QJsonArray parts;
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        notes.see(block);
        const QString type = block.value("type"_L1).toString();
        const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
        if (type == "text"_L1) {
            parts.append(textPart(block.value("text"_L1).toString()));
        } else if (type == "image"_L1 && role == "user"_L1) {
            const auto image = DialectMapping::openAiImagePart(block, blockField + ".source"_L1);
            if (!image)
                return image.error();
            parts.append(image.value());
        } else if (type == "tool_result"_L1 && role == "user"_L1) {
            const auto message = toolMessage(block, blockField, notes);
            if (!message)
                return message.error();
            out.append(message.value());
        } else {
            return untranslatable(blockField, u"blocks of type \"%1\" cannot be translated to OpenAI chat"_s.arg(type));
        }
    }
    if (!parts.isEmpty())
        out.append(QJsonObject{{u"role"_s, role}, {u"content"_s, DialectMapping::chatTextOrParts(parts)}});
    return std::nullopt;
}

std::optional<Error> addAssistant(const QJsonValue &content, const QString &field, QJsonArray &out, BlockNotes &notes)
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
        notes.see(block);
        const QString type = block.value("type"_L1).toString();
        if (type == "text"_L1) {
            text += block.value("text"_L1).toString();
        } else if (type == "tool_use"_L1) {
            calls.append(DialectMapping::openAiToolCall(block));
        } else if (type == "thinking"_L1 || type == "redacted_thinking"_L1) {
            ++notes.thinkingBlocks;
        } else {
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

Result<QJsonArray> openAiTools(const QJsonArray &tools, TranslationPolicy &policy, BlockNotes &notes)
{
    QJsonArray out;
    int deferred = 0;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        notes.see(tool);
        const QString type = tool.value("type"_L1).toString();
        if (!type.isEmpty() && type != "custom"_L1)
            return untranslatable(u"tools[%1].type"_s.arg(i),
                                  u"the server tool \"%1\" cannot be translated to OpenAI chat"_s.arg(type));
        QJsonObject function{{u"name"_s, tool.value("name"_L1)}, {u"parameters"_s, tool.value("input_schema"_L1)}};
        for (auto it = tool.constBegin(); it != tool.constEnd(); ++it) {
            const QString key = it.key();
            if (key == "description"_L1 || key == "strict"_L1)
                function.insert(key, it.value());
            else if (key == "defer_loading"_L1)
                deferred += it.value().toBool() ? 1 : 0;
            else if (key == "input_examples"_L1)
                policy.dropped(u"tools[].input_examples"_s, u"examples of a tool's input are a hint"_s);
            else if (key != "name"_L1 && key != "input_schema"_L1 && key != "type"_L1 && key != "cache_control"_L1) {
                if (auto error = policy.unknown(u"tools[%1].%2"_s.arg(i).arg(key)))
                    return *error;
            }
        }
        out.append(QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}});
    }
    if (deferred)
        policy.dropped(u"tools[].defer_loading"_s, u"%1 deferred tool(s) are offered to the target up front (it has "
                                                   "no tool search)"_s.arg(deferred));
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
    TranslationPolicy strict(u"Messages → Chat Completions"_s, TranslationPolicy::Mode::Strict, model);
    return translate(request, model, strict);
}

Result<QJsonObject> MessagesToChat::translate(const QJsonObject &request, const QString &model, TranslationPolicy &policy)
{
    if (auto error = MessagesToChatFields::check(request, policy))
        return *error;
    if (!request.value("messages"_L1).isArray())
        return untranslatable(u"messages"_s, u"must be an array of messages"_s);

    BlockNotes notes;
    QJsonArray messages;
    const QJsonValue system = request.value("system"_L1);
    if (system.isString() || system.isArray()) {
        const auto parts = textParts(
            system, u"system"_s, u"the system prompt takes text only; blocks of type \"%1\" cannot be translated"_s, notes);
        if (!parts)
            return parts.error();
        if (!parts.value().isEmpty())
            messages.append(QJsonObject{{u"role"_s, u"system"_s},
                                        {u"content"_s, DialectMapping::chatTextOrParts(parts.value())}});
    }
    const QJsonArray turns = request.value("messages"_L1).toArray();
    int systemTurns = 0;
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const QJsonObject turn = turns.at(i).toObject();
        const QString role = turn.value("role"_L1).toString();
        const QString field = u"messages[%1].content"_s.arg(i);
        std::optional<Error> error;
        if (role == "user"_L1 || role == "system"_L1)
            error = addUser(role, turn.value("content"_L1), field, messages, notes);
        else if (role == "assistant"_L1)
            error = addAssistant(turn.value("content"_L1), field, messages, notes);
        else
            error = untranslatable(u"messages[%1].role"_s.arg(i), u"role \"%1\" cannot be translated"_s.arg(role));
        if (error)
            return *error;
        systemTurns += role == "system"_L1 ? 1 : 0;
    }
    if (systemTurns)
        policy.mapped(u"messages[].role \"system\""_s,
                      u"%1 mid-conversation system turn(s) → system messages in place"_s.arg(systemTurns));

    QJsonObject out{{u"model"_s, model}, {u"messages"_s, messages}};
    if (request.value("max_tokens"_L1).isDouble()) {
        // OpenAI's reasoning models refuse max_tokens; other compatible servers read only it.
        if (TranslationPolicy::isOpenAiReasoningModel(model)) {
            out.insert("max_completion_tokens"_L1, request.value("max_tokens"_L1));
            policy.mapped(u"max_tokens"_s, u"→ max_completion_tokens (%1 is a reasoning model)"_s.arg(model));
        } else {
            out.insert("max_tokens"_L1, request.value("max_tokens"_L1));
        }
    }
    for (const auto key : {"temperature"_L1, "top_p"_L1}) {
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
    if (auto error = MessagesToChatFields::mapOutputOptions(request, policy, out))
        return *error;
    const QJsonArray tools = request.value("tools"_L1).toArray();
    if (!tools.isEmpty()) {
        const auto openAi = openAiTools(tools, policy, notes);
        if (!openAi)
            return openAi.error();
        out.insert("tools"_L1, openAi.value());
        const QJsonObject choice = request.value("tool_choice"_L1).toObject();
        if (!choice.isEmpty()) {
            const auto openAiChoice = openAiToolChoice(choice);
            if (!openAiChoice)
                return openAiChoice.error();
            out.insert("tool_choice"_L1, openAiChoice.value());
            if (choice.value("disable_parallel_tool_use"_L1).toBool() && choice.value("type"_L1) != "none"_L1) {
                out.insert("parallel_tool_calls"_L1, false);
                policy.mapped(u"tool_choice.disable_parallel_tool_use"_s, u"→ parallel_tool_calls false"_s);
            }
        }
    }
    MessagesToChatFields::mapMetadata(request.value("metadata"_L1).toObject(), policy, out);
    notes.write(policy);
    return out;
}

} // namespace Switchyard
