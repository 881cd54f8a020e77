// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpRequest.h"
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

class QTcpServer;

namespace Switchyard::Test {

struct FakeProviderState;

// A scripted upstream LLM provider on 127.0.0.1 (a port the OS picks), serving from its own
// thread in the real wire formats: POST <prefix>/chat/completions and <prefix>/embeddings
// (OpenAI), POST <prefix>/messages (Anthropic), streamed or not; anything else gets 404.
// Each request takes the next Behaviour from a FIFO script; with the script empty it answers
// normally. Methods may be called from any thread; signals and waits belong to the thread
// that created the provider.
class FakeProvider final : public QObject
{
    Q_OBJECT
public:
    enum class Fault {
        None,               // answer normally
        HttpError,          // status, the dialect's error body, optional Retry-After
        StallMidStream,     // after `afterPieces` body pieces pause `pauseMs`, then go on
        CutMidStream,       // after `afterPieces` body pieces close the socket
        ResetBeforeHeaders, // reset the connection (TCP RST) without answering
        ResetMidBody,       // after `afterPieces` body pieces and half the next one, reset the connection
        MalformedJson,      // 200 application/json, the body is cut off mid-object
        MalformedSse,       // 200 event stream with an event whose data is broken JSON
        WrongContentType,   // 200 text/html
        Oversized,          // a valid answer of at least `bytes` bytes
        NeverAnswer,        // hold the connection open until the client gives up
    };

    // A body piece is one SSE event of a stream, or the whole body of a plain response
    // (so afterPieces = 0 stalls or cuts a plain response between its head and its body).
    struct Behaviour
    {
        Fault fault = Fault::None;
        int firstByteDelayMs = 0; // before the status line, whatever the fault
        int status = 200;
        QString message;
        QByteArray retryAfter; // "2" or an HTTP-date; empty: no header
        int afterPieces = 0;
        int pauseMs = 0;
        qint64 bytes = 0;

        static Behaviour answer();
        static Behaviour slowFirstByte(int ms);
        static Behaviour httpError(int status, const QString &message = QString(),
                                   const QByteArray &retryAfter = QByteArray());
        static Behaviour stall(int afterPieces, int ms);
        static Behaviour cut(int afterPieces);
        static Behaviour reset();
        static Behaviour resetMidBody(int afterPieces);
        static Behaviour malformedJson();
        static Behaviour malformedSse();
        static Behaviour wrongContentType();
        static Behaviour oversized(qint64 bytes = 4 * 1024 * 1024);
        static Behaviour neverAnswer();
    };

    // What a normal answer says. The text is split into `chunks` stream deltas (at most one
    // per character), `intervalMs` apart.
    struct Reply
    {
        QString text = QStringLiteral("Hello from the fake provider.");
        int chunks = 4;
        int intervalMs = 0;
        int promptTokens = 12;
        int completionTokens = 7;
        // Prompt-cache use, part of promptTokens; -1: not reported (the usage has no such field).
        int cachedTokens = -1;
        int cacheWriteTokens = -1;
        int embeddingDimensions = 8;
    };

    explicit FakeProvider(QObject *parent = nullptr);
    ~FakeProvider() override;

    quint16 port() const { return m_port; }
    QByteArray baseUrl() const; // "http://127.0.0.1:PORT"
    void setReply(const Reply &reply);
    void enqueue(const Behaviour &behaviour);
    int pendingBehaviours() const;
    // New connections are refused from now on; open connections keep being served.
    void stopListening();
    // A loopback port nothing listens on (bound by the OS, then closed again).
    static quint16 unusedPort();

    int requestCount() const;
    QList<HttpRequest> requests() const; // in arrival order; connectionId tells connections apart
    int inFlight() const;                // requests whose reply is not finished yet
    int maxInFlight() const;
    int clientDisconnects() const;       // clients that closed before their reply was finished
    bool waitForRequests(int count, int timeoutMs = 5000);
    bool waitForClientDisconnects(int count, int timeoutMs = 5000);

Q_SIGNALS:
    void requestReceived();
    void clientDisconnected();

private:
    bool waitUntil(int (FakeProvider::*counter)() const, void (FakeProvider::*signal)(), int count, int timeoutMs);
    void acceptPending();

    QThread m_thread;
    std::unique_ptr<FakeProviderState> m_state;
    QTcpServer *m_server = nullptr; // lives on m_thread
    quint16 m_port = 0;
    quint64 m_nextConnectionId = 1; // used on m_thread only
};

} // namespace Switchyard::Test
