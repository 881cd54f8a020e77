// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/ChatToMessagesFields.h"
#include "core/dialect/TranslationPolicy.h"
#include <QJsonArray>
#include <optional>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

QJsonObject textBlock(const QString &text)
{
    return QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

// A lone plain text block is sent as a string, anything else as blocks.
QJsonValue contentValue(const QJsonArray &blocks)
{
    const QJsonObject first = blocks.first().toObject();
    if (blocks.size() == 1 && first.size() == 2 && first.value("type"_L1) == "text"_L1)
        return first.value("text"_L1);
    return blocks;
}

// Turns in the order they came; blocks in the role of the last turn join it, because
// Anthropic requires user and assistant turns to alternate.
class TurnList final
{
public:
    void add(const QString &role, const QJsonArray &blocks)
    {
        if (blocks.isEmpty())
            return;
        if (m_turns.isEmpty() || m_turns.last().first != role) {
            m_turns.append({role, blocks});
            return;
        }
        for (const QJsonValue &block : blocks)
            m_turns.last().second.append(block);
    }
    QJsonArray messages() const
    {
        QJsonArray out;
        for (const auto &[role, blocks] : m_turns)
            out.append(QJsonObject{{u"role"_s, role}, {u"content"_s, contentValue(blocks)}});
        return out;
    }

private:
    QList<std::pair<QString, QJsonArray>> m_turns;
};

// Text (and, in user messages, image) content parts → Anthropic blocks; empty text left out.
Result<QJsonArray> contentBlocks(const QJsonValue &content, const QString &field, bool imagesAllowed)
{
    QJsonArray blocks;
    if (content.isString() && !content.toString().isEmpty())
        blocks.append(textBlock(content.toString()));
    if (!content.isArray())
        return blocks;
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts.at(i).toObject();
        const QString type = part.value("type"_L1).toString();
        const QString partField = u"%1[%2]"_s.arg(field).arg(i);
        if (type == "text"_L1 || type == "refusal"_L1) {
            const QString text = part.value(type).toString();
            if (!text.isEmpty())
                blocks.append(textBlock(text));
        } else if (type == "image_url"_L1 && imagesAllowed) {
            const auto image =
                DialectMapping::anthropicImage(part.value("image_url"_L1).toObject(), partField + ".image_url"_L1);
            if (!image)
                return image.error();
            blocks.append(image.value());
        } else if (type == "input_audio"_L1) {
            return untranslatable(partField,
                                  u"Anthropic models take no audio input; input_audio parts cannot be translated"_s);
        } else {
            return untranslatable(partField, u"content part type \"%1\" cannot be translated here"_s.arg(type));
        }
    }
    return blocks;
}

// Assistant tool_calls → tool_use blocks, ids kept, arguments parsed into `input`.
Result<QJsonArray> toolUseBlocks(const QJsonArray &toolCalls, const QString &field)
{
    QJsonArray blocks;
    for (qsizetype i = 0; i < toolCalls.size(); ++i) {
        const auto block = DialectMapping::anthropicToolUse(toolCalls.at(i).toObject(), u"%1[%2]"_s.arg(field).arg(i));
        if (!block)
            return block.error();
        blocks.append(block.value());
    }
    return blocks;
}

std::optional<Error> addMessages(const QJsonArray &messages, QJsonArray &system, TurnList &turns)
{
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const QString field = u"messages[%1]"_s.arg(i);
        const QString role = m.value("role"_L1).toString();
        const bool isSystem = role == "system"_L1 || role == "developer"_L1;
        if (!isSystem && role != "user"_L1 && role != "assistant"_L1 && role != "tool"_L1)
            return untranslatable(field + ".role"_L1, u"role \"%1\" cannot be translated"_s.arg(role));
        const auto blocks = contentBlocks(m.value("content"_L1), field + ".content"_L1, role == "user"_L1);
        if (!blocks)
            return blocks.error();
        if (isSystem) {
            for (const QJsonValue &block : blocks.value())
                system.append(block);
        } else if (role == "user"_L1) {
            turns.add(role, blocks.value());
        } else if (role == "assistant"_L1) {
            for (const char *unsupported : {"function_call", "audio"}) {
                if (!m.value(QLatin1String(unsupported)).isNull() && !m.value(QLatin1String(unsupported)).isUndefined())
                    return untranslatable(field + u'.' + QLatin1String(unsupported),
                                          u"has no Anthropic equivalent and cannot be translated"_s);
            }
            const auto toolUses = toolUseBlocks(m.value("tool_calls"_L1).toArray(), field + ".tool_calls"_L1);
            if (!toolUses)
                return toolUses.error();
            QJsonArray all = blocks.value();
            for (const QJsonValue &block : toolUses.value())
                all.append(block);
            turns.add(role, all);
        } else {
            QJsonObject result{{u"type"_s, u"tool_result"_s}, {u"tool_use_id"_s, m.value("tool_call_id"_L1)}};
            if (!blocks.value().isEmpty())
                result.insert("content"_L1, contentValue(blocks.value()));
            turns.add(u"user"_s, QJsonArray{result});
        }
    }
    return std::nullopt;
}

