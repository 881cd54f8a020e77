// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpResponseParser.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/ServerThread.h"
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>
#include <memory>
#include <vector>

using namespace Switchyard;
using namespace Switchyard::Test;

namespace {

QString field(const RawHttpClient::Response &r, const char *name)
{
    return r.json().value(QLatin1String(name)).toString();
}

// Reads until `marker` has arrived (or, with no marker, until the server closes), at most timeoutMs.
QByteArray readUntil(QTcpSocket &socket, const QByteArray &marker, int timeoutMs)
{
    QByteArray data;
    const QDeadlineTimer deadline(timeoutMs);
    while ((marker.isEmpty() || !data.contains(marker)) && !deadline.hasExpired()) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))
            && socket.state() != QAbstractSocket::ConnectedState)
            break;
        data += socket.readAll();
    }
    return data + socket.readAll();
}

// A refusal: the status, a JSON body {"error":{"message","type","code"}} and Connection: close.
void verifyJsonError(const RawHttpClient::Response &r, int status, const QString &type)
{
    QVERIFY2(r.complete, qPrintable(r.error));
    QCOMPARE(r.status, status);
    QCOMPARE(r.headers.value("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.headers.value("Connection"), QByteArray("close"));
    const QJsonObject error = r.json().value(QLatin1String("error")).toObject();
    QVERIFY2(!error.value(QLatin1String("message")).toString().isEmpty(), r.body.constData());
    QCOMPARE(error.value(QLatin1String("type")).toString(), type);
    QVERIFY(error.contains(QLatin1String("code")));
}

ServerLimits timeouts(int requestTimeoutMs, int keepAliveTimeoutMs)
{
    ServerLimits limits;
    limits.requestTimeoutMs = requestTimeoutMs;
    limits.keepAliveTimeoutMs = keepAliveTimeoutMs;
    return limits;
}

ServerLimits smallRequests()
{
    ServerLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 1024;
    return limits;
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepAliveServesSeveralRequests();
    void pipelinedResponsesKeepRequestOrder();
    void chunkedRequestBodyIsReassembled();
    void expectContinueGetsInterimResponse();
    void refusalsCloseTheConnection_data();
    void refusalsCloseTheConnection();
    void stalledClientIsDropped_data();
    void stalledClientIsDropped();
    void slowDripHeadIsCutOff();
    void idleKeepAliveConnectionIsClosed();
    void http10ResponseClosesConnection();
    void streamArrivesIncrementally();
    void headResponseHasNoBody_data();
    void headResponseHasNoBody();
    void extraConnectionGets503();
    void clientLeavingEarlyDoesNotHurtServer_data();
    void clientLeavingEarlyDoesNotHurtServer();
    void connectionCountReturnsToZero();
    void oversizedUploadIsRefusedWithoutReadingIt_data();
    void oversizedUploadIsRefusedWithoutReadingIt();
};

void TestHttpServer::keepAliveServesSeveralRequests()
{
    ServerThread server;
    RawHttpClient client(server.port());
    QVERIFY(client.isConnected());
    const quint16 localPort = client.socket().localPort();
    for (int i = 0; i < 3; ++i) {
        const QByteArray body = "request " + QByteArray::number(i);
        client.send(RawHttpClient::request("POST", "/echo?n=" + QByteArray::number(i), body));
        const RawHttpClient::Response r = client.readResponse();
        QVERIFY2(r.complete, qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(field(r, "query"), QStringLiteral("n=%1").arg(i));
        QCOMPARE(field(r, "body"), QString::fromLatin1(body));
        QVERIFY(!r.headers.contains("Connection"));
        QVERIFY(client.isConnected());
        QCOMPARE(client.socket().localPort(), localPort);
    }
    QCOMPARE(server.connectionCount(), 1);
}

void TestHttpServer::pipelinedResponsesKeepRequestOrder()
{
    ServerThread server;
    RawHttpClient client(server.port());
    client.send(RawHttpClient::request("GET", "/delay?ms=200") + RawHttpClient::request("POST", "/echo", "second"));
    const RawHttpClient::Response first = client.readResponse();
    const RawHttpClient::Response second = client.readResponse();
    QVERIFY2(first.complete && second.complete, qPrintable(first.error + second.error));
    QCOMPARE(field(first, "path"), QStringLiteral("/delay"));
    QCOMPARE(field(second, "path"), QStringLiteral("/echo"));
    QCOMPARE(field(second, "body"), QStringLiteral("second"));
    QVERIFY(client.isConnected());
}

void TestHttpServer::chunkedRequestBodyIsReassembled()
{
    ServerThread server;
    RawHttpClient client(server.port());
    client.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    client.send("5\r\nhello\r\n");
    client.send("7;ext=1\r\n, world\r\n");
    client.send("0\r\nX-Trailer: t\r\n\r\n");
    const RawHttpClient::Response r = client.readResponse();
    QVERIFY2(r.complete, qPrintable(r.error));
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r, "body"), QStringLiteral("hello, world"));
    QCOMPARE(r.json().value(QLatin1String("body_size")).toInt(), 12);
}

void TestHttpServer::expectContinueGetsInterimResponse()
{
    ServerThread server;
    RawHttpClient client(server.port());
    client.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
    QCOMPARE(readUntil(client.socket(), "\r\n\r\n", 5000), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    client.send("hello world");
    const RawHttpClient::Response r = client.readResponse();
    QVERIFY2(r.complete, qPrintable(r.error));
    QCOMPARE(r.status, 200);
    QCOMPARE(field(r, "body"), QStringLiteral("hello world"));
}

void TestHttpServer::refusalsCloseTheConnection_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    const QString invalid = QStringLiteral("invalid_request_error");
    const QByteArray head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    QTest::newRow("head over the limit -> 431")
        << QByteArray("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(4000, 'a') + "\r\n\r\n") << 431
        << invalid;
    // Only the head is sent: the answer must not wait for the body.
    QTest::newRow("Content-Length over the limit -> 413") << head + "Content-Length: 4096\r\n\r\n" << 413 << invalid;
    QTest::newRow("Content-Length over the limit with Expect -> 413, no 100")
        << head + "Expect: 100-continue\r\nContent-Length: 4096\r\n\r\n" << 413 << invalid;
    QTest::newRow("chunked body over the limit -> 413")
        << head + "Transfer-Encoding: chunked\r\n\r\n400\r\n" + QByteArray(1024, 'a') + "\r\n400\r\n" + QByteArray(1024, 'b')
        << 413 << invalid;
    QTest::newRow("garbage -> 400") << QByteArray("hello there\r\n\r\n") << 400 << invalid;
    QTest::newRow("bare LF -> 400") << QByteArray("GET /echo HTTP/1.1\nHost: 127.0.0.1\n\n") << 400 << invalid;
    QTest::newRow("Content-Length with Transfer-Encoding -> 400")
        << head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" << 400 << invalid;
    QTest::newRow("Upgrade -> 501")
        << QByteArray("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n") << 501
        << QStringLiteral("server_error");
}

void TestHttpServer::refusalsCloseTheConnection()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, type);
    ServerThread server(smallRequests());
    RawHttpClient client(server.port());
    client.send(request);
    verifyJsonError(client.readResponse(5000), status, type);
    QVERIFY(client.waitForClosed(5000));
}

