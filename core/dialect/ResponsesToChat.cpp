// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponsesToChat.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/ResponsesToChatContent.h"
#include "core/dialect/ResponsesToChatTools.h"
#include "core/dialect/TranslationPolicy.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <optional>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

// Every Responses field this translation knows: read below, or dropped with the reason.
constexpr TranslationPolicy::Field s_fields[] = {
    {"model", nullptr}, {"input", nullptr}, {"instructions", nullptr}, {"tools", nullptr},
    {"tool_choice", nullptr}, {"parallel_tool_calls", nullptr}, {"max_output_tokens", nullptr},
    {"temperature", nullptr}, {"top_p", nullptr}, {"stream", nullptr}, {"user", nullptr},
    {"safety_identifier", nullptr}, {"prompt_cache_key", nullptr}, {"service_tier", nullptr}, {"text", nullptr},
    {"reasoning", nullptr}, {"include", nullptr}, {"background", nullptr}, {"top_logprobs", nullptr},
    {"previous_response_id", nullptr}, {"conversation", nullptr}, {"prompt", nullptr},
    {"store", "Switchyard keeps no responses for this target: the response says store false"},
    {"metadata", "echoed in the response only"},
    {"truncation", "the whole input is sent; the target refuses what does not fit"},
    {"stream_options", "stream obfuscation padding is not added"},
    {"client_metadata", "the client's own metadata (Codex's turn details) changes no answer"},
};
// Chat fields whose Responses name differs.
const QHash<QString, QString> s_renamed{{u"max_tokens"_s, u"max_output_tokens"_s},
                                        {u"response_format"_s, u"text.format"_s},
                                        {u"verbosity"_s, u"text.verbosity"_s}};

std::optional<Error> checkFields(const QJsonObject &request, TranslationPolicy &policy)
{
    if (auto error = policy.checkTopLevel(request, s_fields))
        return error;
    for (const auto key : {"previous_response_id"_L1, "conversation"_L1}) {
        if (!request.value(key).isNull() && !request.value(key).isUndefined())
            return untranslatable(key, u"Switchyard keeps no responses or conversations for this target; send the "
                                       "whole conversation in \"input\" instead"_s);
    }
    if (!request.value("prompt"_L1).isNull() && !request.value("prompt"_L1).isUndefined())
        return untranslatable(u"prompt"_s, u"prompt templates are stored by OpenAI and cannot be used with this target"_s);
    if (request.value("background"_L1).toBool())
        return untranslatable(u"background"_s, u"background responses are stored and polled, which Switchyard "
                                               "cannot do for this target"_s);
    if (request.value("top_logprobs"_L1).toInteger() != 0)
        return untranslatable(u"top_logprobs"_s, u"log probabilities cannot be translated for this target"_s);
    for (const QJsonValue &entry : request.value("include"_L1).toArray()) {
        if (entry == "message.output_text.logprobs"_L1)
            return untranslatable(u"include"_s, u"log probabilities cannot be translated for this target"_s);
        policy.dropped(u"include"_s, u"%1: this target returns no such extra output"_s.arg(entry.toString()));
    }
    return std::nullopt;
}

// reasoning {effort, summary} → reasoning_effort; summaries are not produced.
void mapReasoning(const QJsonObject &reasoning, TranslationPolicy &policy, QJsonObject &chat)
{
    for (auto it = reasoning.constBegin(); it != reasoning.constEnd(); ++it) {
        if (it.value().isNull())
            continue;
        if (it.key() == "effort"_L1) {
            chat.insert("reasoning_effort"_L1, it.value());
            policy.mapped(u"reasoning.effort"_s, u"→ reasoning_effort \"%1\""_s.arg(it.value().toString()));
        } else {
            policy.dropped("reasoning."_L1 + it.key(), u"reasoning summaries are not produced for this target"_s);
        }
    }
}

// Chat messages as they are built, and where each came from.
class ChatBuilder final
{
public:
    void add(const QJsonObject &message, const QString &origin)
    {
        m_origins.insert(u"messages[%1]"_s.arg(m_messages.size()), origin);
        m_messages.append(message);
        m_assistantOpen = message.value("role"_L1) == "assistant"_L1;
    }
    // A function call joins the assistant message just before it, or starts one.
    void addToolCall(const QJsonObject &call, const QString &origin)
    {
        if (!m_assistantOpen)
            add(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonValue()}}, origin);
        QJsonObject last = m_messages.last().toObject();
        QJsonArray calls = last.value("tool_calls"_L1).toArray();
        const QString path = u"messages[%1].tool_calls[%2]"_s.arg(m_messages.size() - 1).arg(calls.size());
        m_origins.insert(path, origin);
        m_origins.insert(path + ".function"_L1, origin);
        calls.append(call);
        last.insert("tool_calls"_L1, calls);
        m_messages.replace(m_messages.size() - 1, last);
    }
    void close() { m_assistantOpen = false; }
    const QJsonArray &messages() const { return m_messages; }
    QHash<QString, QString> origins() const { return m_origins; }

