// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
#include <QJsonObject>
#include <optional>

namespace Switchyard {

// The top-level fields of an OpenAI chat request on their way to Anthropic Messages: which are
// known, which are refused, and the mappings that are not about the conversation itself.
namespace ChatToMessagesFields {

// Every top-level field checked against the direction's table (dropped ones noted, unknown
// ones dropped or, when strict, refused); n > 1, log probabilities, penalties, logit_bias,
// response_format, audio and the functions API refused.
std::optional<Error> check(const QJsonObject &chat, TranslationPolicy &policy);
// OpenAI's web_search_options → Anthropic's web search server tool, with the user's location.
QJsonObject webSearchTool(const QJsonObject &options);
// reasoning_effort → extended thinking with a budget for Claude models that think (max_tokens
// raised above the budget; not with a temperature other than 1); otherwise a note.
void mapReasoningEffort(const QJsonObject &chat, TranslationPolicy &policy, QJsonObject &out);

} // namespace ChatToMessagesFields

} // namespace Switchyard
