// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QHash>
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI Responses request (POST /v1/responses) into an OpenAI Chat Completions
// request, for targets that do not speak the Responses API.
//
// - `instructions` → a leading system message.
// - `input` as a string → one user message. As a list of items:
//   messages ({role, content}, with or without "type": "message") keep their role (user,
//   assistant, system, developer); content parts input_text / output_text → text parts,
//   refusal → refusal parts, input_image with an image_url → image_url parts (`detail` kept);
//   function_call items → tool_calls on an assistant message (call_id kept as the tool call
//   id; consecutive calls, and an assistant message just before them, form one message);
//   function_call_output items → tool messages (call_id → tool_call_id; text parts joined).
//   reasoning items are dropped: they are an earlier model's own notes (often encrypted),
//   which another model cannot take back.
// - `tools` of type function (flattened: name, description, parameters, strict at the top)
//   → chat function tools; `tool_choice` auto/none/required/{type: function, name} → the chat
//   forms; parallel_tool_calls kept.
// - max_output_tokens → max_tokens; temperature, top_p, user, safety_identifier,
//   prompt_cache_key and service_tier kept; text.format json_schema/json_object →
//   response_format; text.verbosity → verbosity; stream → stream with
//   stream_options.include_usage (Responses streams always report usage).
// - Dropped because losing them changes no answer: store (nothing is stored: the response
//   says store false), metadata (echoed in the response only), truncation, include entries
//   other than output logprobs, stream_options, background false, reasoning without an effort.
// - Anything else gives an error naming the field: previous_response_id and conversation
//   (Switchyard keeps no responses), background true, prompt templates, built-in tools
//   (web_search, file_search, computer use, code interpreter, MCP, …), item_reference and
//   built-in tool call items, input_file and file_id images, reasoning effort, max_tool_calls,
//   log probabilities (top_logprobs, include message.output_text.logprobs), and any field
//   this code does not know.
class ResponsesToChat final
{
public:
    // The chat request, and where its parts came from in the Responses request, to name
    // fields in later errors: chat field path → Responses field path ("messages[0]" →
    // "instructions", "messages[2].tool_calls[1].function" → "input[5]", "response_format" →
    // "text.format", …).
    struct Translation
    {
        QJsonObject chat;
        QHash<QString, QString> origins;
    };

    // `model` is the model to ask for (the caller resolves aliases).
    static Result<Translation> translate(const QJsonObject &responsesRequest, const QString &model);

    // An error a later translation of the chat request gave ("\"messages[2].content[1]\": …"),
    // with the field named as the Responses request has it ("\"input[4].content[1]\": …").
    static Error inResponsesTerms(const Error &chatError, const QHash<QString, QString> &origins);
};

} // namespace Switchyard
