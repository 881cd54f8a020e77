// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

Q_DECLARE_METATYPE(Switchyard::Test::FakeProvider::Behaviour)

namespace {

using Stream = RawHttpClient::Stream;

const QByteArray kChatPath = "/v1/chat/completions";
const QByteArray kMessagesPath = "/v1/messages";

// One request on a fresh connection; the response as it arrives, events with their times.
Stream exchange(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    RawHttpClient client(port);
    client.send(request);
    return client.readStream(timeoutMs);
}

QJsonObject jsonOf(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QJsonObject eventJson(const Stream &stream, qsizetype index)
{
    return jsonOf(stream.events.at(index).second.data);
}

QByteArray post(const QByteArray &path, const QJsonObject &body)
{
    return RawHttpClient::request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                                  {{"Content-Type", "application/json"}});
}

QByteArray llmRequest(const QByteArray &path, bool stream = false, bool includeUsage = false)
{
    const QJsonObject message{{u"role"_s, u"user"_s}, {u"content"_s, u"Say hello"_s}};
    QJsonObject body{{u"model"_s, u"fake-llm-1"_s}, {u"max_tokens"_s, 64}, {u"messages"_s, QJsonArray{message}}};
    if (stream)
        body.insert(u"stream"_s, true);
    if (includeUsage)
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    return post(path, body);
}

// Is the event an OpenAI content delta or an Anthropic text delta?
bool isTextDelta(const SseEvent &e)
{
    const QJsonObject delta = jsonOf(e.data)[u"choices"_s][0][u"delta"_s].toObject();
    return e.event == "content_block_delta" || (delta.contains(u"content"_s) && !delta.contains(u"role"_s));
}

// The text deltas of an OpenAI or Anthropic stream, in order, with their arrival times.
QList<std::pair<qint64, QString>> deltas(const Stream &stream)
{
    QList<std::pair<qint64, QString>> out;
    for (const auto &[atMs, e] : stream.events) {
        const QJsonObject o = jsonOf(e.data);
        if (isTextDelta(e))
            out.append({atMs, e.event.isEmpty() ? o[u"choices"_s][0][u"delta"_s][u"content"_s].toString()
                                                : o[u"delta"_s][u"text"_s].toString()});
    }
    return out;
}

QString textOf(const Stream &stream)
{
    QString text;
    for (const auto &[atMs, part] : deltas(stream))
        text += part;
    return text;
}

bool isEventStream(const Stream &r)
{
    return r.headers.value("content-type").startsWith("text/event-stream")
           && r.headers.value("transfer-encoding") == "chunked";
}

// Threads of this process named like FakeProvider's server thread.
int providerThreads()
{
    int count = 0;
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + u"/comm"_s));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "fake-provider")
            ++count;
    }
    return count;
}

} // namespace

class TestFakeProvider final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatCompletion_data();
    void chatCompletion();
    void chatCompletionStream_data();
    void chatCompletionStream();
    void embeddings_data();
    void embeddings();
    void anthropicMessage();
    void anthropicStream();
    void rejectedRequests_data();
    void rejectedRequests();
    void streamChunksSpreadOverTime_data();
    void streamChunksSpreadOverTime();
    void httpError_data();
    void httpError();
    void slowFirstByte();
    void stallMidStream_data();
    void stallMidStream();
    void cutMidStream_data();
    void cutMidStream();
    void resetBeforeHeaders();
    void malformedBodies_data();
    void malformedBodies();
    void oversized_data();
    void oversized();
    void neverAnswerHoldsUntilClientLeaves();
    void clientLeavingMidStreamIsCounted();
    void scriptIsConsumedInOrder();
    void recordsRequestsAndKeepsAlive();
    void concurrentConnectionsOverlap_data();
    void concurrentConnectionsOverlap();
    void refusedPorts();
    void shutdownWithOpenConnections();
};

void TestFakeProvider::chatCompletion_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::newRow("openai /v1") << QByteArray("/v1");
    QTest::newRow("openrouter /api/v1") << QByteArray("/api/v1");
    QTest::newRow("no prefix") << QByteArray();
}

