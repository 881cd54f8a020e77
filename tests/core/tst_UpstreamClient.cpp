// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/TestPrinters.h"
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

Q_DECLARE_METATYPE(Switchyard::Test::FakeProvider::Behaviour)

class TestUpstreamClient final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rawResponses_data();
    void rawResponses();
    void requestHeadAndBody();
    void sequentialCallsReuseConnection();
    void concurrentCallsOpenSeparateConnections();
    void streamedSseArrivesInPieces();
    void failures_data();
    void failures();
    void refusedConnection_data();
    void refusedConnection();
    void pooledConnectionClosedByServer_data();
    void pooledConnectionClosedByServer();
    void abortStopsSilently_data();
    void abortStopsSilently();
    void httpErrorIsAResponse_data();
    void httpErrorIsAResponse();
};

namespace {

// Records what one call emits, in order; ended() follows finished() or failed().
class CallRecorder final : public QObject
{
    Q_OBJECT
public:
    explicit CallRecorder(UpstreamCall *call)
    {
        connect(call, &UpstreamCall::responseHead, this, &CallRecorder::onHead);
        connect(call, &UpstreamCall::responseData, this, &CallRecorder::onData);
        connect(call, &UpstreamCall::finished, this, &CallRecorder::onFinished);
        connect(call, &UpstreamCall::failed, this, &CallRecorder::onFailed);
    }

    bool waitEnded(int timeoutMs = 15000)
    {
        if (hasEnded)
            return true;
        QSignalSpy spy(this, &CallRecorder::ended);
        return spy.wait(timeoutMs);
    }

    QStringList events;
    int status = 0;
    HttpHeaders headers;
    QByteArray body;
    int dataSignals = 0;
    bool hasEnded = false;
    ErrorClass error = ErrorClass::None;
    QString message;

Q_SIGNALS:
    void ended();

private:
    void onHead(int s, const HttpHeaders &h)
    {
        events << u"head"_s;
        status = s;
        headers = h;
    }
    void onData(const QByteArray &data)
    {
        events << u"data"_s;
        body += data;
        ++dataSignals;
    }
    void onFinished()
    {
        events << u"finished"_s;
        hasEnded = true;
        Q_EMIT ended();
    }
    void onFailed(ErrorClass errorClass, const QString &text)
    {
        events << u"failed"_s;
        error = errorClass;
        message = text;
        hasEnded = true;
        Q_EMIT ended();
    }
};

enum class RawMode {
    KeepOpen,             // answer every request, keep the connection
    CloseAfterAnswer,     // answer, then close (framing by close, or an idle close)
    CloseOnSecondRequest, // answer the first request of a connection, drop it on the second
};

// Serves one canned response byte for byte, on the thread of a RawUpstream.
class RawUpstreamWorker final : public QObject
{
    Q_OBJECT
public:
    RawUpstreamWorker(QByteArray response, RawMode mode)
        : m_response(std::move(response))
        , m_mode(mode)
    {
    }

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &RawUpstreamWorker::acceptPending);
        return m_server->listen(QHostAddress::LocalHost) ? m_server->serverPort() : 0;
    }

    std::atomic<int> connections{0};
    std::atomic<int> requests{0};

private:
    void acceptPending()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            ++connections;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequests(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void readRequests(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer.left(end).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            buffer.remove(0, end + 4 + length);
            ++requests;
            const int index = m_answered[socket]++;
            if (m_mode == RawMode::CloseOnSecondRequest && index > 0) {
                // Forget the socket: a new connection may be allocated at the same address.
                m_buffers.remove(socket);
                m_answered.remove(socket);
                socket->abort();
                socket->deleteLater();
                return;
            }
            socket->write(m_response);
            if (m_mode == RawMode::CloseAfterAnswer) {
                m_buffers.remove(socket);
                m_answered.remove(socket);
                socket->disconnectFromHost();
                return;
            }
        }
    }

    QByteArray m_response;
    RawMode m_mode;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, int> m_answered;
};

