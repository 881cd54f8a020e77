// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
#include <QJsonArray>
#include <QJsonObject>

namespace Switchyard {

// The tools of an OpenAI Responses request as Chat Completions tools (ResponsesToChat).
namespace ResponsesToChatTools {

// Function tools as they are; namespace groups (Codex) flattened to functions named
// "<namespace>__<name>"; free-form custom tools → functions taking {"input": string}, the
// grammar told in the description; web_search → `chat`'s web_search_options. Any other
// built-in tool runs at OpenAI: refused.
Result<QJsonArray> functions(const QJsonArray &tools, TranslationPolicy &policy, QJsonObject &chat);
// tool_choice auto/none/required/{type: function, name} → the chat forms.
Result<QJsonValue> toolChoice(const QJsonValue &choice);

} // namespace ResponsesToChatTools

} // namespace Switchyard
