// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponsesToChatTools.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/ResponsesToChat.h"
#include <QJsonArray>

namespace Switchyard::ResponsesToChatTools {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

QJsonObject chatFunction(const QString &name, const QJsonObject &tool)
{
    QJsonObject function{{u"name"_s, name}};
    for (const auto key : {"description"_L1, "parameters"_L1, "strict"_L1}) {
        if (!tool.value(key).isNull() && !tool.value(key).isUndefined())
            function.insert(key, tool.value(key));
    }
    if (tool.value("type"_L1) == "custom"_L1) {
        // A free-form tool takes one string; its grammar, if any, is told in the description.
        QString description = tool.value("description"_L1).toString();
        const QJsonObject format = tool.value("format"_L1).toObject();
        if (format.value("type"_L1) == "grammar"_L1)
            description += u"\n\nThe input follows this %1 grammar:\n%2"_s.arg(format.value("syntax"_L1).toString(),
                                                                               format.value("definition"_L1).toString());
        function.insert("description"_L1, description);
        function.insert("parameters"_L1,
                        QJsonObject{{u"type"_s, u"object"_s},
                                    {u"properties"_s, QJsonObject{{u"input"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
                                    {u"required"_s, QJsonArray{u"input"_s}}});
    }
    return QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}};
}

} // namespace

// Function tools as they are; namespace groups flattened to functions named
// "<namespace>__<name>"; free-form (custom) tools as functions of one string; web_search →
// web_search_options. Anything else is a built-in tool that runs at OpenAI: refused.
Result<QJsonArray> functions(const QJsonArray &tools, TranslationPolicy &policy, QJsonObject &chat)
{
    QJsonArray out;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (type == "function"_L1 || type == "custom"_L1) {
            out.append(chatFunction(tool.value("name"_L1).toString(), tool));
            if (type == "custom"_L1)
                policy.mapped(u"tools[%1]"_s.arg(i), u"free-form tool → a function taking {\"input\": string}"_s);
        } else if (type == "namespace"_L1) {
            const QString ns = tool.value("name"_L1).toString();
            for (const QJsonValue &inner : tool.value("tools"_L1).toArray())
                out.append(chatFunction(ResponsesToChat::flatToolName(ns, inner.toObject().value("name"_L1).toString()),
                                        inner.toObject()));
            policy.mapped(u"tools[%1]"_s.arg(i), u"namespace \"%1\" → functions named %1__<name>"_s.arg(ns));
        } else if ((type == "web_search"_L1 || type == "web_search_preview"_L1)
                   && tool.value("external_web_access"_L1) == QJsonValue(false)) {
            // Cached results only (Codex's default): the target's search is live, so not offered.
            policy.dropped(u"tools[%1]"_s.arg(i), u"web_search without external web access: the target's web search "
                                                  "is live only, so no search is offered"_s);
        } else if (type == "web_search"_L1 || type == "web_search_preview"_L1) {
            QJsonObject options;
            if (tool.value("user_location"_L1).isObject())
                options.insert("user_location"_L1, QJsonObject{{u"type"_s, u"approximate"_s},
                                                               {u"approximate"_s, tool.value("user_location"_L1)}});
            chat.insert("web_search_options"_L1, options);
            policy.mapped(u"tools[%1]"_s.arg(i), u"web_search → the target's web search"_s);
        } else {
            return untranslatable(u"tools[%1].type"_s.arg(i), u"the built-in tool \"%1\" runs at OpenAI and cannot "
                                                              "be translated"_s.arg(type));
        }
    }
    return out;
}

Result<QJsonValue> toolChoice(const QJsonValue &choice)
{
    if (choice.isString())
        return choice;
    const QJsonObject named = choice.toObject();
    if (named.value("type"_L1) != "function"_L1)
        return untranslatable(u"tool_choice.type"_s,
                              u"\"%1\" cannot be translated"_s.arg(named.value("type"_L1).toString()));
    return QJsonValue(
        QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject{{u"name"_s, named.value("name"_L1)}}}});
}

} // namespace Switchyard::ResponsesToChatTools