// A raw HTTP upstream on 127.0.0.1 and its own thread, for exact wire bytes.
class RawUpstream final
{
public:
    RawUpstream(const QByteArray &response, RawMode mode)
        : m_worker(new RawUpstreamWorker(response, mode))
    {
        m_worker->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(m_worker, [this] { m_port = m_worker->listen(); }, Qt::BlockingQueuedConnection);
    }
    ~RawUpstream()
    {
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }
    int connections() const { return m_worker->connections; }
    int requests() const { return m_worker->requests; }

private:
    QThread m_thread;
    RawUpstreamWorker *m_worker;
    quint16 m_port = 0;
};

QByteArray withLength(const QByteArray &head, const QByteArray &body)
{
    return head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

UpstreamRequest rawRequest(quint16 port)
{
    UpstreamRequest request;
    request.url = QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(port));
    request.headers.add("Content-Type", "application/json");
    request.body = R"({"model":"m"})";
    return request;
}

UpstreamRequest chatRequest(const FakeProvider &fake, bool stream = false)
{
    const QJsonObject message{{u"role"_s, u"user"_s}, {u"content"_s, u"Say hello"_s}};
    QJsonObject body{{u"model"_s, u"fake-llm-1"_s}, {u"max_tokens"_s, 64}, {u"messages"_s, QJsonArray{message}}};
    if (stream)
        body.insert(u"stream"_s, true);
    UpstreamRequest request;
    request.url = QUrl(QString::fromLatin1(fake.baseUrl() + "/v1/chat/completions"));
    request.headers.add("Content-Type", "application/json");
    request.headers.add("Authorization", "Bearer sk-test");
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

QString replyContent(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    return o.value(u"choices"_s).toArray().at(0).toObject().value(u"message"_s).toObject().value(u"content"_s).toString();
}

const QStringList kSucceeded{u"head"_s, u"data"_s, u"finished"_s};

} // namespace

Q_DECLARE_METATYPE(RawMode)
Q_DECLARE_METATYPE(Switchyard::Timeouts)

void TestUpstreamClient::rawResponses_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<RawMode>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("pooled");

    const QByteArray json = R"({"answer":"yes"})";
    QTest::newRow("content-length body")
        << withLength("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", json) << RawMode::KeepOpen << 200 << json << true;
    QTest::newRow("chunked body decoded")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
        << RawMode::KeepOpen << 200 << QByteArray("Hello, world") << true;
    QTest::newRow("close-delimited body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the server closes") << RawMode::CloseAfterAnswer
        << 200 << QByteArray("until the server closes") << false;
    QTest::newRow("connection close with length")
        << withLength("HTTP/1.1 200 OK\r\nConnection: close\r\n", json) << RawMode::CloseAfterAnswer << 200 << json << false;
    QTest::newRow("1xx interim response skipped")
        << QByteArray(QByteArray("HTTP/1.1 100 Continue\r\n\r\n") + withLength("HTTP/1.1 201 Created\r\n", json)) << RawMode::KeepOpen << 201
        << json << true;
    const QByteArray binary("\x1f\x8b\x08\x00\r\n\r\n\x00\xff", 10);
    QTest::newRow("encoded bytes passed through untouched")
        << withLength("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n", binary) << RawMode::KeepOpen << 200 << binary << true;
}

void TestUpstreamClient::rawResponses()
{
    QFETCH(QByteArray, response);
    QFETCH(RawMode, mode);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, pooled);

    RawUpstream server(response, mode);
    QVERIFY(server.port() != 0);
    UpstreamClient client;
    UpstreamCall *call = client.createCall(rawRequest(server.port()));
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.events.first(), u"head"_s);
    QCOMPARE(recorder.events.last(), u"finished"_s);
    QVERIFY(!recorder.events.contains(u"failed"_s));
    QCOMPARE(recorder.status, status);
    QCOMPARE(call->status(), status);
    QCOMPARE(recorder.body, body);
    QCOMPARE(client.idleConnectionCount(), pooled ? 1 : 0);
}

