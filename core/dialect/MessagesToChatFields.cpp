// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/MessagesToChatFields.h"
#include "core/dialect/DialectMapping.h"
#include <QCryptographicHash>

namespace Switchyard::MessagesToChatFields {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

constexpr qsizetype MaxUserChars = 64; // OpenAI's limit for `user`

// Every Anthropic Messages field this translation knows: read below, or dropped with the reason.
constexpr TranslationPolicy::Field s_fields[] = {
    {"model", nullptr}, {"messages", nullptr}, {"system", nullptr}, {"max_tokens", nullptr},
    {"temperature", nullptr}, {"top_p", nullptr}, {"stop_sequences", nullptr}, {"stream", nullptr},
    {"tools", nullptr}, {"tool_choice", nullptr}, {"metadata", nullptr}, {"thinking", nullptr},
    {"output_config", nullptr}, {"top_k", nullptr}, {"container", nullptr}, {"mcp_servers", nullptr},
    {"service_tier", "service tiers are the provider's own; the target's default tier answers"},
    {"anthropic_version", "a version of the Anthropic API, meaningless to the target"},
    {"context_management", "context editing is done by Anthropic's API; the target receives the whole conversation"},
    {"inference_geo", "a data-residency choice of Anthropic's API; the target's own region applies"},
};

} // namespace

std::optional<Error> check(const QJsonObject &request, TranslationPolicy &policy)
{
    if (auto error = policy.checkTopLevel(request, s_fields))
        return error;
    if (request.value("top_k"_L1).isDouble())
        return untranslatable(u"top_k"_s, u"OpenAI chat has no top_k; %1 cannot be translated"_s.arg(
                                              request.value("top_k"_L1).toInteger()));
    for (const auto key : {"container"_L1, "mcp_servers"_L1}) {
        if (!request.value(key).isNull() && !request.value(key).isUndefined())
            return untranslatable(key, u"runs on Anthropic's servers and has no OpenAI chat equivalent"_s);
    }
    return std::nullopt;
}

// thinking and output_config → reasoning_effort (for targets that reason) and response_format.
std::optional<Error> mapOutputOptions(const QJsonObject &request, TranslationPolicy &policy, QJsonObject &out)
{
    const QJsonObject config = request.value("output_config"_L1).toObject();
    for (auto it = config.constBegin(); it != config.constEnd(); ++it) {
        if (it.key() == "format"_L1 && it.value().isObject()) {
            const QJsonObject format = it.value().toObject();
            if (format.value("type"_L1) != "json_schema"_L1)
                return untranslatable(u"output_config.format.type"_s, u"\"%1\" cannot be translated"_s.arg(
                                                                          format.value("type"_L1).toString()));
            out.insert("response_format"_L1,
                       QJsonObject{{u"type"_s, u"json_schema"_s},
                                   {u"json_schema"_s, QJsonObject{{u"name"_s, u"output"_s}, {u"strict"_s, true},
                                                                  {u"schema"_s, format.value("schema"_L1)}}}});
            policy.mapped(u"output_config.format"_s, u"→ response_format json_schema"_s);
        } else if (it.key() != "effort"_L1) {
            if (auto error = policy.unknown("output_config."_L1 + it.key()))
                return error;
        }
    }
    const QJsonObject thinking = request.value("thinking"_L1).toObject();
    const QString effort = request.value("output_config"_L1).toObject().value("effort"_L1).toString();
    const QString type = thinking.value("type"_L1).toString();
    if (thinking.isEmpty() && effort.isEmpty())
        return std::nullopt;
    QString openAiEffort;
    if (!effort.isEmpty())
        openAiEffort = effort == "max"_L1 || effort == "xhigh"_L1 ? u"high"_s : effort;
    else if (type == "enabled"_L1) {
        const qint64 budget = thinking.value("budget_tokens"_L1).toInteger();
        openAiEffort = budget < 4096 ? u"low"_s : budget < 16384 ? u"medium"_s : u"high"_s;
    }
    const QString field = effort.isEmpty() ? u"thinking"_s : u"output_config.effort"_s;
    if (type == "disabled"_L1) {
        policy.dropped(u"thinking"_s, u"thinking switched off: the target answers without reasoning"_s);
    } else if (openAiEffort.isEmpty()) {
        policy.dropped(field, u"adaptive thinking without an effort: the target reasons as it does by default"_s);
    } else if (!TranslationPolicy::isOpenAiReasoningModel(policy.targetModel())) {
        policy.dropped(field, u"%1 does not reason; it answers without thinking"_s.arg(policy.targetModel()));
    } else {
        out.insert("reasoning_effort"_L1, openAiEffort);
        policy.mapped(field, u"→ reasoning_effort \"%1\""_s.arg(openAiEffort));
        if (!effort.isEmpty() && !thinking.isEmpty())
            policy.mapped(u"thinking"_s, u"→ reasoning_effort (with output_config.effort)"_s);
    }
    return std::nullopt;
}

// metadata.user_id → `user`, hashed: Claude Code sends a JSON string of ~150 characters and
// OpenAI takes at most 64; the hash keeps one user one identifier. Other metadata is dropped.
void mapMetadata(const QJsonObject &metadata, TranslationPolicy &policy, QJsonObject &out)
{
    for (auto it = metadata.constBegin(); it != metadata.constEnd(); ++it) {
        if (it.key() == "user_id"_L1 && it.value().isString()) {
            const QString id = it.value().toString();
            if (id.size() <= MaxUserChars) {
                out.insert("user"_L1, id);
                continue;
            }
            const QByteArray hash = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
            out.insert("user"_L1, QString::fromLatin1("sy-" + hash));
            policy.mapped(u"metadata.user_id"_s, u"→ user, hashed (%1 characters; OpenAI takes at most %2)"_s.arg(id.size())
                                                     .arg(MaxUserChars));
        } else {
            policy.dropped("metadata."_L1 + it.key(), u"request metadata changes no answer"_s);
        }
    }
}


} // namespace Switchyard::MessagesToChatFields
