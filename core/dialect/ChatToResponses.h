// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI chat.completion into an OpenAI Responses `response` object, and holds the
// pieces the streaming translation (ChatToResponsesStream) shares with it.
//
// - message content (or refusal) → a `message` output item with one output_text part;
//   tool_calls → `function_call` output items after it (call_id = the tool call id, so the
//   client's function_call_output finds its call again; arguments as they came).
// - finish_reason length → status "incomplete", incomplete_details {reason:
//   "max_output_tokens"}; content_filter → incomplete, reason "content_filter"; anything
//   else → "completed".
// - usage {prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens,
//   completion_tokens_details.reasoning_tokens} → {input_tokens, input_tokens_details
//   {cached_tokens}, output_tokens, output_tokens_details {reasoning_tokens}, total_tokens}.
// - The request's settings are echoed as OpenAI does (instructions, tools, tool_choice,
//   temperature, top_p, max_output_tokens, parallel_tool_calls, text, truncation, user,
//   metadata), with defaults where the request had none; store is false (nothing is stored).
// - Ids: the upstream's id without its "chatcmpl-"/"msg_" prefix, as "resp_…"; items get
//   "msg_…" and "fc_…" ids made from it.
class ChatToResponses final
{
public:
    // `request` is the client's Responses request; `createdAt` the Unix time to report.
    static Result<QJsonObject> toResponse(const QJsonObject &completion, const QJsonObject &request, qint64 createdAt);

    // The response envelope with `status` (in_progress, completed, incomplete, failed), no
    // output and usage null.
    static QJsonObject envelope(const QJsonObject &request, const QString &upstreamId, const QString &model,
                                qint64 createdAt, const QString &status);
    // "completed", or "incomplete" for a finish_reason that cut the answer short.
    static QString statusFor(const QString &finishReason);
    // {reason} for an incomplete status, else null.
    static QJsonValue incompleteDetails(const QString &finishReason);
    static QJsonObject usage(const Usage &usage, qint64 reasoningTokens = 0);

    static QString responseId(const QString &upstreamId);
    static QString messageItemId(const QString &upstreamId);
    static QString functionCallItemId(const QString &upstreamId, int outputIndex);
    // An output_text content part.
    static QJsonObject textPart(const QString &text);
    static QJsonObject messageItem(const QString &id, const QJsonArray &content, const QString &status);
    static QJsonObject functionCallItem(const QString &id, const QString &callId, const QString &name,
                                        const QString &arguments, const QString &status, const QJsonObject &request);
};

} // namespace Switchyard
