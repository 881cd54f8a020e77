// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/dialect/ChatToMessagesStream.h"
#include "core/dialect/MessagesToChatStream.h"
#include "core/dialect/MessagesToResponsesStream.h"
#include "core/dialect/TranslationPolicy.h"
#include "core/record/CallRecord.h"
#include "core/record/Dialect.h"
#include "core/record/OpenAiBody.h"
#include "core/stream/SseParser.h"
#include "core/util/Result.h"
#include <optional>

namespace Switchyard {

// How one attempt speaks to its target: the path and body to send, and how the answer is
// turned back into the client's dialect (whole bodies, error bodies, stream events), with
// the usage read on the way. Same-dialect attempts pass bytes through untouched apart from
// the model (and, for OpenAI streams, the request for usage). OpenAI Responses requests
// (endpoint "/responses") pass through to OpenAI-kind targets and are translated for
// Anthropic-kind ones: Responses → chat → Messages, and back event by event.
class AttemptCodec final
{
public:
    // `endpointPath`: the upstream path for an OpenAI-kind target ("/chat/completions",
    // "/embeddings", "/responses"); Anthropic-kind targets get "/v1/messages" (or
    // "/v1/messages/count_tokens").
    // `mode`: how a translation treats fields it does not know (the alias's "translation").
    // A refusal's message names the translation ("… (Responses → Messages)").
    static Result<AttemptCodec> create(Dialect inbound, ProviderKind target, const QString &endpointPath,
                                       const OpenAiBody &body, const QString &model,
                                       TranslationPolicy::Mode mode = TranslationPolicy::Mode::Lenient);

    const QString &upstreamPath() const { return m_path; }
    const QByteArray &upstreamBody() const { return m_body; }
    bool translates() const { return m_inbound != toDialect(m_target); }
    // What the translation mapped or dropped (empty when the body passed through), and the
    // one-line summary for the x-switchyard-translation header (empty then too).
    const TranslationNotes &notes() const { return m_notes; }
    const QByteArray &notesSummary() const { return m_summary; }
    // Whether the answer reached its terminal event ([DONE], message_stop, response.completed…).
    bool streamComplete() const { return m_streamComplete; }

    // A complete 2xx body in the target's dialect → the client's; usage filled in.
    Result<QByteArray> clientBody(const QByteArray &upstreamBody, Usage &usage) const;
    // An error body in the target's dialect → the client's.
    QByteArray clientError(const QByteArray &upstreamBody, int status) const;
    // One upstream stream event → what the client gets now (possibly nothing); usage updated.
    QByteArrayList clientEvents(const SseEvent &event, Usage &usage);
    // The upstream stream ended: what the client still needs.
    QByteArrayList finishStream(Usage &usage);
    // An error the upstream reported inside the stream, once seen.
    QString streamError() const;

    // Switchyard's own terminal error event for a broken stream, in the client's dialect.
    static QByteArray streamErrorEvent(Dialect dialect, const QString &message, const QString &code);
    // The same for this attempt's stream: for Responses clients an `error` event numbered
    // after the events already sent (and response.failed when the stream was translated).
    QByteArray clientStreamError(const QString &message, const QString &code);

private:
    // Responses → chat → Messages for an Anthropic-kind target.
    static Result<AttemptCodec> translateResponses(AttemptCodec codec, const QJsonObject &request, bool stream,
                                                   const QString &model, TranslationPolicy &policy);
    void keepNotes(const TranslationPolicy &policy);
    // Usage from a whole answer's "usage" (and, from count_tokens, "input_tokens").
    void readUsage(const QJsonObject &usage, std::optional<double> inputTokens, Usage &out) const;
    void seeTerminal(const SseEvent &event);
    static Dialect toDialect(ProviderKind kind) { return kind == ProviderKind::Anthropic ? Dialect::Anthropic : Dialect::OpenAi; }

    Dialect m_inbound = Dialect::OpenAi;
    ProviderKind m_target = ProviderKind::OpenAI;
    bool m_clientWantsUsage = false;
    bool m_responsesApi = false; // OpenAI Responses: usage in input/output tokens
    int m_eventsPassed = 0;      // Responses events passed through, for the next sequence_number
    QJsonObject m_responsesRequest; // the client's Responses request, when it is translated
    QString m_path;
    QByteArray m_body;
    QString m_streamError;
    TranslationNotes m_notes;
    QByteArray m_summary;
    bool m_streamComplete = false;
    // Stream translators, present only when the dialects differ.
    std::optional<MessagesToChatStream> m_toChat;
    std::optional<ChatToMessagesStream> m_toMessages;
    std::optional<MessagesToResponsesStream> m_toResponses;
};

} // namespace Switchyard