void TestHttpServer::stalledClientIsDropped_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<int>("status"); // 0: dropped without an answer
    QTest::newRow("nothing sent") << QByteArray() << 0;
    QTest::newRow("mid request line") << QByteArray("GET /ec") << 408;
    QTest::newRow("mid headers") << QByteArray("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n") << 408;
    QTest::newRow("mid body") << QByteArray("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc") << 408;
}

void TestHttpServer::stalledClientIsDropped()
{
    QFETCH(QByteArray, sent);
    QFETCH(int, status);
    ServerThread server(timeouts(300, 60000));
    QElapsedTimer clock;
    clock.start();
    RawHttpClient client(server.port());
    if (!sent.isEmpty())
        client.send(sent);
    if (status == 0) {
        QCOMPARE(readUntil(client.socket(), {}, 5000), QByteArray());
    } else {
        verifyJsonError(client.readResponse(5000), status, QStringLiteral("invalid_request_error"));
        readUntil(client.socket(), {}, 5000);
    }
    QCOMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(clock.elapsed() >= 250 && clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
}

void TestHttpServer::slowDripHeadIsCutOff()
{
    ServerThread server(timeouts(300, 60000));
    RawHttpClient client(server.port());
    const QByteArray head = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: one-byte-every-100-ms\r\n\r\n";
    QElapsedTimer clock;
    clock.start();
    qsizetype sent = 0;
    // The waits pace the drip and notice the answer; the head would take over 7 s to finish.
    while (sent < head.size() && client.isConnected() && !client.socket().waitForReadyRead(100))
        client.send(head.mid(sent++, 1));
    verifyJsonError(client.readResponse(5000), 408, QStringLiteral("invalid_request_error"));
    QVERIFY2(sent < head.size() && clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
}

void TestHttpServer::idleKeepAliveConnectionIsClosed()
{
    ServerThread server(timeouts(60000, 300));
    RawHttpClient client(server.port());
    client.send(RawHttpClient::request("GET", "/echo"));
    QCOMPARE(client.readResponse().status, 200);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(readUntil(client.socket(), {}, 5000), QByteArray());
    QCOMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(clock.elapsed() >= 200 && clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
}

void TestHttpServer::http10ResponseClosesConnection()
{
    ServerThread server;
    RawHttpClient client(server.port());
    client.send("GET /echo HTTP/1.0\r\n\r\n");
    const RawHttpClient::Response r = client.readResponse();
    QVERIFY2(r.complete, qPrintable(r.error));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("Connection"), QByteArray("close"));
    QVERIFY(client.waitForClosed(5000));
}

void TestHttpServer::streamArrivesIncrementally()
{
    ServerThread server;
    RawHttpClient client(server.port());
    QElapsedTimer clock;
    clock.start();
    client.send(RawHttpClient::request("GET", "/stream?chunks=3&interval_ms=200"));
    HttpResponseParser parser;
    QByteArray body;
    qint64 firstChunkMs = -1;
    const QDeadlineTimer deadline(10000);
    while (!parser.messageComplete() && !deadline.hasExpired()) {
        if (!client.socket().waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
        const QByteArray data = client.socket().readAll();
        QVERIFY2(parser.feed(data.constData(), data.size()), qPrintable(parser.errorMessage()));
        body += parser.takeBody();
        if (firstChunkMs < 0 && !body.isEmpty())
            firstChunkMs = clock.elapsed();
    }
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.status(), 200);
    QCOMPARE(parser.headers().value("Transfer-Encoding"), QByteArray("chunked"));
    QCOMPARE(body, QByteArray("chunk 0\nchunk 1\nchunk 2\n"));
    // The stream lasts 600 ms after its first chunk; that chunk must not wait for the end.
    QVERIFY2(clock.elapsed() - firstChunkMs >= 300, qPrintable(QStringLiteral("first chunk after %1 ms, end after %2 ms")
                                                                   .arg(firstChunkMs)
                                                                   .arg(clock.elapsed())));
    QVERIFY(client.isConnected());
}

void TestHttpServer::headResponseHasNoBody_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("whole response") << QByteArray("/echo");
    QTest::newRow("streamed response") << QByteArray("/stream?chunks=2&interval_ms=10");
}

void TestHttpServer::headResponseHasNoBody()
{
    QFETCH(QByteArray, path);
    ServerThread server;
    RawHttpClient client(server.port());
    client.send(RawHttpClient::request("HEAD", path));
    const RawHttpClient::Response head = client.readResponse(5000, true);
    QVERIFY2(head.complete, qPrintable(head.error));
    QCOMPARE(head.status, 200);
    QVERIFY(head.headers.contains("Content-Length") || head.headers.contains("Transfer-Encoding")); // as for a GET
    QVERIFY(head.body.isEmpty());
    // A stray body would be read as the start of the next response.
    client.send(RawHttpClient::request("GET", "/echo"));
    const RawHttpClient::Response get = client.readResponse();
    QVERIFY2(get.complete, qPrintable(get.error));
    QCOMPARE(get.status, 200);
    QCOMPARE(field(get, "method"), QStringLiteral("GET"));
}

void TestHttpServer::extraConnectionGets503()
{
    ServerLimits limits;
    limits.maxConnections = 2;
    ServerThread server(limits);
    RawHttpClient first(server.port());
    auto second = std::make_unique<RawHttpClient>(server.port());
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 2, 5000);

    RawHttpClient extra(server.port());
    verifyJsonError(extra.readResponse(5000), 503, QStringLiteral("server_error"));
    QVERIFY(extra.waitForClosed(5000));

    first.send(RawHttpClient::request("GET", "/echo"));
    QCOMPARE(first.readResponse().status, 200);
    second.reset();
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 1, 5000);
    QCOMPARE(RawHttpClient::fetch(server.port(), "GET", "/echo").status, 200);
}