void TestFakeProvider::chatCompletion()
{
    QFETCH(QByteArray, prefix);
    FakeProvider provider;
    const Stream r = exchange(provider.port(), llmRequest(prefix + "/chat/completions"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.headers.value("content-type"), "application/json");
    const QJsonObject o = jsonOf(r.body);
    QVERIFY(o[u"id"_s].toString().startsWith(u"chatcmpl-"_s));
    QCOMPARE(o[u"object"_s].toString(), u"chat.completion"_s);
    QVERIFY(o[u"created"_s].toInteger() > 1'600'000'000);
    QCOMPARE(o[u"model"_s].toString(), u"fake-llm-1"_s);
    const QJsonObject choice = o[u"choices"_s][0].toObject();
    QCOMPARE(choice[u"index"_s].toInt(), 0);
    QCOMPARE(choice[u"message"_s][u"role"_s].toString(), u"assistant"_s);
    QCOMPARE(choice[u"message"_s][u"content"_s].toString(), FakeProvider::Reply().text);
    QCOMPARE(choice[u"finish_reason"_s].toString(), u"stop"_s);
    const QJsonObject usage = o[u"usage"_s].toObject();
    QCOMPARE(usage[u"prompt_tokens"_s].toInt(), 12);
    QCOMPARE(usage[u"completion_tokens"_s].toInt(), 7);
    QCOMPARE(usage[u"total_tokens"_s].toInt(), 19);
}

void TestFakeProvider::chatCompletionStream_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("chunks");
    QTest::addColumn<bool>("includeUsage");
    QTest::addColumn<int>("expectedDeltas");
    QTest::newRow("4 chunks") << u"Hello there, world"_s << 4 << false << 4;
    QTest::newRow("4 chunks with usage") << u"Hello there, world"_s << 4 << true << 4;
    QTest::newRow("1 chunk with usage") << u"Hi"_s << 1 << true << 1;
    QTest::newRow("more chunks than characters") << u"Hi"_s << 5 << false << 2;
}

void TestFakeProvider::chatCompletionStream()
{
    QFETCH(QString, text);
    QFETCH(int, chunks);
    QFETCH(bool, includeUsage);
    QFETCH(int, expectedDeltas);
    FakeProvider provider;
    FakeProvider::Reply reply;
    reply.text = text;
    reply.chunks = chunks;
    provider.setReply(reply);
    const Stream r = exchange(provider.port(), llmRequest(kChatPath, true, includeUsage));
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QVERIFY(isEventStream(r));
    // role, deltas, finish, [usage], [DONE]
    QCOMPARE(r.events.size(), 1 + expectedDeltas + 1 + (includeUsage ? 1 : 0) + 1);
    QCOMPARE(r.events.last().second.data, "[DONE]");
    const QJsonObject first = eventJson(r, 0);
    QCOMPARE(first[u"object"_s].toString(), u"chat.completion.chunk"_s);
    QCOMPARE(first[u"model"_s].toString(), u"fake-llm-1"_s);
    QCOMPARE(first[u"choices"_s][0][u"delta"_s][u"role"_s].toString(), u"assistant"_s);
    QCOMPARE(deltas(r).size(), expectedDeltas);
    QCOMPARE(textOf(r), text);
    const QJsonObject finish = eventJson(r, 1 + expectedDeltas);
    QCOMPARE(finish[u"choices"_s][0][u"finish_reason"_s].toString(), u"stop"_s);
    QCOMPARE(finish[u"id"_s].toString(), first[u"id"_s].toString());
    for (qsizetype i = 0; i <= 1 + expectedDeltas; ++i)
        QCOMPARE(eventJson(r, i).contains(u"usage"_s), includeUsage); // null until the usage chunk
    if (includeUsage) {
        const QJsonObject usage = eventJson(r, r.events.size() - 2);
        QCOMPARE(usage[u"choices"_s].toArray().size(), 0);
        QCOMPARE(usage[u"usage"_s][u"total_tokens"_s].toInt(), 19);
        QCOMPARE(usage[u"usage"_s][u"prompt_tokens"_s].toInt(), 12);
    }
}

void TestFakeProvider::embeddings_data()
{
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<int>("vectors");
    QTest::newRow("one string") << QJsonValue(u"hello"_s) << 1;
    QTest::newRow("three strings") << QJsonValue(QJsonArray{u"a"_s, u"b"_s, u"c"_s}) << 3;
    QTest::newRow("one token array") << QJsonValue(QJsonArray{15339, 1917}) << 1;
}

void TestFakeProvider::embeddings()
{
    QFETCH(QJsonValue, input);
    QFETCH(int, vectors);
    FakeProvider provider;
    const QJsonObject body{{u"model"_s, u"text-embedding-3-small"_s}, {u"input"_s, input}};
    const Stream r = exchange(provider.port(), post("/v1/embeddings", body));
    QCOMPARE(r.status, 200);
    const QJsonObject o = jsonOf(r.body);
    QCOMPARE(o[u"object"_s].toString(), u"list"_s);
    QCOMPARE(o[u"model"_s].toString(), u"text-embedding-3-small"_s);
    const QJsonArray data = o[u"data"_s].toArray();
    QCOMPARE(data.size(), vectors);
    for (int i = 0; i < vectors; ++i) {
        QCOMPARE(data[i][u"object"_s].toString(), u"embedding"_s);
        QCOMPARE(data[i][u"index"_s].toInt(), i);
        QCOMPARE(data[i][u"embedding"_s].toArray().size(), 8);
        QVERIFY(data[i][u"embedding"_s][0].isDouble());
    }
    QCOMPARE(o[u"usage"_s][u"prompt_tokens"_s].toInt(), 12);
    QCOMPARE(o[u"usage"_s][u"total_tokens"_s].toInt(), 12);
}

void TestFakeProvider::anthropicMessage()
{
    FakeProvider provider;
    const Stream r = exchange(provider.port(), llmRequest(kMessagesPath));
    QCOMPARE(r.status, 200);
    const QJsonObject o = jsonOf(r.body);
    QVERIFY(o[u"id"_s].toString().startsWith(u"msg_"_s));
    QCOMPARE(o[u"type"_s].toString(), u"message"_s);
    QCOMPARE(o[u"role"_s].toString(), u"assistant"_s);
    QCOMPARE(o[u"model"_s].toString(), u"fake-llm-1"_s);
    QCOMPARE(o[u"content"_s].toArray().size(), 1);
    QCOMPARE(o[u"content"_s][0][u"type"_s].toString(), u"text"_s);
    QCOMPARE(o[u"content"_s][0][u"text"_s].toString(), FakeProvider::Reply().text);
    QCOMPARE(o[u"stop_reason"_s].toString(), u"end_turn"_s);
    QVERIFY(o.contains(u"stop_sequence"_s) && o[u"stop_sequence"_s].isNull());
    QCOMPARE(o[u"usage"_s][u"input_tokens"_s].toInt(), 12);
    QCOMPARE(o[u"usage"_s][u"output_tokens"_s].toInt(), 7);
}

void TestFakeProvider::anthropicStream()
{
    FakeProvider provider;
    FakeProvider::Reply reply;
    reply.chunks = 3;
    provider.setReply(reply);
    const Stream r = exchange(provider.port(), llmRequest(kMessagesPath, true));
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QVERIFY(isEventStream(r));
    QList<QByteArray> names;
    for (const auto &[atMs, e] : r.events) {
        names.append(e.event);
        QCOMPARE(jsonOf(e.data)[u"type"_s].toString().toLatin1(), e.event); // data.type repeats the event name
    }
    const QList<QByteArray> expected{"message_start", "content_block_start", "ping", "content_block_delta",
                                     "content_block_delta", "content_block_delta", "content_block_stop",
                                     "message_delta", "message_stop"};
    QCOMPARE(names, expected);
    const QJsonObject start = eventJson(r, 0)[u"message"_s].toObject();
    QCOMPARE(start[u"model"_s].toString(), u"fake-llm-1"_s);
    QCOMPARE(start[u"content"_s].toArray().size(), 0);
    QCOMPARE(start[u"usage"_s][u"input_tokens"_s].toInt(), 12);
    QCOMPARE(eventJson(r, 1)[u"content_block"_s][u"type"_s].toString(), u"text"_s);
    QCOMPARE(eventJson(r, 3)[u"delta"_s][u"type"_s].toString(), u"text_delta"_s);
    QCOMPARE(textOf(r), reply.text);
    const QJsonObject delta = eventJson(r, 7);
    QCOMPARE(delta[u"delta"_s][u"stop_reason"_s].toString(), u"end_turn"_s);
    QCOMPARE(delta[u"usage"_s][u"output_tokens"_s].toInt(), 7);
}

void TestFakeProvider::rejectedRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown path") << RawHttpClient::request("POST", "/v1/nothing", "{}") << 404;
    QTest::newRow("GET on chat") << RawHttpClient::request("GET", kChatPath) << 404;
    QTest::newRow("body not JSON") << RawHttpClient::request("POST", kChatPath, "model=x") << 400;
}

