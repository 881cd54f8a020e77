// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyCall.h"
#include "core/http/HttpExchange.h"
#include "core/http/JsonErrors.h"
#include "core/proxy/AttemptCodec.h"
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include "core/util/SecretMasker.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace Switchyard {

namespace {

QUrl joinUrl(const QUrl &base, const QString &path)
{
    QUrl url = base;
    QString basePath = base.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

// The error message an upstream put in its body, or the start of the body.
QString upstreamMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString message = o.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    if (!message.isEmpty())
        return message;
    return QString::fromUtf8(body.left(300)).simplified();
}

// An event whose data a client can parse: JSON, OpenAI's "[DONE]", or nothing.
bool isJsonEvent(const SseEvent &event)
{
    const QByteArray data = event.data.trimmed();
    QJsonParseError error{};
    if (!data.isEmpty() && data != "[DONE]")
        QJsonDocument::fromJson(data, &error);
    return error.error == QJsonParseError::NoError;
}

qint64 backoffMs(int baseMs, int attempt)
{
    // Exponential with full jitter around the nominal value: base·2^(n-1)·[0.5, 1.5).
    const double nominal = baseMs * std::pow(2.0, attempt - 1);
    return qMin<qint64>(qint64(nominal * (0.5 + QRandomGenerator::global()->generateDouble())), ProxyCall::MaxRetryAfterMs);
}

} // namespace

ProxyCall::ProxyCall(HttpExchange *exchange, ProxyContext context, RoutePlan plan, Dialect dialect, OpenAiBody body,
                     QString upstreamPath, CallRecord record, QObject *parent)
    : QObject(parent)
    , m_exchange(exchange)
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

