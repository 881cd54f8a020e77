// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/proxy/AttemptCodec.h"
#include "core/record/CallRecord.h"
#include "core/proxy/ClientAnswer.h"
#include "core/proxy/ClientReply.h"
#include "core/record/OpenAiBody.h"
#include "core/routing/RoutePlanner.h"
#include "core/stream/SseEventReader.h"
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>

namespace Switchyard {

class HttpExchange;
class SecretMasker;
class TargetHealth;
class UpstreamCall;
class UpstreamClient;

// What a call needs from the engine: a snapshot of the config and keys, the pool of the
// thread it runs on, and the health table every thread shares (it locks inside).
struct ProxyContext
{
    std::shared_ptr<const Config> config;
    UpstreamClient *client = nullptr;
    TargetHealth *health = nullptr;
    QHash<QString, QByteArray> apiKeys; // provider name → key
    std::shared_ptr<const SecretMasker> masker; // built once per config and set of keys
    qint64 maxLoggedBodyBytes = 256 * 1024;
};

// One inbound request carried through its route: each candidate target in order, retries as
// RetryDecision says, streaming passed on event by event, and one CallRecord at the end.
class ProxyCall final : public QObject
{
    Q_OBJECT
public:
    // `upstreamPath`: the path for OpenAI-kind targets; Anthropic-kind targets get their own.
    ProxyCall(HttpExchange *exchange, ProxyContext context, RoutePlan plan, Dialect dialect, OpenAiBody body,
              QString upstreamPath, CallRecord record, QObject *parent);

    void start();

    // The upstream's response headers that reach the client (before the gateway's own
    // x-switchyard-* headers): what the window shows as sent to the client.
    static HttpHeaders clientHeaders(const HttpHeaders &upstream) { return ClientAnswer::passedHeaders(upstream); }

Q_SIGNALS:
    // The call so far, for the list of calls in flight: when an attempt starts (the last of
    // record.attempts is running) and just before its answer starts to reach the client
    // (ttftMs set: record.provider and record.model answer).
    void progressed(const Switchyard::CallRecord &record);
    void finished(const Switchyard::CallRecord &record);

private:
    void tryNextCandidate();
    void startAttempt();
    void onHead(int status, const HttpHeaders &headers);
    void onData(const QByteArray &data);
    void onUpstreamFinished();
    void answerWhole(int status, std::optional<qint64> firstByteMs);
    bool endStream(int status);
    void answerRefusal(int status);
    void onUpstreamFailed(ErrorClass errorClass, const QString &message);
    void attemptFailed(ErrorClass errorClass, const QString &message, const QByteArray &retryAfter);
    bool relay(const SseEventReader::Batch &batch); // false: a broken event ended the attempt
    void sendToClient(const QByteArrayList &events);
    void dropUpstream(const QString &message);
    void releaseUpstream();
    void startClientStream();
    ClientReply::Routing routing() const;
    void succeed();
    void failAll();
    void onClientGone();
    void finish(int status, ErrorClass errorClass, const QString &message);
    void closeAttempt(int status, ErrorClass errorClass, const QString &message);

    ClientReply m_reply;
    Dialect m_dialect;
    std::optional<AttemptCodec> m_codec; // the current attempt's
    ProxyContext m_context;
    RoutePlan m_plan;
    OpenAiBody m_body;
    QString m_upstreamPath;
    CallRecord m_record;
    QElapsedTimer m_clock;

    int m_candidateIndex = -1;
    int m_attemptsOnTarget = 0;
    UpstreamCall *m_call = nullptr;
    QTimer m_retryTimer;
    int m_upstreamStatus = 0;
    HttpHeaders m_upstreamHeaders;
    QByteArray m_responseBody;  // whole body of a non-streaming or error response
    bool m_streaming = false;   // passing an SSE stream through
    bool m_done = false;
    SseEventReader m_events;
    ClientAnswer::LastFailure m_last; // returned to the client when every target has failed
};

} // namespace Switchyard