void TestFakeProvider::rejectedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    FakeProvider provider;
    const Stream r = exchange(provider.port(), request);
    QCOMPARE(r.status, status);
    QVERIFY(!jsonOf(r.body)[u"error"_s][u"message"_s].toString().isEmpty());
    QCOMPARE(provider.requestCount(), 1);
}

void TestFakeProvider::streamChunksSpreadOverTime_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("openai") << kChatPath;
    QTest::newRow("anthropic") << kMessagesPath;
}

void TestFakeProvider::streamChunksSpreadOverTime()
{
    QFETCH(QByteArray, path);
    FakeProvider provider;
    FakeProvider::Reply reply;
    reply.chunks = 5;
    reply.intervalMs = 100;
    provider.setReply(reply);
    const Stream r = exchange(provider.port(), llmRequest(path, true));
    QVERIFY(r.complete);
    const auto parts = deltas(r);
    QCOMPARE(parts.size(), 5);
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const qint64 gap = parts.at(i).first - parts.at(i - 1).first;
        QVERIFY2(gap >= 70 && gap < 2000, qPrintable(u"gap %1 ms"_s.arg(gap)));
    }
}

void TestFakeProvider::httpError_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<QString>("type");
    QTest::newRow("429 openai, Retry-After seconds") << kChatPath << 429 << QByteArray("2") << u"rate_limit_error"_s;
    QTest::newRow("500 openai") << kChatPath << 500 << QByteArray() << u"server_error"_s;
    QTest::newRow("401 embeddings") << QByteArray("/v1/embeddings") << 401 << QByteArray() << u"authentication_error"_s;
    QTest::newRow("503 anthropic, Retry-After date")
        << kMessagesPath << 503 << QByteArray("Wed, 21 Oct 2026 07:28:00 GMT") << u"api_error"_s;
    QTest::newRow("529 anthropic overloaded") << kMessagesPath << 529 << QByteArray() << u"overloaded_error"_s;
}

