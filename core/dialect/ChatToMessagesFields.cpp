// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessagesFields.h"
#include "core/dialect/DialectMapping.h"
#include <QJsonArray>

namespace Switchyard::ChatToMessagesFields {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

namespace {

// Every Chat Completions field this translation knows: read below, or dropped with the reason.
constexpr TranslationPolicy::Field s_fields[] = {
    {"model", nullptr}, {"messages", nullptr}, {"max_tokens", nullptr}, {"max_completion_tokens", nullptr},
    {"temperature", nullptr}, {"top_p", nullptr}, {"top_k", nullptr}, {"stop", nullptr}, {"stream", nullptr},
    {"tools", nullptr}, {"tool_choice", nullptr}, {"parallel_tool_calls", nullptr}, {"user", nullptr},
    {"safety_identifier", nullptr}, {"n", nullptr}, {"logprobs", nullptr}, {"top_logprobs", nullptr},
    {"frequency_penalty", nullptr}, {"presence_penalty", nullptr}, {"logit_bias", nullptr},
    {"response_format", nullptr}, {"modalities", nullptr}, {"audio", nullptr}, {"functions", nullptr},
    {"function_call", nullptr}, {"reasoning_effort", nullptr}, {"web_search_options", nullptr},
    {"stream_options", nullptr}, // Anthropic streams always carry usage: nothing to note
    {"store", "Anthropic stores no completions"},
    {"metadata", "stored-completion tags; Anthropic stores no completions"},
    {"seed", "best effort on OpenAI too; Anthropic has none"},
    {"service_tier", "service tiers are the provider's own; the target's default tier answers"},
    {"prediction", "a latency hint for predicted outputs"},
    {"prompt_cache_key", "Anthropic caches prompt prefixes by cache_control marks, not by key"},
    {"verbosity", "a length hint Anthropic models do not take"},
};

} // namespace

std::optional<Error> check(const QJsonObject &chat, TranslationPolicy &policy)
{
    if (auto error = policy.checkTopLevel(chat, s_fields))
        return error;
    for (auto it = chat.constBegin(); it != chat.constEnd(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (v.isNull())
            continue;
        if (key == "n"_L1) {
            if (v.toInteger() != 1)
                return untranslatable(
                    key, u"Anthropic models return one choice; n=%1 cannot be translated"_s.arg(v.toInteger()));
        } else if (key == "logprobs"_L1 || key == "top_logprobs"_L1) {
            if (v.toBool() || v.toInteger() != 0)
                return untranslatable(key, u"Anthropic models return no log probabilities"_s);
        } else if (key == "frequency_penalty"_L1 || key == "presence_penalty"_L1) {
            if (!qFuzzyIsNull(v.toDouble()))
                return untranslatable(key,
                                      u"Anthropic has no such penalty; %1 cannot be translated"_s.arg(v.toDouble()));
        } else if (key == "logit_bias"_L1) {
            if (!v.toObject().isEmpty())
                return untranslatable(key, u"Anthropic models take no token biases"_s);
        } else if (key == "response_format"_L1) {
            const QString type = v.toObject().value("type"_L1).toString();
            if (type != "text"_L1)
                return untranslatable(
                    key, u"Anthropic Messages has no response_format; %1 cannot be translated"_s.arg(type));
        } else if (key == "modalities"_L1) {
            for (const QJsonValue &modality : v.toArray()) {
                if (modality != "text"_L1)
                    return untranslatable(key, u"Anthropic models answer in text only; %1 cannot be translated"_s.arg(
                                                   modality.toString()));
            }
        } else if (key == "audio"_L1) {
            return untranslatable(key, u"Anthropic models give no audio output"_s);
        } else if (key == "functions"_L1 || key == "function_call"_L1) {
            return untranslatable(key,
                                  u"the deprecated functions API cannot be translated; use tools and tool_choice"_s);
        }
    }
    return std::nullopt;
}

// OpenAI's web_search_options → Anthropic's web search server tool, with the user's location.
QJsonObject webSearchTool(const QJsonObject &options)
{
    QJsonObject tool{{u"type"_s, u"web_search_20250305"_s}, {u"name"_s, u"web_search"_s}};
    const QJsonObject approximate = options.value("user_location"_L1).toObject().value("approximate"_L1).toObject();
    if (!approximate.isEmpty()) {
        QJsonObject location = approximate;
        location.insert("type"_L1, u"approximate"_s);
        tool.insert("user_location"_L1, location);
    }
    return tool;
}

// reasoning_effort → extended thinking with a budget, for Claude models that think. Anthropic
// wants max_tokens above the budget and no temperature other than 1 while thinking.
void mapReasoningEffort(const QJsonObject &chat, TranslationPolicy &policy, QJsonObject &out)
{
    const QString effort = chat.value("reasoning_effort"_L1).toString();
    if (effort.isEmpty())
        return;
    const int budget = effort == "low"_L1      ? 2048
                       : effort == "medium"_L1 ? 8192
                       : effort == "high"_L1   ? 16384
                       : effort == "xhigh"_L1  ? 32000
                                               : 0;
    if (budget == 0) {
        policy.dropped(u"reasoning_effort"_s, u"\"%1\": the target answers without extended thinking"_s.arg(effort));
    } else if (!TranslationPolicy::isAnthropicThinkingModel(policy.targetModel())) {
        policy.dropped(u"reasoning_effort"_s, u"%1 has no extended thinking"_s.arg(policy.targetModel()));
    } else if (out.contains("temperature"_L1) && !qFuzzyCompare(out.value("temperature"_L1).toDouble(), 1.0)) {
        policy.dropped(u"reasoning_effort"_s, u"Anthropic's extended thinking needs temperature 1"_s);
    } else {
        out.insert("thinking"_L1, QJsonObject{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, budget}});
        if (out.value("max_tokens"_L1).toInteger() <= budget)
            out.insert("max_tokens"_L1, out.value("max_tokens"_L1).toInteger() + budget);
        out.remove("top_k"_L1);
        policy.mapped(u"reasoning_effort"_s, u"→ thinking with a budget of %1 tokens"_s.arg(budget));
    }
}

} // namespace Switchyard::ChatToMessagesFields