void TestHttpServer::clientLeavingEarlyDoesNotHurtServer_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("leaveAfter"); // leave once this has arrived; empty: right after sending
    QTest::newRow("mid stream") << QByteArray("/stream?chunks=50&interval_ms=20") << QByteArray("chunk 1\n");
    QTest::newRow("before the stream starts") << QByteArray("/stream?chunks=5&interval_ms=50") << QByteArray();
    QTest::newRow("before a delayed response") << QByteArray("/delay?ms=100") << QByteArray();
}

void TestHttpServer::clientLeavingEarlyDoesNotHurtServer()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, leaveAfter);
    ServerThread server;
    for (int round = 0; round < 3; ++round) {
        RawHttpClient client(server.port());
        client.send(RawHttpClient::request("GET", path));
        if (!leaveAfter.isEmpty())
            QVERIFY(readUntil(client.socket(), leaveAfter, 5000).contains(leaveAfter));
        client.socket().abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
    const RawHttpClient::Response r = RawHttpClient::fetch(server.port(), "GET", "/stream?chunks=2&interval_ms=10");
    QVERIFY2(r.complete, qPrintable(r.error));
    QCOMPARE(r.body, QByteArray("chunk 0\nchunk 1\n"));
}

void TestHttpServer::connectionCountReturnsToZero()
{
    ServerThread server;
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>(server.port()));
        clients.back()->send(RawHttpClient::request("GET", "/echo"));
        QCOMPARE(clients.back()->readResponse().status, 200);
    }
    QCOMPARE(server.connectionCount(), 3);
    clients.front()->socket().disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 2, 5000);
    clients.clear();
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
}

