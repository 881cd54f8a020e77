// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI Chat Completions request into an Anthropic Messages request.
//
// - system and developer messages, wherever they stand, become `system` text blocks in order
//   (a single string when there is one); Anthropic has no mid-conversation system turn.
// - user, assistant and tool messages become alternating user/assistant turns: consecutive
//   turns of one role are merged, tool messages become tool_result blocks (tool_call_id kept
//   as tool_use_id) at the start of the following user turn, assistant tool_calls become
//   tool_use blocks (ids kept, JSON-string arguments parsed into `input`). Empty text is left
//   out (Anthropic rejects empty text blocks), and so is a turn left with no content.
// - image_url parts: data: URLs → base64 sources, http(s) URLs → url sources.
// - tools → {name, description, input_schema}; tool_choice auto/none/required/{function} →
//   auto/none/any/{tool}; parallel_tool_calls false → disable_parallel_tool_use true.
// - max_completion_tokens (else max_tokens) → max_tokens; when the request has neither,
//   max_tokens is 4096, because Anthropic requires it.
// - temperature (0–1 only), top_p, top_k, stop (string or list) → stop_sequences, stream;
//   user (else safety_identifier) → metadata.user_id.
// - reasoning_effort low/medium/high/xhigh → extended thinking with a budget of 2k/8k/16k/32k
//   tokens for Claude models that think (max_tokens raised above the budget); otherwise
//   dropped with a note. web_search_options → Anthropic's web_search server tool.
// - Dropped with a note, because losing them changes no answer: store, metadata (OpenAI's
//   stored-completion tags), seed (best effort on OpenAI too), service_tier, prediction,
//   prompt_cache_key, verbosity, and (unless the policy is strict) any field this code does
//   not know. Dropped silently: stream_options (Anthropic streams always carry usage),
//   message `name`, image `detail`, function `strict`, a null field.
// - Refused, because they change the answer and have no equivalent: n > 1, logprobs,
//   top_logprobs, response_format json_object/json_schema, audio and modalities other than
//   text, input_audio and file parts, non-zero frequency/presence penalties, logit_bias,
//   the deprecated functions API, non-function tools, temperature above 1.
class ChatToMessages final
{
public:
    // `model` is the Anthropic model to ask for (the caller resolves aliases).
    // Notes of what was mapped or dropped go to `policy`.
    static Result<QJsonObject> translate(const QJsonObject &chatRequest, const QString &model,
                                         TranslationPolicy &policy);
    // The same with a strict policy whose notes are not kept.
    static Result<QJsonObject> translate(const QJsonObject &chatRequest, const QString &model);

    static constexpr int DefaultMaxTokens = 4096;
};

} // namespace Switchyard
