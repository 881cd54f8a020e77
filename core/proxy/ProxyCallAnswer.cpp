// SPDX-License-Identifier: GPL-3.0-or-later
// ProxyCall, the client's side: an upstream answer going out to the client (relayed event by
// event, or whole, or as a refusal in the client's dialect). The attempts are in ProxyCall.cpp.
#include "core/proxy/ProxyCall.h"
#include "core/secrets/SecretMasker.h"
#include "core/upstream/UpstreamCall.h"

namespace Switchyard {

bool ProxyCall::relay(const SseEventReader::Batch &batch)
{
    for (const SseEvent &event : batch.events)
        sendToClient(m_codec->clientEvents(event, m_record.usage));
    if (batch.error.isEmpty())
        return true;
    dropUpstream(batch.error);
    return false;
}

void ProxyCall::sendToClient(const QByteArrayList &events)
{
    for (const QByteArray &out : events) {
        if (!m_reply.streamStarted())
            startClientStream();
        m_reply.writeEvent(out);
    }
}

void ProxyCall::startClientStream()
{
    m_record.ttftMs = m_clock.elapsed();
    Q_EMIT progressed(m_record);
    m_reply.startStream(m_upstreamStatus, ClientAnswer::passedHeaders(m_upstreamHeaders), routing());
}

ClientReply::Routing ProxyCall::routing() const
{
    return {m_record.provider, m_record.model, int(m_record.attempts.size()), m_codec ? m_codec->notesSummary() : QByteArray()};
}

void ProxyCall::onUpstreamFinished()
{
    const int status = m_upstreamStatus;
    const std::optional<qint64> firstByte = m_call->firstByteMs();
    m_call->deleteLater();
    m_call = nullptr;
    if (status >= 200 && status < 300) {
        if (m_streaming) {
            if (endStream(status))
                succeed();
        } else {
            answerWhole(status, firstByte);
        }
        return;
    }
    answerRefusal(status);
}

// The upstream's stream ended: the last events go out. False when the call has ended otherwise.
bool ProxyCall::endStream(int status)
{
    if (!relay(m_events.finish())) // an unterminated last event still goes out
        return false;
    sendToClient(m_codec->finishStream(m_record.usage));
    if (!m_reply.streamStarted())
        startClientStream();
    m_reply.endStream();
    if (!m_codec->streamError().isEmpty()) { // the upstream reported an error inside its stream
        closeAttempt(status, ErrorClass::StreamInterrupted, m_codec->streamError());
        finish(status, ErrorClass::StreamInterrupted, m_codec->streamError());
        return false;
    }
    return true;
}

void ProxyCall::answerWhole(int status, std::optional<qint64> firstByteMs)
{
    const Result<QByteArray> body = m_codec->clientBody(m_responseBody, m_record.usage);
    if (!body) {
        m_last.status = 0;
        attemptFailed(ErrorClass::BadUpstreamResponse,
                      QStringLiteral("the upstream answered %1 with a body that cannot be used (%2): %3")
                          .arg(status)
                          .arg(QString::fromLatin1(m_upstreamHeaders.value("content-type", "no content type")), body.error().message),
                      QByteArray());
        return;
    }
    m_record.ttftMs = firstByteMs;
    Q_EMIT progressed(m_record); // the answer goes out now, from this target
    m_reply.respond(status, ClientAnswer::passedHeaders(m_upstreamHeaders), body.value(), routing());
    succeed();
}

// A non-2xx answer: retried or passed on to the client in its dialect.
void ProxyCall::answerRefusal(int status)
{
    const ErrorClass errorClass = status < 400 ? ErrorClass::BadUpstreamResponse : errorClassForStatus(status);
    const QString message = QStringLiteral("HTTP %1: %2").arg(status).arg(ClientAnswer::upstreamMessage(m_responseBody));
    // An upstream may echo the key it was sent ("Incorrect API key provided: sk-…"); clients never see it.
    const QByteArray clientError = m_context.masker->masked(m_codec->clientError(m_responseBody, status));
    if (isRetryable(errorClass)) {
        m_last.status = status;
        m_last.body = clientError;
        m_last.headers = m_upstreamHeaders;
        attemptFailed(errorClass, message, m_upstreamHeaders.value("retry-after"));
        return;
    }
    // The request itself was refused (a 4xx other than 429): retrying would not help.
    closeAttempt(status, errorClass, message);
    m_reply.respond(status, ClientAnswer::passedHeaders(m_upstreamHeaders), clientError, routing());
    finish(status, errorClass, message);
}

} // namespace Switchyard
