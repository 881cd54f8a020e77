// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// Turns an Anthropic Messages request into an OpenAI Chat Completions request.
//
// - `system` (a string or text blocks) → one leading system message.
// - user turns: text and image blocks → content parts (base64 sources → data: URLs, url
//   sources → the URL); tool_result blocks → tool messages (tool_use_id kept as
//   tool_call_id) placed before the rest of the turn, as OpenAI wants them right after the
//   assistant's tool_calls. A tool_result with is_error true gets "Error: " before its text,
//   since OpenAI tool messages have no error flag.
// - assistant turns: text blocks joined → content; tool_use blocks → tool_calls (ids kept,
//   `input` serialised as the JSON-string `arguments`); thinking and redacted_thinking blocks
//   are dropped (OpenAI models cannot take them back).
// - tools → function tools (input_schema → parameters); tool_choice auto/any/tool/none →
//   auto/required/{function}/none; disable_parallel_tool_use → parallel_tool_calls false.
// - max_tokens → max_tokens (the field every OpenAI-compatible server reads), temperature,
//   top_p, stop_sequences → stop, metadata.user_id → user; stream → stream with
//   stream_options.include_usage true, so streamed calls report usage.
// - Dropped because losing them changes no answer: cache_control on blocks and tools (OpenAI
//   caches prompts by itself), service_tier, thinking {type: disabled}, anthropic_version.
// - Anything else gives an error naming the field: top_k, more than 4 stop sequences,
//   thinking enabled, server tools (web search, code execution, …), document and other
//   blocks OpenAI chat cannot take, images inside tool results, container, mcp_servers,
//   and any field this code does not know.
class MessagesToChat final
{
public:
    // `model` is the OpenAI(-compatible) model to ask for (the caller resolves aliases).
    static Result<QJsonObject> translate(const QJsonObject &messagesRequest, const QString &model);

    static constexpr int MaxStopSequences = 4; // OpenAI's limit
};

} // namespace Switchyard