void TestHttpServer::oversizedUploadIsRefusedWithoutReadingIt_data()
{
    QTest::addColumn<bool>("readsWhileSending");
    QTest::newRow("client reads while it sends (curl)") << true;
    QTest::newRow("client sends 8 MiB before it reads") << false;
}

// Memory sanity: a 100 MiB upload over the 32 MiB limit is answered at its head; the server
// neither waits for the rest nor keeps what does arrive, and the client gets the 413 rather
// than a connection reset.
void TestHttpServer::oversizedUploadIsRefusedWithoutReadingIt()
{
    QFETCH(bool, readsWhileSending);
    ServerThread server;
    RawHttpClient client(server.port());
    QTcpSocket &socket = client.socket();
    const qint64 total = 8LL * 1024 * 1024;
    const qint64 piece = readsWhileSending ? 64LL * 1024 : total;
    // The body follows the head at once, as it does from clients that do not wait for 100-continue.
    socket.write("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                 "Content-Length: 104857600\r\n\r\n" + QByteArray(piece, 'x'));
    qint64 queued = piece;
    QByteArray answer;
    const QDeadlineTimer deadline(20000);
    while (!answer.contains("\r\n\r\n") && socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (queued < total && socket.bytesToWrite() == 0) {
            socket.write(QByteArray(piece, 'x'));
            queued += piece;
        }
        if (readsWhileSending) {
            if (socket.waitForReadyRead(5)) // also hands queued bytes to the kernel
                answer += socket.readAll();
        } else if (socket.bytesToWrite() > 0) {
            socket.waitForBytesWritten(100);
        } else {
            break;
        }
    }
    QElapsedTimer clock;
    clock.start();
    answer += readUntil(socket, {}, 5000);
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(clock.elapsed() < 5000, "the server kept the connection open");
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), qPrintable(QStringLiteral("after %1 bytes queued: \"%2\", %3")
                                                                 .arg(queued)
                                                                 .arg(QString::fromLatin1(answer.left(100)))
                                                                 .arg(socket.errorString())));
    QVERIFY(answer.contains("\"error\""));
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
    QCOMPARE(RawHttpClient::fetch(server.port(), "GET", "/echo").status, 200);
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_HttpServer.moc"