std::optional<qint64> ProxyCall::retryAfterMs(const QByteArray &value, const QDateTime &now)
{
    QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    // delay-seconds: digits (a fraction tolerated); not "-1", "1e3", "inf" or "nan".
    if (std::all_of(v.cbegin(), v.cend(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
        bool ok = false;
        const double seconds = v.toDouble(&ok);
        return ok ? std::optional<qint64>(qint64(std::min(seconds, 1e9) * 1000)) : std::nullopt;
    }
    // An HTTP-date ends in "GMT", which Qt's RFC 2822 parser does not accept; "+0000" it does.
    if (v.endsWith(" GMT"))
        v = v.chopped(3) + "+0000";
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return qMax<qint64>(0, now.msecsTo(when));
}

void ProxyCall::start()
{
    m_clock.start();
    connect(m_exchange, &HttpExchange::clientGone, this, &ProxyCall::onClientGone);
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
        attemptFailed(ErrorClass::BadRequest, codec.error().message, std::nullopt);
        return;
    }
    m_codec = std::move(codec).value();

    UpstreamRequest request;
    request.url = joinUrl(c.provider.baseUrl, m_codec->upstreamPath());
    request.timeouts = c.timeouts;
    request.body = m_codec->upstreamBody();
    const HttpHeaders &inbound = m_exchange ? m_exchange->request().headers : HttpHeaders();
    request.headers.add("Content-Type", "application/json");
    request.headers.add("Accept", m_body.stream() ? "text/event-stream" : "application/json");
    request.headers.add("Accept-Encoding", "identity");
    request.headers.add("User-Agent", inbound.value("user-agent", "switchyard"));
    const QByteArray key = m_context.apiKeys.value(c.provider.name);
    if (c.provider.kind == ProviderKind::Anthropic) {
        if (!key.isEmpty())
            request.headers.add("x-api-key", key);
        request.headers.add("anthropic-version", inbound.value("anthropic-version", "2023-06-01"));
        if (inbound.contains("anthropic-beta"))
            request.headers.add("anthropic-beta", inbound.value("anthropic-beta"));
    } else {
        if (!key.isEmpty())
            request.headers.add("Authorization", "Bearer " + key);
        if (inbound.contains("openai-beta"))
            request.headers.add("OpenAI-Beta", inbound.value("openai-beta"));
    }
    attempt.requestBody = request.body.left(m_context.maxLoggedBodyBytes);
    attempt.translationNotes = m_codec->notes();
    m_record.attempts.append(attempt);

    m_upstreamStatus = 0;
    m_upstreamHeaders = HttpHeaders();
    m_responseBody.clear();
    m_streaming = false;
    m_sse = SseParser();
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
    const qint64 limit = m_context.config->limits.maxBodyBytes;
    if (m_streaming) {
        if (forwardEvents(m_sse.feed(data)) && m_sse.pending().size() > limit)
            dropUpstream(QStringLiteral("the upstream sent an event larger than limits.max_body_bytes (%1 bytes)").arg(limit));
        return;
    }
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

bool ProxyCall::forwardEvents(const QList<SseEvent> &events)
{
    for (const SseEvent &event : events) {
        if (!isJsonEvent(event)) { // passed on or translated, it would break the client's parser
            dropUpstream(QStringLiteral("the upstream sent an event that is not JSON: %1").arg(QString::fromUtf8(event.data.left(120))));
            return false;
        }
        for (const QByteArray &out : m_codec->clientEvents(event, m_record.usage)) {
            if (!m_clientStreamStarted)
                startClientStream();
            logResponse(out);
            if (m_exchange)
                m_exchange->writeChunk(out);
        }
    }
    return true;
}

void ProxyCall::startClientStream()
{
    m_clientStreamStarted = true;
    m_record.ttftMs = m_clock.elapsed();
    if (!m_exchange)
        return;
    m_exchange->addResponseHeader("Cache-Control", "no-cache");
    addRoutingHeaders();
    m_exchange->startStream(m_upstreamStatus, clientHeaders(m_upstreamHeaders));
}

void ProxyCall::onUpstreamFinished()
{
    const int status = m_upstreamStatus;
    const std::optional<qint64> firstByte = m_call->firstByteMs();
    m_call->deleteLater();
    m_call = nullptr;
    if (status >= 200 && status < 300) {
        if (m_streaming) {
            // An unterminated last event still goes out.
            if (!m_sse.pending().trimmed().isEmpty()
                && !forwardEvents(m_sse.feed(m_sse.pending().endsWith('\n') ? QByteArray("\n") : QByteArray("\n\n"))))
                return;
            for (const QByteArray &out : m_codec->finishStream(m_record.usage)) {
                if (!m_clientStreamStarted)
                    startClientStream();
                logResponse(out);
                if (m_exchange)
                    m_exchange->writeChunk(out);
            }
            if (!m_clientStreamStarted)
                startClientStream();
            if (m_exchange)
                m_exchange->endStream();
            if (!m_codec->streamError().isEmpty()) { // the upstream reported an error inside its stream
                closeAttempt(status, ErrorClass::StreamInterrupted, m_codec->streamError());
                finish(status, ErrorClass::StreamInterrupted, m_codec->streamError());
                return;
            }
        } else {
            const Result<QByteArray> body = m_codec->clientBody(m_responseBody, m_record.usage);
            if (!body) {
                m_lastStatus = 0;
                attemptFailed(ErrorClass::BadUpstreamResponse,
                              QStringLiteral("the upstream answered %1 with a body that cannot be used (%2): %3")
                                  .arg(status)
                                  .arg(QString::fromLatin1(m_upstreamHeaders.value("content-type", "no content type")), body.error().message),
                              std::nullopt);
                return;
            }
            m_record.ttftMs = firstByte;
            logResponse(body.value());
            if (m_exchange) {
                addRoutingHeaders();
                m_exchange->respond(status, clientHeaders(m_upstreamHeaders), body.value());
            }
        }
        succeed();
        return;
    }
    const ErrorClass errorClass = status < 400 ? ErrorClass::BadUpstreamResponse : errorClassForStatus(status);
    const QString message = QStringLiteral("HTTP %1: %2").arg(status).arg(upstreamMessage(m_responseBody));
    // An upstream may echo the key it was sent ("Incorrect API key provided: sk-…"); clients never see it.
    const QByteArray clientError = SecretMasker(m_context.apiKeys.values()).masked(m_codec->clientError(m_responseBody, status));
    if (isRetryable(errorClass)) {
        m_lastStatus = status;
        m_lastBody = clientError;
        m_lastHeaders = m_upstreamHeaders;
        attemptFailed(errorClass, message, retryAfterMs(m_upstreamHeaders.value("retry-after"), QDateTime::currentDateTimeUtc()));
        return;
    }
    // The request itself was refused (a 4xx other than 429): retrying would not help.
    closeAttempt(status, errorClass, message);
    logResponse(clientError);
    if (m_exchange) {
        addRoutingHeaders();
        m_exchange->respond(status, clientHeaders(m_upstreamHeaders), clientError);
    }
    finish(status, errorClass, message);
}

void ProxyCall::onUpstreamFailed(ErrorClass errorClass, const QString &message)
{
    if (m_call) // null when the stream ended before its last event was found broken
        m_call->deleteLater();
    m_call = nullptr;
    if (m_clientStreamStarted) {
        // Bytes already reached the client: no fallback now. End the stream with an error event.
        closeAttempt(m_upstreamStatus, ErrorClass::StreamInterrupted, message);
        m_context.health->recordFailure(TargetHealth::key(m_record.provider, m_record.model),
                                        QDateTime::currentMSecsSinceEpoch(), m_context.config->cooldown);
        if (m_exchange) {
            const QByteArray event = m_codec->clientStreamError(QStringLiteral("the upstream stream broke off: %1").arg(message),
                                                                errorClassName(ErrorClass::StreamInterrupted));
            logResponse(event);
            m_exchange->writeChunk(event);
            m_exchange->endStream();
        }
        finish(m_upstreamStatus, ErrorClass::StreamInterrupted, message);
        return;
    }
    m_lastStatus = 0;
    attemptFailed(errorClass == ErrorClass::StreamInterrupted ? ErrorClass::BadUpstreamResponse : errorClass, message, std::nullopt);
}

void ProxyCall::attemptFailed(ErrorClass errorClass, const QString &message, std::optional<qint64> retryAfter)
{
    closeAttempt(m_upstreamStatus, errorClass, message);
    m_lastClass = errorClass;
    m_lastMessage = message;
    const RouteCandidate &c = m_plan.candidates.at(m_candidateIndex);
    const QString key = TargetHealth::key(c.provider.name, c.model);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (errorClass != ErrorClass::BadRequest)
        m_context.health->recordFailure(key, now, m_context.config->cooldown);
    const bool retrySame = isRetryable(errorClass) && m_attemptsOnTarget < c.retry.maxAttempts
                           && !(retryAfter && *retryAfter > MaxRetryAfterMs) && !m_context.health->isCoolingDown(key, now);
    if (!retrySame) {
        tryNextCandidate();
        return;
    }
    m_retryTimer.start(int(qMax(backoffMs(c.retry.backoffMs, m_attemptsOnTarget), retryAfter.value_or(0))));
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
    int status = 0;
    QByteArray body;
    HttpHeaders headers;
    ErrorClass errorClass = m_lastClass;
    QString message;
    if (m_record.attempts.isEmpty()) {
        errorClass = ErrorClass::NoHealthyTarget;
        status = 503;
        QStringList cooling;
        for (const RouteCandidate &c : std::as_const(m_plan.candidates))
            cooling << c.provider.name + QLatin1Char('/') + c.model + QStringLiteral(" (") + c.reason + QLatin1Char(')');
        message = QStringLiteral("no target of \"%1\" is available: %2").arg(m_plan.requested, cooling.join(QStringLiteral("; ")));
    } else if (m_lastStatus >= 400) {
        // Every target failed; the client sees the last upstream answer as it was.
        status = m_lastStatus;
        body = m_lastBody;
        headers = clientHeaders(m_lastHeaders);
        message = m_lastMessage;
    } else {
        const bool timedOut = errorClass == ErrorClass::TimeoutConnect || errorClass == ErrorClass::TimeoutFirstByte
                              || errorClass == ErrorClass::TimeoutIdle;
        status = timedOut ? 504 : 502;
        QStringList tried;
        for (const Attempt &a : std::as_const(m_record.attempts))
            tried << QStringLiteral("%1/%2: %3 (%4)").arg(a.provider, a.model, errorClassName(a.errorClass), a.message);
        message = QStringLiteral("all %1 attempts for \"%2\" failed: %3")
                      .arg(m_record.attempts.size()).arg(m_plan.requested, tried.join(QStringLiteral("; ")));
    }
    if (errorClass == ErrorClass::BadRequest && m_lastStatus < 400)
        status = 400; // no target could take the request as it is: the client's to fix
    if (body.isEmpty()) {
        body = m_dialect == Dialect::Anthropic ? JsonErrors::anthropic(status, message)
                                               : JsonErrors::openAi(status, message, errorClassName(errorClass));
        headers.set("Content-Type", "application/json");
    }
    logResponse(body);
    if (m_exchange) {
        addRoutingHeaders();
        m_exchange->respond(status, headers, body);
    }
    finish(status, errorClass, message);
}

void ProxyCall::onClientGone()
{
    if (m_done)
        return;
    if (m_clientStreamStarted && m_codec && m_codec->streamComplete()) {
        // The answer reached its terminal event: the client had all of it (Codex hangs up on
        // response.completed before the upstream closes). Complete, with its usage and cost.
        if (m_call) {
            m_call->abort();
            m_call->deleteLater();
            m_call = nullptr;
        }
        succeed();
        return;
    }
    m_retryTimer.stop();
    if (m_call) {
        m_call->abort(); // no orphaned upstream call keeps burning tokens
        m_call->deleteLater();
        m_call = nullptr;
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
    Q_EMIT finished(m_record);
    deleteLater();
}

void ProxyCall::addRoutingHeaders()
{
    m_exchange->addResponseHeader("x-switchyard-provider", m_record.provider.toUtf8());
    m_exchange->addResponseHeader("x-switchyard-model", m_record.model.toUtf8());
    m_exchange->addResponseHeader("x-switchyard-attempts", QByteArray::number(m_record.attempts.size()));
    if (m_codec && !m_codec->notesSummary().isEmpty())
        m_exchange->addResponseHeader("x-switchyard-translation", m_codec->notesSummary());
}

HttpHeaders ProxyCall::clientHeaders(const HttpHeaders &upstream)
{
    static const char *const passed[] = {"content-type", "x-request-id", "openai-processing-ms", "openai-version",
                                         "retry-after", "request-id"};
    HttpHeaders out;
    for (const auto &[name, value] : upstream) {
        const QByteArray lower = name.toLower();
        bool keep = lower.startsWith("x-ratelimit-") || lower.startsWith("anthropic-ratelimit-");
        for (const char *p : passed)
            keep = keep || name.compare(QByteArrayView(p), Qt::CaseInsensitive) == 0;
        if (keep)
            out.add(name, value);
    }
    if (!out.contains("content-type"))
        out.add("Content-Type", "application/json");
    return out;
}

void ProxyCall::logResponse(const QByteArray &data)
{
    const qint64 room = m_context.maxLoggedBodyBytes - m_record.responseBody.size();
    if (data.size() > room)
        m_record.responseBodyTruncated = true;
    if (room > 0)
        m_record.responseBody += data.left(room);
}

} // namespace Switchyard