Result<QJsonArray> anthropicTools(const QJsonArray &tools)
{
    QJsonArray out;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (type != "function"_L1)
            return untranslatable(u"tools[%1].type"_s.arg(i),
                                  u"only function tools can be translated; \"%1\" cannot"_s.arg(type));
        const QJsonObject function = tool.value("function"_L1).toObject();
        QJsonObject anthropic{{u"name"_s, function.value("name"_L1)}};
        if (function.value("description"_L1).isString())
            anthropic.insert("description"_L1, function.value("description"_L1));
        const QJsonValue parameters = function.value("parameters"_L1);
        anthropic.insert("input_schema"_L1, parameters.isObject() ? parameters
                                                                  : QJsonObject{{u"type"_s, u"object"_s},
                                                                                {u"properties"_s, QJsonObject()}});
        out.append(anthropic);
    }
    return out;
}

Result<QJsonObject> anthropicToolChoice(const QJsonValue &choice, bool parallel)
{
    QJsonObject out{{u"type"_s, u"auto"_s}};
    if (choice.isString()) {
        const QString mode = choice.toString();
        if (mode == "required"_L1)
            out.insert("type"_L1, u"any"_s);
        else if (mode == "none"_L1 || mode == "auto"_L1)
            out.insert("type"_L1, mode);
        else
            return untranslatable(u"tool_choice"_s, u"\"%1\" cannot be translated"_s.arg(mode));
    } else if (choice.isObject()) {
        const QJsonObject named = choice.toObject();
        if (named.value("type"_L1) != "function"_L1)
            return untranslatable(u"tool_choice.type"_s,
                                  u"\"%1\" cannot be translated"_s.arg(named.value("type"_L1).toString()));
        out = QJsonObject{{u"type"_s, u"tool"_s}, {u"name"_s, named.value("function"_L1).toObject().value("name"_L1)}};
    }
    if (!parallel && out.value("type"_L1) != "none"_L1)
        out.insert("disable_parallel_tool_use"_L1, true);
    return out;
}

} // namespace

Result<QJsonObject> ChatToMessages::translate(const QJsonObject &chat, const QString &model)
{
    TranslationPolicy strict(u"Chat Completions → Messages"_s, TranslationPolicy::Mode::Strict, model);
    return translate(chat, model, strict);
}

Result<QJsonObject> ChatToMessages::translate(const QJsonObject &chat, const QString &model, TranslationPolicy &policy)
{
    if (auto error = ChatToMessagesFields::check(chat, policy))
        return *error;
    if (!chat.value("messages"_L1).isArray())
        return untranslatable(u"messages"_s, u"must be an array of messages"_s);
    QJsonArray system;
    TurnList turns;
    if (auto error = addMessages(chat.value("messages"_L1).toArray(), system, turns))
        return *error;

    QJsonObject out{{u"model"_s, model}, {u"messages"_s, turns.messages()}};
    if (!system.isEmpty())
        out.insert("system"_L1, contentValue(system));
    const QJsonValue maxTokens = chat.value("max_completion_tokens"_L1).isDouble()
                                     ? chat.value("max_completion_tokens"_L1)
                                     : chat.value("max_tokens"_L1);
    out.insert("max_tokens"_L1, maxTokens.isDouble() ? maxTokens.toInteger() : DefaultMaxTokens);
    const QJsonValue temperature = chat.value("temperature"_L1);
    if (temperature.toDouble() > 1.0)
        return untranslatable(u"temperature"_s,
                              u"Anthropic accepts 0 to 1; %1 cannot be translated"_s.arg(temperature.toDouble()));
    for (const auto key : {"temperature"_L1, "top_p"_L1, "top_k"_L1}) {
        if (chat.value(key).isDouble())
            out.insert(key, chat.value(key));
    }
    const QJsonValue stop = chat.value("stop"_L1);
    if (stop.isString())
        out.insert("stop_sequences"_L1, QJsonArray{stop});
    else if (stop.isArray() && !stop.toArray().isEmpty())
        out.insert("stop_sequences"_L1, stop);
    if (chat.value("stream"_L1).toBool())
        out.insert("stream"_L1, true);

    const QJsonArray tools = chat.value("tools"_L1).toArray();
    if (!tools.isEmpty()) {
        const auto anthropic = anthropicTools(tools);
        if (!anthropic)
            return anthropic.error();
        out.insert("tools"_L1, anthropic.value());
        const bool parallel = chat.value("parallel_tool_calls"_L1).toBool(true);
        const QJsonValue choice = chat.value("tool_choice"_L1);
        if (choice.isString() || choice.isObject() || !parallel) {
            const auto anthropicChoice = anthropicToolChoice(choice, parallel);
            if (!anthropicChoice)
                return anthropicChoice.error();
            out.insert("tool_choice"_L1, anthropicChoice.value());
        }
    }
    if (chat.contains("web_search_options"_L1)) {
        QJsonArray withSearch = out.value("tools"_L1).toArray();
        withSearch.append(ChatToMessagesFields::webSearchTool(chat.value("web_search_options"_L1).toObject()));
        out.insert("tools"_L1, withSearch);
        policy.mapped(u"web_search_options"_s, u"→ Anthropic's web_search server tool"_s);
    }
    if (!chat.value("parallel_tool_calls"_L1).toBool(true) && out.contains("tool_choice"_L1))
        policy.mapped(u"parallel_tool_calls"_s, u"false → tool_choice.disable_parallel_tool_use true"_s);
    ChatToMessagesFields::mapReasoningEffort(chat, policy, out);
    const QJsonValue user =
        chat.value("user"_L1).isString() ? chat.value("user"_L1) : chat.value("safety_identifier"_L1);
    if (user.isString())
        out.insert("metadata"_L1, QJsonObject{{u"user_id"_s, user}});
    return out;
}

} // namespace Switchyard
