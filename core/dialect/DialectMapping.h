// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// The small value mappings that requests, responses and streams share when they cross between
// the OpenAI Chat Completions and the Anthropic Messages dialects. Pure functions.
namespace DialectMapping {

// Anthropic stop_reason → OpenAI finish_reason: end_turn, stop_sequence, pause_turn → "stop";
// max_tokens, model_context_window_exceeded → "length"; tool_use → "tool_calls";
// refusal → "content_filter"; anything else → "stop".
QString finishReasonFor(const QString &stopReason);
// OpenAI finish_reason → Anthropic stop_reason: stop → "end_turn"; length → "max_tokens";
// tool_calls, function_call → "tool_use"; content_filter → "refusal"; anything else → "end_turn".
QString stopReasonFor(const QString &finishReason);

// Anthropic usage → Usage in OpenAI terms: input_tokens counts neither cache reads nor cache
// writes, OpenAI's prompt_tokens counts both, so promptTokens = input_tokens +
// cache_read_input_tokens + cache_creation_input_tokens and cachedPromptTokens = cache reads.
Usage usageFromAnthropic(const QJsonObject &usage);
// {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details: {cached_tokens}}
QJsonObject openAiUsage(const Usage &usage);
// {input_tokens: prompt - cached, output_tokens, cache_read_input_tokens: cached,
//  cache_creation_input_tokens: 0} (OpenAI reports no cache writes)
QJsonObject anthropicUsage(const Usage &usage);

// OpenAI image_url part {url, detail} → Anthropic image block. A data: URL (base64, JPEG, PNG,
// GIF or WebP) becomes a base64 source, an http(s) URL a url source; `detail` has no Anthropic
// meaning and is dropped. `field` names the part in error messages.
Result<QJsonObject> anthropicImage(const QJsonObject &imageUrl, const QString &field);
// Anthropic image block → OpenAI {"type":"image_url","image_url":{"url"}} part.
Result<QJsonObject> openAiImagePart(const QJsonObject &image, const QString &field);

// OpenAI tool call {id, type: "function", function: {name, arguments}} → Anthropic tool_use
// block {id, name, input}: the JSON-string arguments parsed (empty → {}); arguments that are
// not a JSON object, or a tool call of another type, give an error naming `field`.
Result<QJsonObject> anthropicToolUse(const QJsonObject &toolCall, const QString &field);
// Anthropic tool_use block → OpenAI tool call, `input` serialised as compact JSON.
QJsonObject openAiToolCall(const QJsonObject &toolUse);

// OpenAI chat content from parts: a lone text part as its string, anything else as the parts.
QJsonValue chatTextOrParts(const QJsonArray &parts);

// `"field": why` — the message for something that cannot cross between the dialects.
Error untranslatable(const QString &field, const QString &why);

// Bytes ready to write: "event: <data.type>\ndata: {...}\n\n".
QByteArray anthropicEvent(const QJsonObject &data);
// Bytes ready to write: "data: {...}\n\n", and the stream's last event "data: [DONE]\n\n".
QByteArray openAiEvent(const QJsonObject &data);
QByteArray openAiDone();

} // namespace DialectMapping

} // namespace Switchyard
