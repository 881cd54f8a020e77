// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
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
//   function_call and custom_tool_call items → tool_calls on an assistant message (call_id
//   kept as the tool call id; a namespaced call named "<namespace>__<name>"; a custom call's
//   input as {"input": …}; consecutive calls, and an assistant message just before them, form
//   one message); function_call_output / custom_tool_call_output items → tool messages.
//   reasoning and web_search_call items are dropped with a note.
// - `tools`: function tools → chat function tools; namespace groups (Codex) flattened to
//   functions named "<namespace>__<name>"; free-form custom tools → functions taking
//   {"input": string} (the grammar told in the description); web_search →
//   web_search_options. tool_choice and parallel_tool_calls kept.
// - max_output_tokens → max_tokens; temperature, top_p, user, safety_identifier,
//   prompt_cache_key and service_tier kept; reasoning.effort → reasoning_effort;
//   text.format json_schema/json_object → response_format; text.verbosity → verbosity; stream
//   → stream with stream_options.include_usage (Responses streams always report usage).
// - Dropped with a note: store (the response says store false), metadata, truncation,
//   stream_options, client_metadata, include entries other than output logprobs, reasoning
//   summaries, and (unless the policy is strict) any field this code does not know.
// - Refused: previous_response_id and conversation (Switchyard keeps no responses),
//   background true, prompt templates, built-in tools other than web search (file_search,
//   computer use, code interpreter, MCP, …), item_reference and other built-in tool call
//   items, input_file and file_id images, log probabilities.
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

    // `model` is the model to ask for (the caller resolves aliases); notes go to `policy`.
    static Result<Translation> translate(const QJsonObject &responsesRequest, const QString &model,
                                         TranslationPolicy &policy);
    // The same with a strict policy whose notes are not kept.
    static Result<Translation> translate(const QJsonObject &responsesRequest, const QString &model);

    // A namespaced tool's name as a chat function: "<namespace>__<name>" (just the name outside one).
    static QString flatToolName(const QString &ns, const QString &name);
    // The other way, for a call the target made: {namespace, name}, the namespace empty when
    // `request` has no namespace tool of that name.
    static std::pair<QString, QString> clientToolName(const QJsonObject &request, const QString &flatName);

    // An error a later translation of the chat request gave ("\"messages[2].content[1]\": …"),
    // with the field named as the Responses request has it ("\"input[4].content[1]\": …").
    static Error inResponsesTerms(const Error &chatError, const QHash<QString, QString> &origins);
};

} // namespace Switchyard