void TestFakeProvider::httpError()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(QString, type);
    FakeProvider provider;
    provider.enqueue(Behaviour::httpError(status, u"scripted failure"_s, retryAfter));
    const Stream r = exchange(provider.port(), llmRequest(path, true));
    QCOMPARE(r.status, status);
    QVERIFY(r.complete);
    QCOMPARE(r.headers.value("retry-after"), retryAfter);
    QCOMPARE(r.headers.contains("retry-after"), !retryAfter.isEmpty());
    const QJsonObject o = jsonOf(r.body);
    QCOMPARE(o[u"error"_s][u"type"_s].toString(), type);
    QCOMPARE(o[u"error"_s][u"message"_s].toString(), u"scripted failure"_s);
    if (path == kMessagesPath)
        QCOMPARE(o[u"type"_s].toString(), u"error"_s); // {"type":"error","error":{"type","message"}}
    else
        QVERIFY(o[u"error"_s].toObject().contains(u"code"_s)); // {"error":{"message","type","code"}}
}

void TestFakeProvider::slowFirstByte()
{
    FakeProvider provider;
    provider.enqueue(Behaviour::slowFirstByte(400));
    RawHttpClient client(provider.port());
    for (const bool slow : {true, false}) {
        QElapsedTimer clock;
        clock.start();
        client.send(llmRequest(kChatPath));
        QVERIFY(client.socket().waitForReadyRead(5000));
        const qint64 firstByteMs = clock.elapsed();
        QVERIFY2(slow ? firstByteMs >= 350 : firstByteMs < 350, qPrintable(QString::number(firstByteMs)));
        QCOMPARE(client.readResponse().status, 200);
    }
}

