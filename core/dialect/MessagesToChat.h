// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include "core/dialect/TranslationPolicy.h"
#include <QJsonObject>

namespace Switchyard {

// Turns an Anthropic Messages request into an OpenAI Chat Completions request.
//
// - `system` (a string or text blocks) → one leading system message; a mid-conversation turn
//   with role "system" (Claude Code sends them) → a system message in the same place.
// - user turns: text and image blocks → content parts (base64 sources → data: URLs, url
//   sources → the URL); tool_result blocks → tool messages (tool_use_id kept as
//   tool_call_id) placed before the rest of the turn, as OpenAI wants them right after the
//   assistant's tool_calls. A tool_result with is_error true gets "Error: " before its text,
//   since OpenAI tool messages have no error flag; a tool_reference becomes a line of text.
// - assistant turns: text blocks joined → content; tool_use blocks → tool_calls (ids kept,
//   `input` serialised as the JSON-string `arguments`); thinking and redacted_thinking blocks
//   are dropped with a note (OpenAI models cannot take them back).
// - tools → function tools (input_schema → parameters, strict kept); tool_choice
//   auto/any/tool/none → auto/required/{function}/none; disable_parallel_tool_use →
//   parallel_tool_calls false.
// - max_tokens → max_tokens (the field every OpenAI-compatible server reads), or
//   max_completion_tokens for OpenAI's reasoning models; temperature, top_p, stop_sequences →
//   stop; thinking / output_config.effort → reasoning_effort when the target reasons (else
//   dropped with a note); output_config.format → response_format json_schema;
//   metadata.user_id → `user`, hashed; stream → stream with stream_options.include_usage.
// - Dropped with a note, because losing them changes no answer: cache_control marks,
//   defer_loading (the deferred tools are offered up front), input_examples, service_tier,
//   context_management, inference_geo, other metadata, and (unless the policy is strict) any
//   field this code does not know.
// - Refused, because they change the answer and have no equivalent: top_k, more than 4 stop
//   sequences, server tools (web search, code execution, …), document and other blocks
//   OpenAI chat cannot take, images inside tool results, container, mcp_servers.
class MessagesToChat final
{
public:
    // `model` is the OpenAI(-compatible) model to ask for (the caller resolves aliases).
    // Notes of what was mapped or dropped go to `policy`.
    static Result<QJsonObject> translate(const QJsonObject &messagesRequest, const QString &model,
                                         TranslationPolicy &policy);
    // The same with a strict policy whose notes are not kept.
    static Result<QJsonObject> translate(const QJsonObject &messagesRequest, const QString &model);

    static constexpr int MaxStopSequences = 4; // OpenAI's limit
};

} // namespace Switchyard