void TestUpstreamClient::requestHeadAndBody()
{
    FakeProvider fake;
    UpstreamClient client;
    UpstreamRequest request = chatRequest(fake);
    request.headers.add("X-Trace-Id", "trace-42");
    UpstreamCall *call = client.createCall(request);
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.events, kSucceeded);
    QCOMPARE(recorder.status, 200);
    QCOMPARE(recorder.headers.value("Content-Type"), QByteArray("application/json"));
    QCOMPARE(recorder.body.size(), recorder.headers.value("Content-Length").toLongLong());
    QCOMPARE(replyContent(recorder.body), u"Hello from the fake provider."_s);
    QVERIFY(call->firstByteMs().has_value());

    QCOMPARE(fake.requestCount(), 1);
    const HttpRequest seen = fake.requests().first();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(seen.headers.value("Host"), QByteArray("127.0.0.1:" + QByteArray::number(fake.port())));
    QCOMPARE(seen.headers.value("Content-Length"), QByteArray::number(request.body.size()));
    QCOMPARE(seen.headers.value("Authorization"), QByteArray("Bearer sk-test"));
    QCOMPARE(seen.headers.value("Content-Type"), QByteArray("application/json"));
    QCOMPARE(seen.headers.value("X-Trace-Id"), QByteArray("trace-42"));
    QCOMPARE(seen.body, request.body);
}

void TestUpstreamClient::sequentialCallsReuseConnection()
{
    FakeProvider fake;
    UpstreamClient client;
    QCOMPARE(client.idleConnectionCount(), 0);
    for (int i = 0; i < 2; ++i) {
        UpstreamCall *call = client.createCall(chatRequest(fake));
        CallRecorder recorder(call);
        call->start();
        QVERIFY(recorder.waitEnded());
        QCOMPARE(recorder.events, kSucceeded);
        QCOMPARE(client.idleConnectionCount(), 1);
        call->deleteLater();
    }
    const QList<HttpRequest> seen = fake.requests();
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(1).connectionId, seen.at(0).connectionId);
}

void TestUpstreamClient::concurrentCallsOpenSeparateConnections()
{
    constexpr int Calls = 20;
    FakeProvider fake;
    for (int i = 0; i < Calls; ++i)
        fake.enqueue(Behaviour::slowFirstByte(2000));
    UpstreamClient client;
    std::vector<std::unique_ptr<CallRecorder>> recorders;
    for (int i = 0; i < Calls; ++i) {
        UpstreamCall *call = client.createCall(chatRequest(fake));
        recorders.push_back(std::make_unique<CallRecorder>(call));
        call->start();
    }
    QVERIFY(fake.waitForRequests(Calls, 10000));
    for (const auto &recorder : recorders) {
        QVERIFY(recorder->waitEnded());
        QCOMPARE(recorder->events, kSucceeded);
    }
    QCOMPARE(fake.maxInFlight(), Calls);
    QSet<quint64> connectionIds;
    for (const HttpRequest &request : fake.requests())
        connectionIds.insert(request.connectionId);
    QCOMPARE(connectionIds.size(), Calls);
    QCOMPARE(client.idleConnectionCount(), Calls);
}