private:
    QJsonArray m_messages;
    QHash<QString, QString> m_origins;
    bool m_assistantOpen = false;
};

std::optional<Error> addItem(const QJsonObject &item, const QString &field, ChatBuilder &chat,
                             TranslationPolicy &policy)
{
    const QString type = item.value("type"_L1).toString(u"message"_s);
    if (type == "message"_L1) {
        const QString role = item.value("role"_L1).toString();
        if (role != "user"_L1 && role != "assistant"_L1 && role != "system"_L1 && role != "developer"_L1)
            return untranslatable(field + ".role"_L1, u"role \"%1\" cannot be translated"_s.arg(role));
        const auto content = ResponsesToChatContent::chatContent(item.value("content"_L1), field + ".content"_L1, role == "user"_L1);
        if (!content)
            return content.error();
        chat.add(QJsonObject{{u"role"_s, role}, {u"content"_s, content.value()}}, field);
    } else if (type == "function_call"_L1 || type == "custom_tool_call"_L1) {
        const bool custom = type == "custom_tool_call"_L1;
        const QString arguments = custom ? QString::fromUtf8(QJsonDocument(QJsonObject{{u"input"_s, item.value("input"_L1)}})
                                                                 .toJson(QJsonDocument::Compact))
                                         : item.value("arguments"_L1).toString();
        const QJsonObject function{
            {u"name"_s, ResponsesToChat::flatToolName(item.value("namespace"_L1).toString(), item.value("name"_L1).toString())},
            {u"arguments"_s, arguments}};
        chat.addToolCall(
            QJsonObject{{u"id"_s, item.value("call_id"_L1)}, {u"type"_s, u"function"_s}, {u"function"_s, function}},
            field);
    } else if (type == "function_call_output"_L1 || type == "custom_tool_call_output"_L1) {
        const auto content = ResponsesToChatContent::chatContent(item.value("output"_L1), field + ".output"_L1, false);
        if (!content)
            return content.error();
        chat.add(QJsonObject{{u"role"_s, u"tool"_s},
                             {u"tool_call_id"_s, item.value("call_id"_L1)},
                             {u"content"_s, content.value()}},
                 field);
    } else if (type == "item_reference"_L1) {
        return untranslatable(field, u"item references point at items OpenAI stored, which this target cannot "
                                     "see; send the item itself"_s);
    } else if (type == "reasoning"_L1) {
        policy.dropped(u"input[] reasoning items"_s, u"an earlier model's own notes (often encrypted) cannot be "
                                                     "taken back by another model"_s);
    } else if (type == "web_search_call"_L1) {
        policy.dropped(u"input[] web_search_call items"_s, u"earlier searches are kept in the answers that used them"_s);
    } else {
        return untranslatable(field + ".type"_L1,
                              u"\"%1\" items cannot be translated to Chat Completions"_s.arg(type));
    }
    return std::nullopt;
}

// text: {format, verbosity} → response_format, verbosity.
std::optional<Error> addTextOptions(const QJsonObject &text, QJsonObject &chat)
{
    for (auto it = text.constBegin(); it != text.constEnd(); ++it) {
        if (it.key() == "verbosity"_L1) {
            if (!it.value().isNull())
                chat.insert("verbosity"_L1, it.value());
        } else if (it.key() != "format"_L1) {
            return untranslatable("text."_L1 + it.key(), u"has no Chat Completions equivalent"_s);
        }
    }
    QJsonObject format = text.value("format"_L1).toObject();
    const QString type = format.value("type"_L1).toString(u"text"_s);
    if (type == "json_object"_L1) {
        chat.insert("response_format"_L1, QJsonObject{{u"type"_s, type}});
    } else if (type == "json_schema"_L1) {
        format.remove("type"_L1);
        chat.insert("response_format"_L1, QJsonObject{{u"type"_s, type}, {u"json_schema"_s, format}});
    } else if (type != "text"_L1) {
        return untranslatable(u"text.format.type"_s, u"\"%1\" cannot be translated"_s.arg(type));
    }
    return std::nullopt;
}

} // namespace

QString ResponsesToChat::flatToolName(const QString &ns, const QString &name)
{
    return ns.isEmpty() ? name : ns + "__"_L1 + name;
}

