// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/Answer.h"
#include "core/stream/StreamAssembler.h"
#include <QJsonDocument>

namespace Switchyard {

namespace {

QJsonValue parsedArguments(const QJsonValue &arguments)
{
    if (!arguments.isString())
        return arguments;
    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toString().toUtf8());
    return doc.isObject() ? QJsonValue(doc.object()) : arguments;
}

QJsonObject toolCall(const QString &name, const QJsonValue &arguments)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("arguments"), parsedArguments(arguments)}};
}

// OpenAI chat: choices[0].message (content as a string or as parts).
void readChat(const QJsonObject &body, Answer &a)
{
    const QJsonObject message = body.value(QLatin1String("choices")).toArray().at(0).toObject().value(QLatin1String("message")).toObject();
    const QJsonValue content = message.value(QLatin1String("content"));
    if (content.isString())
        a.text = content.toString();
    for (const QJsonValue &part : content.toArray())
        a.text += part.toObject().value(QLatin1String("text")).toString();
    for (const QJsonValue &call : message.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject function = call.toObject().value(QLatin1String("function")).toObject();
        a.toolCalls.append(toolCall(function.value(QLatin1String("name")).toString(), function.value(QLatin1String("arguments"))));
    }
}

// Anthropic Messages: content blocks.
void readMessages(const QJsonObject &body, Answer &a)
{
    for (const QJsonValue &b : body.value(QLatin1String("content")).toArray()) {
        const QJsonObject block = b.toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text"))
            a.text += block.value(QLatin1String("text")).toString();
        else if (type == QLatin1String("tool_use"))
            a.toolCalls.append(toolCall(block.value(QLatin1String("name")).toString(), block.value(QLatin1String("input"))));
    }
}

// OpenAI Responses: output items.
void readResponses(const QJsonObject &body, Answer &a)
{
    for (const QJsonValue &i : body.value(QLatin1String("output")).toArray()) {
        const QJsonObject item = i.toObject();
        const QString type = item.value(QLatin1String("type")).toString();
        if (type == QLatin1String("message")) {
            for (const QJsonValue &part : item.value(QLatin1String("content")).toArray())
                a.text += part.toObject().value(QLatin1String("text")).toString();
        } else if (type == QLatin1String("function_call")) {
            a.toolCalls.append(toolCall(item.value(QLatin1String("name")).toString(), item.value(QLatin1String("arguments"))));
        }
    }
}

} // namespace

Answer Answer::of(const QByteArray &responseBody)
{
    Answer a;
    const QJsonDocument doc = QJsonDocument::fromJson(responseBody);
    if (doc.isObject()) {
        const QJsonObject body = doc.object();
        if (body.contains(QLatin1String("choices")))
            readChat(body, a);
        else if (body.contains(QLatin1String("output")))
            readResponses(body, a);
        else if (body.value(QLatin1String("type")).toString() == QLatin1String("message"))
            readMessages(body, a);
        return a;
    }
    const QJsonObject reply = StreamAssembler::assemble(responseBody);
    a.text = reply.value(QLatin1String("text")).toString();
    for (const QJsonValue &t : reply.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject call = t.toObject();
        a.toolCalls.append(toolCall(call.value(QLatin1String("name")).toString(), call.value(QLatin1String("arguments"))));
    }
    return a;
}

bool Answer::sameAs(const Answer &other) const
{
    return text.trimmed() == other.text.trimmed() && toolCalls == other.toolCalls;
}

QJsonObject Answer::toJson() const
{
    return {{QStringLiteral("text"), text}, {QStringLiteral("tool_calls"), toolCalls}};
}

Answer Answer::fromJson(const QJsonObject &object)
{
    return {object.value(QLatin1String("text")).toString(), object.value(QLatin1String("tool_calls")).toArray()};
}

} // namespace Switchyard