void TestUpstreamClient::streamedSseArrivesInPieces()
{
    FakeProvider fake;
    FakeProvider::Reply reply;
    reply.chunks = 5;
    reply.intervalMs = 40;
    fake.setReply(reply);
    UpstreamClient client;
    UpstreamCall *call = client.createCall(chatRequest(fake, true));
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.events.first(), u"head"_s);
    QCOMPARE(recorder.events.last(), u"finished"_s);
    QVERIFY2(recorder.dataSignals >= 3, qPrintable(u"only %1 data signals"_s.arg(recorder.dataSignals)));
    QVERIFY(recorder.headers.value("Content-Type").startsWith("text/event-stream"));
    QVERIFY(recorder.body.startsWith("data: "));
    QVERIFY(recorder.body.trimmed().endsWith("data: [DONE]"));
    QVERIFY(!recorder.body.contains("\r\n0\r\n")); // de-chunked
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestUpstreamClient::failures_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("slowStream");
    QTest::addColumn<Timeouts>("timeouts");
    QTest::addColumn<ErrorClass>("expected");
    QTest::addColumn<QString>("limit");

    Timeouts firstByte;
    firstByte.firstByteMs = 300;
    Timeouts idle;
    idle.idleMs = 300;
    Timeouts total;
    total.totalMs = 600;
    const Timeouts defaults;

    QTest::newRow("slow first byte") << Behaviour::slowFirstByte(5000) << false << false << firstByte
                                     << ErrorClass::TimeoutFirstByte << u"first_byte_ms"_s;
    QTest::newRow("stall between head and body") << Behaviour::stall(0, 5000) << false << false << idle
                                                 << ErrorClass::TimeoutIdle << u"idle_ms"_s;
    QTest::newRow("stall mid stream") << Behaviour::stall(1, 5000) << true << false << idle << ErrorClass::TimeoutIdle
                                      << u"idle_ms"_s;
    QTest::newRow("total while waiting for the head") << Behaviour::neverAnswer() << false << false << total
                                                      << ErrorClass::TimeoutFirstByte << u"total_ms"_s;
    QTest::newRow("total while streaming") << Behaviour::answer() << true << true << total << ErrorClass::TimeoutIdle
                                           << u"total_ms"_s;
    QTest::newRow("reset before headers") << Behaviour::reset() << false << false << defaults
                                          << ErrorClass::BadUpstreamResponse << u"response head"_s;
    QTest::newRow("cut between head and body") << Behaviour::cut(0) << false << false << defaults
                                               << ErrorClass::StreamInterrupted << u"middle of the response body"_s;
    QTest::newRow("cut mid stream") << Behaviour::cut(2) << true << false << defaults << ErrorClass::StreamInterrupted
                                    << u"middle of the response body"_s;
}

void TestUpstreamClient::failures()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(bool, stream);
    QFETCH(bool, slowStream);
    QFETCH(Timeouts, timeouts);
    QFETCH(ErrorClass, expected);
    QFETCH(QString, limit);

    FakeProvider fake;
    if (slowStream) {
        FakeProvider::Reply reply;
        reply.chunks = 25;
        reply.intervalMs = 100;
        fake.setReply(reply);
    }
    fake.enqueue(behaviour);
    UpstreamClient client;
    UpstreamRequest request = chatRequest(fake, stream);
    request.timeouts = timeouts;
    UpstreamCall *call = client.createCall(request);
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.error, expected);
    QCOMPARE(recorder.events.count(u"failed"_s), 1);
    QVERIFY(!recorder.events.contains(u"finished"_s));
    QVERIFY2(recorder.message.contains(limit), qPrintable(recorder.message));
    QVERIFY2(recorder.message.contains(u"127.0.0.1:%1"_s.arg(fake.port())), qPrintable(recorder.message));
    QCOMPARE(client.idleConnectionCount(), 0);
    QCOMPARE(fake.requestCount(), 1); // no silent retry on a fresh connection
}

void TestUpstreamClient::refusedConnection_data()
{
    QTest::addColumn<bool>("stopProvider");
    QTest::newRow("port nobody listens on") << false;
    QTest::newRow("provider stopped listening") << true;
}

void TestUpstreamClient::refusedConnection()
{
    QFETCH(bool, stopProvider);
    FakeProvider fake;
    UpstreamRequest request = chatRequest(fake);
    if (stopProvider)
        fake.stopListening();
    else
        request.url.setPort(FakeProvider::unusedPort());
    UpstreamClient client;
    UpstreamCall *call = client.createCall(request);
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.events, QStringList{u"failed"_s});
    QCOMPARE(recorder.error, ErrorClass::ConnectFailed);
    QVERIFY2(recorder.message.contains(request.url.authority()), qPrintable(recorder.message));
    QCOMPARE(fake.requestCount(), 0);
}