void TestFakeProvider::stallMidStream_data()
{
    streamChunksSpreadOverTime_data();
}

void TestFakeProvider::stallMidStream()
{
    QFETCH(QByteArray, path);
    FakeProvider provider;
    provider.enqueue(Behaviour::stall(2, 600));
    const Stream r = exchange(provider.port(), llmRequest(path, true));
    QVERIFY(r.complete);
    QVERIFY(r.events.size() > 3);
    QVERIFY(r.events.at(1).first - r.events.at(0).first < 300);
    QVERIFY2(r.events.at(2).first - r.events.at(1).first >= 500, "the third event must come after the pause");
    QCOMPARE(textOf(r), FakeProvider::Reply().text);
}

void TestFakeProvider::cutMidStream_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("afterPieces");
    QTest::newRow("openai stream after 3 events") << llmRequest(kChatPath, true) << 3;
    QTest::newRow("anthropic stream after 5 events") << llmRequest(kMessagesPath, true) << 5;
    QTest::newRow("plain response after its head") << llmRequest(kChatPath) << 0;
}

void TestFakeProvider::cutMidStream()
{
    QFETCH(QByteArray, request);
    QFETCH(int, afterPieces);
    FakeProvider provider;
    provider.enqueue(Behaviour::cut(afterPieces));
    const Stream r = exchange(provider.port(), request);
    QCOMPARE(r.status, 200);
    QVERIFY(!r.complete);
    QCOMPARE(r.events.size(), afterPieces);
    if (afterPieces == 0)
        QVERIFY(r.body.isEmpty());
    QTRY_COMPARE(provider.inFlight(), 0);
}

void TestFakeProvider::resetBeforeHeaders()
{
    FakeProvider provider;
    provider.enqueue(Behaviour::reset());
    const Stream r = exchange(provider.port(), llmRequest(kChatPath));
    QCOMPARE(r.status, 0);
    QVERIFY(r.body.isEmpty());
    QVERIFY(!r.complete);
    QCOMPARE(provider.requestCount(), 1);
    QCOMPARE(provider.clientDisconnects(), 0);
}

void TestFakeProvider::malformedBodies_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("broken JSON") << Behaviour::malformedJson() << llmRequest(kChatPath) << QByteArray("application/json");
    QTest::newRow("broken SSE openai") << Behaviour::malformedSse() << llmRequest(kChatPath, true)
                                       << QByteArray("text/event-stream");
    QTest::newRow("broken SSE anthropic") << Behaviour::malformedSse() << llmRequest(kMessagesPath, true)
                                          << QByteArray("text/event-stream");
    QTest::newRow("HTML") << Behaviour::wrongContentType() << llmRequest(kChatPath) << QByteArray("text/html");
}

