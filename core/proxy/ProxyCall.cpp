// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyCall.h"
#include "core/http/HttpExchange.h"
#include "core/proxy/AttemptRequest.h"
#include "core/routing/RetryDecision.h"
#include "core/routing/TargetHealth.h"
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include "core/secrets/SecretMasker.h"
#include <QRandomGenerator>

namespace Switchyard {

ProxyCall::ProxyCall(HttpExchange *exchange, ProxyContext context, RoutePlan plan, Dialect dialect, OpenAiBody body,
                     QString upstreamPath, CallRecord record, QObject *parent)
    : QObject(parent)
    , m_reply(exchange, context.maxLoggedBodyBytes)
    , m_dialect(dialect)
    , m_context(std::move(context))
    , m_plan(std::move(plan))
    , m_body(std::move(body))
    , m_upstreamPath(std::move(upstreamPath))
    , m_record(std::move(record))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ProxyCall::startAttempt);
}

void ProxyCall::start()
{
    m_clock.start();
    connect(m_reply.exchange(), &HttpExchange::clientGone, this, &ProxyCall::onClientGone);
    tryNextCandidate();
}

void ProxyCall::tryNextCandidate()
{
    m_attemptsOnTarget = 0;
    ++m_candidateIndex;
    while (m_candidateIndex < m_plan.candidates.size() && m_plan.candidates.at(m_candidateIndex).skip)
        ++m_candidateIndex;
    if (m_candidateIndex >= m_plan.candidates.size()) {
        failAll();
        return;
    }
    startAttempt();
}

void ProxyCall::startAttempt()
{
    const RouteCandidate &c = m_plan.candidates.at(m_candidateIndex);
    ++m_attemptsOnTarget;
    m_record.provider = c.provider.name;
    m_record.model = c.model;

    Attempt attempt;
    attempt.provider = c.provider.name;
    attempt.model = c.model;
    attempt.startedAfterMs = m_clock.elapsed();
    Result<AttemptCodec> codec =
        AttemptCodec::create(m_dialect, c.provider.kind, m_upstreamPath, m_body, c.model,
                             m_plan.strictTranslation ? TranslationPolicy::Mode::Strict : TranslationPolicy::Mode::Lenient);
    if (!codec) {
        m_record.attempts.append(attempt);
        // This target cannot take the request; another target of the alias may.
        attemptFailed(ErrorClass::BadRequest, codec.error().message, QByteArray());
        return;
    }
    m_codec = std::move(codec).value();

    const HttpHeaders &inbound = m_reply.exchange() ? m_reply.exchange()->request().headers : HttpHeaders();
    const UpstreamRequest request =
        AttemptRequest::build(c, *m_codec, inbound, m_context.apiKeys.value(c.provider.name), m_body.stream());
    attempt.requestBody = request.body.left(m_context.maxLoggedBodyBytes);
    attempt.translationNotes = m_codec->notes();
    m_record.attempts.append(attempt);
    Q_EMIT progressed(m_record);

    m_upstreamStatus = 0;
    m_upstreamHeaders = HttpHeaders();
    m_responseBody.clear();
    m_streaming = false;
    m_events = SseEventReader(m_context.config->limits.maxBodyBytes);
    m_call = m_context.client->createCall(request);
    connect(m_call, &UpstreamCall::responseHead, this, &ProxyCall::onHead);
    connect(m_call, &UpstreamCall::responseData, this, &ProxyCall::onData);
    connect(m_call, &UpstreamCall::finished, this, &ProxyCall::onUpstreamFinished);
    connect(m_call, &UpstreamCall::failed, this, &ProxyCall::onUpstreamFailed);
    m_call->start();
}

void ProxyCall::onHead(int status, const HttpHeaders &headers)
{
    m_upstreamStatus = status;
    m_upstreamHeaders = headers;
    m_streaming = m_body.stream() && status >= 200 && status < 300
                  && headers.value("content-type").toLower().contains("text/event-stream");
}

void ProxyCall::onData(const QByteArray &data)
{
    // Only a whole answer or one event is held here; either may not outgrow the body limit.
    if (m_streaming) {
        relay(m_events.feed(data));
        return;
    }
    const qint64 limit = m_context.config->limits.maxBodyBytes;
    m_responseBody += data;
    if (m_responseBody.size() > limit)
        dropUpstream(QStringLiteral("the upstream's answer is larger than limits.max_body_bytes (%1 bytes)").arg(limit));
}

// The upstream's answer cannot be used: stop reading it; the attempt failed as a broken response.
void ProxyCall::dropUpstream(const QString &message)
{
    if (m_call)
        m_call->abort();
    onUpstreamFailed(ErrorClass::BadUpstreamResponse, message);
}