void TestUpstreamClient::pooledConnectionClosedByServer_data()
{
    QTest::addColumn<RawMode>("mode");
    QTest::addColumn<int>("requests");
    QTest::newRow("closed while idle") << RawMode::CloseAfterAnswer << 2;
    QTest::newRow("closed just as it is reused") << RawMode::CloseOnSecondRequest << 3;
}

void TestUpstreamClient::pooledConnectionClosedByServer()
{
    QFETCH(RawMode, mode);
    QFETCH(int, requests);

    const QByteArray body = R"({"ok":true})";
    RawUpstream server(withLength("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", body), mode);
    UpstreamClient client;

    UpstreamCall *first = client.createCall(rawRequest(server.port()));
    CallRecorder firstRecorder(first);
    first->start();
    QVERIFY(firstRecorder.waitEnded());
    QCOMPARE(firstRecorder.events, kSucceeded);
    if (mode == RawMode::CloseAfterAnswer) // the pool notices the close and drops the connection
        QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, 5000);
    else
        QCOMPARE(client.idleConnectionCount(), 1);

    UpstreamCall *second = client.createCall(rawRequest(server.port()));
    CallRecorder secondRecorder(second);
    second->start();
    QVERIFY(secondRecorder.waitEnded());
    QVERIFY2(secondRecorder.events == kSucceeded, qPrintable(QString(secondRecorder.events.join(u' ') + u' ' + secondRecorder.message)));
    QCOMPARE(secondRecorder.body, body);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.requests(), requests);
}

void TestUpstreamClient::abortStopsSilently_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<bool>("stream");
    QTest::newRow("while waiting for the head") << Behaviour::neverAnswer() << false;
    QTest::newRow("mid stream") << Behaviour::stall(1, 10000) << true;
}

void TestUpstreamClient::abortStopsSilently()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(bool, stream);

    FakeProvider fake;
    fake.enqueue(behaviour);
    UpstreamClient client;
    UpstreamRequest request = chatRequest(fake, stream);
    request.timeouts.firstByteMs = 1000;
    request.timeouts.idleMs = 1000;
    request.timeouts.totalMs = 1500;
    UpstreamCall *call = client.createCall(request);
    CallRecorder recorder(call);
    call->start();
    QVERIFY(fake.waitForRequests(1));
    if (stream) {
        QSignalSpy data(call, &UpstreamCall::responseData);
        QVERIFY(recorder.dataSignals > 0 || data.wait(5000));
    }
    const QStringList before = recorder.events;
    call->abort();
    QVERIFY(fake.waitForClientDisconnects(1));
    // Past every timeout the call had: still nothing.
    QVERIFY(!recorder.waitEnded(2500));
    QCOMPARE(recorder.events, before);
    QCOMPARE(client.idleConnectionCount(), 0);
    delete call;
}

void TestUpstreamClient::httpErrorIsAResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::newRow("429 with Retry-After") << 429 << QByteArray("2");
    QTest::newRow("500 internal error") << 500 << QByteArray();
    QTest::newRow("503 overloaded") << 503 << QByteArray();
}

void TestUpstreamClient::httpErrorIsAResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);

    FakeProvider fake;
    fake.enqueue(Behaviour::httpError(status, u"scripted failure"_s, retryAfter));
    UpstreamClient client;
    UpstreamCall *call = client.createCall(chatRequest(fake));
    CallRecorder recorder(call);
    call->start();
    QVERIFY(recorder.waitEnded());
    QCOMPARE(recorder.events, kSucceeded);
    QCOMPARE(recorder.status, status);
    QCOMPARE(recorder.headers.value("Retry-After"), retryAfter);
    QVERIFY2(recorder.body.contains("scripted failure"), recorder.body.constData());
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "tst_UpstreamClient.moc"