void TestFakeProvider::malformedBodies()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, contentType);
    FakeProvider provider;
    provider.enqueue(behaviour);
    const Stream r = exchange(provider.port(), request);
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QVERIFY(r.headers.value("content-type").startsWith(contentType));
    QJsonParseError error;
    if (r.events.isEmpty()) {
        QJsonDocument::fromJson(r.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
        return;
    }
    QVERIFY(!eventJson(r, 0).isEmpty());
    QJsonDocument::fromJson(r.events.at(1).second.data, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

void TestFakeProvider::oversized_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("plain") << llmRequest(kChatPath);
    QTest::newRow("stream") << llmRequest(kChatPath, true);
    QTest::newRow("anthropic stream") << llmRequest(kMessagesPath, true);
}

void TestFakeProvider::oversized()
{
    QFETCH(QByteArray, request);
    const qint64 size = 3 * 1024 * 1024;
    FakeProvider provider;
    provider.enqueue(Behaviour::oversized(size));
    const Stream r = exchange(provider.port(), request, 30000);
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QVERIFY(r.body.size() >= size);
    const QString text = r.events.isEmpty() ? jsonOf(r.body)[u"choices"_s][0][u"message"_s][u"content"_s].toString()
                                            : textOf(r);
    QCOMPARE(text.size(), size);
}

void TestFakeProvider::neverAnswerHoldsUntilClientLeaves()
{
    FakeProvider provider;
    QSignalSpy gone(&provider, &FakeProvider::clientDisconnected);
    provider.enqueue(Behaviour::neverAnswer());
    auto client = std::make_unique<RawHttpClient>(provider.port());
    client->send(llmRequest(kChatPath));
    const RawHttpClient::Response r = client->readResponse(300);
    QCOMPARE(r.status, 0);
    QCOMPARE(r.error, u"timed out"_s);
    QCOMPARE(provider.inFlight(), 1);
    client.reset(); // the client gives up
    QVERIFY(provider.waitForClientDisconnects(1));
    QTRY_COMPARE(gone.count(), 1); // the signal follows the counter
    QCOMPARE(provider.inFlight(), 0);
}

void TestFakeProvider::clientLeavingMidStreamIsCounted()
{
    FakeProvider provider;
    FakeProvider::Reply reply;
    reply.chunks = 10;
    reply.intervalMs = 100;
    provider.setReply(reply);
    QSignalSpy gone(&provider, &FakeProvider::clientDisconnected);
    {
        RawHttpClient client(provider.port());
        client.send(llmRequest(kChatPath, true));
        QVERIFY(client.socket().waitForReadyRead(5000)); // the head and the first events
    }
    QVERIFY(gone.wait(5000));
    QCOMPARE(provider.clientDisconnects(), 1);
    QCOMPARE(provider.inFlight(), 0);
    // A reply finished before the client leaves does not count.
    RawHttpClient::fetch(provider.port(), "POST", kChatPath, "{}");
    QVERIFY(!gone.wait(300));
}

void TestFakeProvider::scriptIsConsumedInOrder()
{
    FakeProvider provider;
    provider.enqueue(Behaviour::httpError(429));
    provider.enqueue(Behaviour::httpError(503));
    provider.enqueue(Behaviour::answer());
    provider.enqueue(Behaviour::httpError(500));
    QCOMPARE(provider.pendingBehaviours(), 4);
    RawHttpClient client(provider.port()); // error replies keep the connection
    QList<int> statuses;
    for (int i = 0; i < 5; ++i) {
        client.send(llmRequest(kChatPath));
        statuses.append(client.readResponse().status);
    }
    QCOMPARE(statuses, (QList<int>{429, 503, 200, 500, 200}));
    QCOMPARE(provider.pendingBehaviours(), 0);
}

void TestFakeProvider::recordsRequestsAndKeepsAlive()
{
    FakeProvider provider;
    QSignalSpy received(&provider, &FakeProvider::requestReceived);
    RawHttpClient client(provider.port());
    const auto bodyOf = [](int i) { return QByteArray("{\"model\":\"m\",\"n\":" + QByteArray::number(i) + '}'); };
    for (int i = 0; i < 20; ++i) {
        client.send(RawHttpClient::request("POST", "/v1/chat/completions?i=" + QByteArray::number(i), bodyOf(i),
                                           {{"X-Test", QByteArray::number(i)}, {"Authorization", "Bearer sk-test"}}));
        QCOMPARE(client.readResponse().status, 200);
    }
    RawHttpClient::fetch(provider.port(), "POST", kMessagesPath, "{}");
    QVERIFY(provider.waitForRequests(21));
    const QList<HttpRequest> requests = provider.requests();
    QCOMPARE(requests.size(), 21);
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(requests[i].method, "POST");
        QCOMPARE(requests[i].path, "/v1/chat/completions");
        QCOMPARE(requests[i].query, QByteArray("i=" + QByteArray::number(i)));
        QCOMPARE(requests[i].headers.value("x-test"), QByteArray::number(i));
        QCOMPARE(requests[i].headers.value("authorization"), "Bearer sk-test");
        QCOMPARE(requests[i].body, bodyOf(i));
        QCOMPARE(requests[i].connectionId, requests[0].connectionId); // one keep-alive connection
    }
    QCOMPARE(requests[20].path, kMessagesPath);
    QVERIFY(requests[20].connectionId != requests[0].connectionId);
    QTRY_COMPARE(received.count(), 21);
    QCOMPARE(provider.maxInFlight(), 1);
}