std::pair<QString, QString> ResponsesToChat::clientToolName(const QJsonObject &request, const QString &flatName)
{
    const qsizetype split = flatName.indexOf("__"_L1);
    if (split <= 0)
        return {QString(), flatName};
    const QString ns = flatName.left(split);
    const QString name = flatName.mid(split + 2);
    for (const QJsonValue &tool : request.value("tools"_L1).toArray()) {
        const QJsonObject o = tool.toObject();
        if (o.value("type"_L1) == "namespace"_L1 && o.value("name"_L1) == ns)
            return {ns, name};
    }
    return {QString(), flatName};
}

Result<ResponsesToChat::Translation> ResponsesToChat::translate(const QJsonObject &request, const QString &model)
{
    TranslationPolicy strict(u"Responses → Chat Completions"_s, TranslationPolicy::Mode::Strict, model);
    return translate(request, model, strict);
}

Result<ResponsesToChat::Translation> ResponsesToChat::translate(const QJsonObject &request, const QString &model,
                                                                TranslationPolicy &policy)
{
    if (auto error = checkFields(request, policy))
        return *error;
    ChatBuilder builder;
    const QJsonValue instructions = request.value("instructions"_L1);
    if (instructions.isString() && !instructions.toString().isEmpty())
        builder.add(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, instructions}}, u"instructions"_s);
    builder.close();
    const QJsonValue input = request.value("input"_L1);
    if (input.isString()) {
        builder.add(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, input}}, u"input"_s);
    } else if (input.isArray()) {
        const QJsonArray items = input.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (auto error = addItem(items.at(i).toObject(), u"input[%1]"_s.arg(i), builder, policy))
                return *error;
        }
    } else {
        return untranslatable(u"input"_s, u"must be a string or a list of items"_s);
    }

    Translation out;
    out.origins = builder.origins();
    for (auto it = s_renamed.constBegin(); it != s_renamed.constEnd(); ++it)
        out.origins.insert(it.key(), it.value());
    QJsonObject &chat = out.chat;
    chat = QJsonObject{{u"model"_s, model}, {u"messages"_s, builder.messages()}};
    if (request.value("max_output_tokens"_L1).isDouble())
        chat.insert("max_tokens"_L1, request.value("max_output_tokens"_L1));
    for (const auto key : {"temperature"_L1, "top_p"_L1}) {
        if (request.value(key).isDouble())
            chat.insert(key, request.value(key));
    }
    for (const auto key : {"user"_L1, "safety_identifier"_L1, "prompt_cache_key"_L1, "service_tier"_L1}) {
        if (request.value(key).isString())
            chat.insert(key, request.value(key));
    }
    mapReasoning(request.value("reasoning"_L1).toObject(), policy, chat);
    if (auto error = addTextOptions(request.value("text"_L1).toObject(), chat))
        return *error;
    if (request.value("stream"_L1).toBool()) {
        chat.insert("stream"_L1, true);
        chat.insert("stream_options"_L1, QJsonObject{{u"include_usage"_s, true}});
    }
    const QJsonArray tools = request.value("tools"_L1).toArray();
    if (tools.isEmpty())
        return out; // tool_choice and parallel_tool_calls mean nothing without tools
    const auto functions = ResponsesToChatTools::functions(tools, policy, chat);
    if (!functions)
        return functions.error();
    chat.insert("tools"_L1, functions.value());
    if (request.value("parallel_tool_calls"_L1).isBool())
        chat.insert("parallel_tool_calls"_L1, request.value("parallel_tool_calls"_L1));
    const QJsonValue choice = request.value("tool_choice"_L1);
    if (choice.isString() || choice.isObject()) {
        const auto chatChoice = ResponsesToChatTools::toolChoice(choice);
        if (!chatChoice)
            return chatChoice.error();
        chat.insert("tool_choice"_L1, chatChoice.value());
    }
    return out;
}

Error ResponsesToChat::inResponsesTerms(const Error &chatError, const QHash<QString, QString> &origins)
{
    const QString &message = chatError.message;
    if (!message.startsWith(u'"'))
        return chatError;
    // The longest chat path the quoted field starts with, ending where a path step ends.
    qsizetype bestLength = 0;
    QString replacement;
    for (auto it = origins.constBegin(); it != origins.constEnd(); ++it) {
        const QString &path = it.key();
        if (path.size() <= bestLength || !QStringView(message).sliced(1).startsWith(path))
            continue;
        const QChar next = message.size() > path.size() + 1 ? message.at(path.size() + 1) : QChar();
        if (next == u'"' || next == u'.' || next == u'[') {
            bestLength = path.size();
            replacement = it.value();
        }
    }
    if (bestLength == 0)
        return chatError;
    return Error{u'"' + replacement + message.mid(bestLength + 1)};
}

} // namespace Switchyard
