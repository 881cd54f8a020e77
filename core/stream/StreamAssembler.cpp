// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/StreamAssembler.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QMap>

namespace Switchyard::StreamAssembler {

namespace {

struct ToolCall
{
    QString id;
    QString name;
    QString arguments;
};

struct Reply
{
    QString text;
    QMap<QString, ToolCall> tools; // by index or item id, in order of appearance through `order`
    QStringList order;
    QString finish;
    QString model;
    QJsonObject usage;
    int events = 0;

    ToolCall &tool(const QString &key)
    {
        if (!tools.contains(key))
            order << key;
        return tools[key];
    }
};

QList<QJsonObject> events(const QByteArray &body)
{
    QList<QJsonObject> out;
    const QList<QByteArray> blocks = QByteArray(body).replace("\r\n", "\n").split('\n');
    QByteArray data;
    auto flush = [&out, &data] {
        if (!data.isEmpty() && data.trimmed() != "[DONE]") {
            const QJsonDocument doc = QJsonDocument::fromJson(data);
            if (doc.isObject())
                out << doc.object();
        }
        data.clear();
    };
    for (const QByteArray &line : blocks) {
        if (line.isEmpty())
            flush();
        else if (line.startsWith("data:"))
            data += (data.isEmpty() ? QByteArray() : QByteArray("\n")) + line.mid(5).trimmed();
    }
    flush();
    return out;
}

void readOpenAiChunk(const QJsonObject &e, Reply &r)
{
    if (r.model.isEmpty())
        r.model = e.value(QLatin1String("model")).toString();
    if (e.value(QLatin1String("usage")).isObject())
        r.usage = e.value(QLatin1String("usage")).toObject();
    const QJsonArray choices = e.value(QLatin1String("choices")).toArray();
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        r.text += delta.value(QLatin1String("content")).toString();
        for (const QJsonValue &t : delta.value(QLatin1String("tool_calls")).toArray()) {
            const QJsonObject call = t.toObject();
            ToolCall &tool = r.tool(QString::number(call.value(QLatin1String("index")).toInt()));
            const QJsonObject function = call.value(QLatin1String("function")).toObject();
            if (call.contains(QLatin1String("id")))
                tool.id = call.value(QLatin1String("id")).toString();
            tool.name += function.value(QLatin1String("name")).toString();
            tool.arguments += function.value(QLatin1String("arguments")).toString();
        }
        if (choice.value(QLatin1String("finish_reason")).isString())
            r.finish = choice.value(QLatin1String("finish_reason")).toString();
    }
}

void readAnthropicEvent(const QString &type, const QJsonObject &e, Reply &r)
{
    const QString index = QString::number(e.value(QLatin1String("index")).toInt());
    if (type == QLatin1String("message_start")) {
        const QJsonObject message = e.value(QLatin1String("message")).toObject();
        r.model = message.value(QLatin1String("model")).toString();
        r.usage = message.value(QLatin1String("usage")).toObject();
    } else if (type == QLatin1String("content_block_start")) {
        const QJsonObject block = e.value(QLatin1String("content_block")).toObject();
        if (block.value(QLatin1String("type")).toString() == QLatin1String("tool_use")) {
            ToolCall &tool = r.tool(index);
            tool.id = block.value(QLatin1String("id")).toString();
            tool.name = block.value(QLatin1String("name")).toString();
        }
    } else if (type == QLatin1String("content_block_delta")) {
        const QJsonObject delta = e.value(QLatin1String("delta")).toObject();
        r.text += delta.value(QLatin1String("text")).toString();
        if (delta.contains(QLatin1String("partial_json")))
            r.tool(index).arguments += delta.value(QLatin1String("partial_json")).toString();
    } else if (type == QLatin1String("message_delta")) {
        r.finish = e.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason")).toString();
        const QJsonObject usage = e.value(QLatin1String("usage")).toObject();
        for (auto it = usage.begin(); it != usage.end(); ++it)
            r.usage.insert(it.key(), it.value());
    }
}

void readResponsesEvent(const QString &type, const QJsonObject &e, Reply &r)
{
    if (type == QLatin1String("response.output_text.delta")) {
        r.text += e.value(QLatin1String("delta")).toString();
    } else if (type == QLatin1String("response.output_item.added")) {
        const QJsonObject item = e.value(QLatin1String("item")).toObject();
        if (item.value(QLatin1String("type")).toString() == QLatin1String("function_call")) {
            ToolCall &tool = r.tool(item.value(QLatin1String("id")).toString());
            tool.id = item.value(QLatin1String("call_id")).toString();
            tool.name = item.value(QLatin1String("name")).toString();
        }
    } else if (type == QLatin1String("response.function_call_arguments.delta")) {
        r.tool(e.value(QLatin1String("item_id")).toString()).arguments += e.value(QLatin1String("delta")).toString();
    } else if (type == QLatin1String("response.completed") || type == QLatin1String("response.incomplete")) {
        const QJsonObject response = e.value(QLatin1String("response")).toObject();
        r.model = response.value(QLatin1String("model")).toString();
        r.usage = response.value(QLatin1String("usage")).toObject();
        r.finish = response.value(QLatin1String("status")).toString();
    }
}

} // namespace

QJsonObject assemble(const QByteArray &body)
{
    Reply r;
    for (const QJsonObject &e : events(body)) {
        ++r.events;
        const QString type = e.value(QLatin1String("type")).toString();
        if (type.startsWith(QLatin1String("response.")))
            readResponsesEvent(type, e, r);
        else if (!type.isEmpty())
            readAnthropicEvent(type, e, r);
        else if (e.contains(QLatin1String("choices")) || e.contains(QLatin1String("usage")))
            readOpenAiChunk(e, r);
    }
    if (r.events == 0)
        return QJsonObject();
    QJsonArray tools;
    for (const QString &key : std::as_const(r.order)) {
        const ToolCall &t = r.tools.value(key);
        const QJsonDocument arguments = QJsonDocument::fromJson(t.arguments.toUtf8());
        tools.append(QJsonObject{{QStringLiteral("id"), t.id},
                                 {QStringLiteral("name"), t.name},
                                 {QStringLiteral("arguments"), arguments.isObject() ? QJsonValue(arguments.object()) : QJsonValue(t.arguments)}});
    }
    QJsonObject reply{{QStringLiteral("text"), r.text}, {QStringLiteral("events"), r.events}};
    if (!tools.isEmpty())
        reply.insert(QStringLiteral("tool_calls"), tools);
    if (!r.finish.isEmpty())
        reply.insert(QStringLiteral("finish_reason"), r.finish);
    if (!r.usage.isEmpty())
        reply.insert(QStringLiteral("usage"), r.usage);
    if (!r.model.isEmpty())
        reply.insert(QStringLiteral("model"), r.model);
    return reply;
}

} // namespace Switchyard::StreamAssembler