void TestFakeProvider::concurrentConnectionsOverlap_data()
{
    QTest::addColumn<int>("clients");
    QTest::newRow("50") << 50;
    QTest::newRow("200") << 200;
}

void TestFakeProvider::concurrentConnectionsOverlap()
{
    QFETCH(int, clients);
    FakeProvider provider;
    for (int i = 0; i < clients; ++i)
        provider.enqueue(Behaviour::slowFirstByte(1500));
    std::vector<std::unique_ptr<RawHttpClient>> connections;
    for (int i = 0; i < clients; ++i) {
        connections.push_back(std::make_unique<RawHttpClient>(provider.port()));
        connections.back()->send(llmRequest(kChatPath));
    }
    QVERIFY(provider.waitForRequests(clients, 10000));
    QCOMPARE(provider.maxInFlight(), clients);
    for (const auto &connection : connections)
        QCOMPARE(connection->readResponse(10000).status, 200);
    QTRY_COMPARE(provider.inFlight(), 0);
}

void TestFakeProvider::refusedPorts()
{
    FakeProvider provider;
    RawHttpClient before(provider.port()); // accepted while listening
    before.send(llmRequest(kChatPath));
    QCOMPARE(before.readResponse().status, 200);
    provider.stopListening();
    for (const quint16 port : {provider.port(), FakeProvider::unusedPort()}) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!socket.waitForConnected(3000));
        QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    }
    before.send(llmRequest(kChatPath));
    QCOMPARE(before.readResponse().status, 200); // open connections keep working
}

void TestFakeProvider::shutdownWithOpenConnections()
{
    QTRY_COMPARE(providerThreads(), 0); // earlier tests' threads end just after QThread::wait()
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    {
        FakeProvider provider;
        FakeProvider::Reply reply;
        reply.chunks = 20;
        reply.intervalMs = 200;
        provider.setReply(reply);
        provider.enqueue(Behaviour::neverAnswer());
        provider.enqueue(Behaviour::slowFirstByte(5000));
        for (int i = 0; i < 4; ++i)
            clients.push_back(std::make_unique<RawHttpClient>(provider.port()));
        clients[0]->send(llmRequest(kChatPath));       // held
        clients[1]->send(llmRequest(kChatPath));       // waiting for its first byte
        clients[2]->send(llmRequest(kChatPath, true)); // mid-stream
        // clients[3] stays idle
        QVERIFY(provider.waitForRequests(3));
        QVERIFY(clients[2]->socket().waitForReadyRead(5000));
        QCOMPARE(providerThreads(), 1);
    }
    for (const auto &client : clients)
        QVERIFY(client->waitForClosed(5000));
    QTRY_COMPARE(providerThreads(), 0);
}

QTEST_GUILESS_MAIN(TestFakeProvider)
#include "tst_FakeProvider.moc"