void ProxyCall::releaseUpstream()
{
    if (!m_call)
        return;
    m_call->abort();
    m_call->deleteLater();
    m_call = nullptr;
}

void ProxyCall::onUpstreamFailed(ErrorClass errorClass, const QString &message)
{
    if (m_call) // null when the stream ended before its last event was found broken
        m_call->deleteLater();
    m_call = nullptr;
    if (m_reply.streamStarted()) {
        // Bytes already reached the client: no fallback now. End the stream with an error event.
        closeAttempt(m_upstreamStatus, ErrorClass::StreamInterrupted, message);
        m_context.health->recordFailure(TargetHealth::key(m_record.provider, m_record.model),
                                        QDateTime::currentMSecsSinceEpoch(), m_context.config->cooldown);
        m_reply.writeEvent(m_codec->clientStreamError(QStringLiteral("the upstream stream broke off: %1").arg(message),
                                                      errorClassName(ErrorClass::StreamInterrupted)));
        m_reply.endStream();
        finish(m_upstreamStatus, ErrorClass::StreamInterrupted, message);
        return;
    }
    m_last.status = 0;
    attemptFailed(errorClass == ErrorClass::StreamInterrupted ? ErrorClass::BadUpstreamResponse : errorClass, message, QByteArray());
}

void ProxyCall::attemptFailed(ErrorClass errorClass, const QString &message, const QByteArray &retryAfter)
{
    closeAttempt(m_upstreamStatus, errorClass, message);
    m_last.errorClass = errorClass;
    m_last.message = message;
    const RouteCandidate &c = m_plan.candidates.at(m_candidateIndex);
    const QString key = TargetHealth::key(c.provider.name, c.model);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (errorClass != ErrorClass::BadRequest)
        m_context.health->recordFailure(key, now.toMSecsSinceEpoch(), m_context.config->cooldown);
    const RetryDecision decision = RetryDecision::decide(
        c.retry, {errorClass, m_attemptsOnTarget, retryAfter, m_context.health->state(key).cooldownUntilMs}, now,
        QRandomGenerator::global()->generateDouble());
    if (decision.retrySameTarget)
        m_retryTimer.start(int(decision.delayMs));
    else
        tryNextCandidate();
}

void ProxyCall::succeed()
{
    closeAttempt(m_upstreamStatus, ErrorClass::None, QString());
    const Attempt &a = m_record.attempts.constLast();
    m_context.health->recordSuccess(TargetHealth::key(a.provider, a.model), double(m_record.ttftMs.value_or(a.durationMs)));
    finish(m_upstreamStatus, ErrorClass::None, QString());
}

void ProxyCall::failAll()
{
    const ClientAnswer answer = ClientAnswer::allTargetsFailed(m_plan, m_record.attempts, m_last, m_dialect);
    m_reply.respond(answer.status, answer.headers, answer.body, routing());
    finish(answer.status, answer.errorClass, answer.message);
}

void ProxyCall::onClientGone()
{
    if (m_done)
        return;
    if (m_reply.streamStarted() && m_codec && m_codec->streamComplete()) {
        // The answer reached its terminal event: the client had all of it (Codex hangs up on
        // response.completed before the upstream closes). Complete, with its usage and cost.
        releaseUpstream();
        succeed();
        return;
    }
    m_retryTimer.stop();
    if (m_call) {
        releaseUpstream(); // no orphaned upstream call keeps burning tokens
        closeAttempt(m_upstreamStatus, ErrorClass::ClientCancelled, QStringLiteral("the client disconnected"));
    }
    finish(499, ErrorClass::ClientCancelled, QStringLiteral("the client disconnected before the response was complete"));
}

void ProxyCall::closeAttempt(int status, ErrorClass errorClass, const QString &message)
{
    if (m_record.attempts.isEmpty())
        return;
    Attempt &a = m_record.attempts.last();
    a.status = status;
    a.errorClass = errorClass;
    a.message = message;
    a.durationMs = m_clock.elapsed() - a.startedAfterMs;
}

void ProxyCall::finish(int status, ErrorClass errorClass, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    m_record.status = status;
    m_record.errorClass = errorClass;
    m_record.ok = errorClass == ErrorClass::None && status >= 200 && status < 400;
    m_record.errorMessage = message;
    m_record.durationMs = m_clock.elapsed();
    m_record.responseHeaders = SecretMasker().masked(m_upstreamHeaders);
    m_record.responseBody = m_reply.logged();
    m_record.responseBodyTruncated = m_reply.loggedTruncated();
    Q_EMIT finished(m_record);
    deleteLater();
}

} // namespace Switchyard
