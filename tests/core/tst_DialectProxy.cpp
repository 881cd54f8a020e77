// SPDX-License-Identifier: GPL-3.0-or-later
// Any inbound dialect reaches any provider kind: end to end through the engine, with fake
// upstreams speaking OpenAI chat completions and Anthropic Messages.
#include "core/http/HttpExchange.h"
#include "core/http/HttpHandler.h"
#include "core/http/HttpServer.h"
#include "core/stream/SseParser.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QJsonArray>
#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using Behaviour = FakeProvider::Behaviour;

class TestDialectProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anthropicClientToOpenAiTarget();
    void anthropicClientStreamsFromOpenAiTarget();
    void openAiClientToAnthropicTarget();
    void openAiClientStreamsFromAnthropicTarget();
    void anthropicPassthroughStreamsWithUsage();
    void untranslatableFieldIsRefused();
    void upstreamErrorInClientDialect();
    void unknownModelInAnthropicShape();
    void countTokensEstimate();
    void responsesPassThroughToOpenAi();
    void responsesStreamWithUsage();
    void responsesTranslatedForAnthropicTargets();
    void responsesStreamFromAnthropicTarget();
    void responsesUntranslatableFieldIsRefused();
    void responsesStreamBrokenMidway();
    void toolCallInEveryCombination_data();
    void toolCallInEveryCombination();
    void agentFieldsDroppedWithNotes();
    void strictAliasRefusesUnknownFields();
    void completedStreamIsOkWhenClientHangsUpFirst_data();
    void completedStreamIsOkWhenClientHangsUpFirst();
};

namespace {

QByteArray messagesBody(const QByteArray &model, bool stream = false)
{
    return R"({"model":")" + model + R"(","max_tokens":256,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}])"
           + (stream ? QByteArray(R"(,"stream":true)") : QByteArray()) + "}";
}

QByteArray chatBody(const QByteArray &model, bool stream = false)
{
    return R"({"model":")" + model + R"(","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}])"
           + (stream ? QByteArray(R"(,"stream":true)") : QByteArray()) + "}";
}

// Alias "gpt" → provider "oai" (OpenAI kind), alias "sonnet" → provider "claude" (Anthropic kind).
Config twoKinds(quint16 openAiPort, quint16 anthropicPort, const QString &openAiKey = QString(),
                const QString &anthropicKey = QString())
{
    Config c = TestConfigs::base();
    ProviderConfig claude;
    claude.name = QStringLiteral("claude");
    claude.kind = ProviderKind::Anthropic;
    claude.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(anthropicPort));
    claude.apiKey = anthropicKey;
    c.providers = {TestConfigs::provider(QStringLiteral("oai"), openAiPort, openAiKey), claude};
    c.aliases = {TestConfigs::alias(QStringLiteral("gpt"), Strategy::Fallback, {TestConfigs::target(QStringLiteral("oai"), QStringLiteral("gpt-4o-mini"))}),
                 TestConfigs::alias(QStringLiteral("sonnet"), Strategy::Fallback,
                                    {TestConfigs::target(QStringLiteral("claude"), QStringLiteral("claude-3-5-sonnet-latest"))})};
    return c;
}

struct Setup
{
    FakeProvider openai;
    FakeProvider anthropic;
    std::unique_ptr<EngineThread> engine;
    Setup()
        : engine(std::make_unique<EngineThread>(twoKinds(openai.port(), anthropic.port(), QStringLiteral("sk-oai-key"),
                                                         QStringLiteral("sk-ant-upstream-key"))))
    {
    }
    RawHttpClient::Response post(const QByteArray &path, const QByteArray &body)
    {
        return RawHttpClient::fetch(engine->port(), "POST", path, body, {{"anthropic-version", "2023-06-01"}});
    }
    RawHttpClient::Stream stream(const QByteArray &path, const QByteArray &body)
    {
        RawHttpClient client(engine->port());
        client.send(RawHttpClient::request("POST", path, body, {{"anthropic-version", "2023-06-01"}}));
        return client.readStream(20000);
    }
};

QJsonObject json(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QByteArray goldenFile(const QString &name)
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/dialect/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// An upstream that answers from the golden files: OpenAI chat completions and Responses,
// and Anthropic Messages, each with tool calls, whole or streamed event by event.
class GoldenHandler final : public QObject, public HttpHandler
{
public:
    // How a stream ends: closed after the last event, or held open after it (as an upstream
    // whose end of body comes late), or held open one event short of its end.
    enum class StreamEnd { Close, HoldAfterLast, HoldBeforeLast };
    std::atomic<StreamEnd> streamEnd = StreamEnd::Close;

    void handle(HttpExchange *exchange) override
    {
        const HttpRequest &request = exchange->request();
        {
            QMutexLocker lock(&m_mutex);
            m_requests.append(request);
        }
        const bool stream = QJsonDocument::fromJson(request.body).object().value(QLatin1String("stream")).toBool();
        QString name;
        if (request.path.endsWith("/chat/completions"))
            name = stream ? QStringLiteral("openai_stream_tool_calls.sse") : QStringLiteral("openai_response_tool_calls.json");
        else if (request.path.endsWith("/responses"))
            name = stream ? QStringLiteral("responses_stream_from_openai_tool_calls.sse")
                          : QStringLiteral("responses_response_from_openai_tool_calls.json");
        else if (request.path.endsWith("/messages"))
            name = stream ? QStringLiteral("anthropic_stream_tool_use.sse") : QStringLiteral("anthropic_response_tool_use.json");
        if (name.isEmpty())
            return exchange->respondJson(404, R"({"error":{"message":"no such path"}})");
        if (!stream)
            return exchange->respondJson(200, goldenFile(name));
        HttpHeaders headers;
        headers.add("Content-Type", "text/event-stream");
        exchange->startStream(200, headers);
        SseParser parser;
        const QList<SseEvent> events = parser.feed(goldenFile(name));
        const StreamEnd end = streamEnd;
        for (qsizetype i = 0; i < events.size() - (end == StreamEnd::HoldBeforeLast ? 1 : 0); ++i)
            exchange->writeChunk(events.at(i).raw);
        if (end == StreamEnd::Close)
            exchange->endStream();
    }
    QList<HttpRequest> requests() const
    {
        QMutexLocker lock(&m_mutex);
        return m_requests;
    }

private:
    mutable QMutex m_mutex;
    QList<HttpRequest> m_requests;
};

// GoldenHandler's server on its own thread, as a provider runs elsewhere.
class GoldenUpstream final
{
public:
    GoldenUpstream()
    {
        m_handler = new GoldenHandler;
        m_server = new HttpServer(m_handler, m_handler);
        m_handler->moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(m_handler, [this] {
            if (m_server->listen(QStringLiteral("127.0.0.1"), 0))
                m_port = m_server->port();
        }, Qt::BlockingQueuedConnection);
    }
    ~GoldenUpstream()
    {
        QMetaObject::invokeMethod(m_handler, [this] { delete m_handler; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }
    QList<HttpRequest> requests() const { return m_handler->requests(); }
    void setStreamEnd(GoldenHandler::StreamEnd end) { m_handler->streamEnd = end; }

private:
    QThread m_thread;
    GoldenHandler *m_handler = nullptr;
    HttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

// The first tool call a client got, in any dialect: {id, name, arguments (parsed)}.
struct ToolCall
{
    QString id;
    QString name;
    QString arguments;
    QJsonObject input() const { return QJsonDocument::fromJson(arguments.toUtf8()).object(); }
};

ToolCall firstToolCall(const QByteArray &path, const QJsonObject &body)
{
    if (path == "/v1/chat/completions") {
        const QJsonObject call = body.value(QLatin1String("choices")).toArray().at(0).toObject().value(QLatin1String("message"))
                                     .toObject().value(QLatin1String("tool_calls")).toArray().at(0).toObject();
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        return {call.value(QLatin1String("id")).toString(), function.value(QLatin1String("name")).toString(),
                function.value(QLatin1String("arguments")).toString()};
    }
    const bool messages = path == "/v1/messages";
    for (const QJsonValue &value : body.value(QLatin1String(messages ? "content" : "output")).toArray()) {
        const QJsonObject item = value.toObject();
        if (messages && item.value(QLatin1String("type")) == QLatin1String("tool_use"))
            return {item.value(QLatin1String("id")).toString(), item.value(QLatin1String("name")).toString(),
                    QString::fromUtf8(QJsonDocument(item.value(QLatin1String("input")).toObject()).toJson(QJsonDocument::Compact))};
        if (!messages && item.value(QLatin1String("type")) == QLatin1String("function_call"))
            return {item.value(QLatin1String("call_id")).toString(), item.value(QLatin1String("name")).toString(),
                    item.value(QLatin1String("arguments")).toString()};
    }
    return {};
}

// The same from a stream, put together from its deltas as an SDK does.
ToolCall firstStreamedToolCall(const QByteArray &path, const QList<std::pair<qint64, SseEvent>> &events)
{
    ToolCall call;
    QString responsesItem;
    int sequence = 0;
    int toolBlock = -1;
    for (const auto &[at, event] : events) {
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        const QString type = data.value(QLatin1String("type")).toString();
        if (path == "/v1/chat/completions") {
            const QJsonObject delta = data.value(QLatin1String("choices")).toArray().at(0).toObject().value(QLatin1String("delta")).toObject();
            for (const QJsonValue &value : delta.value(QLatin1String("tool_calls")).toArray()) {
                const QJsonObject part = value.toObject();
                if (part.value(QLatin1String("index")).toInt() != 0)
                    continue;
                if (part.contains(QLatin1String("id")))
                    call.id = part.value(QLatin1String("id")).toString();
                const QJsonObject function = part.value(QLatin1String("function")).toObject();
                if (function.contains(QLatin1String("name")))
                    call.name = function.value(QLatin1String("name")).toString();
                call.arguments += function.value(QLatin1String("arguments")).toString();
            }
        } else if (path == "/v1/messages") {
            const QJsonObject block = data.value(QLatin1String("content_block")).toObject();
            if (type == QLatin1String("content_block_start") && block.value(QLatin1String("type")) == QLatin1String("tool_use") && call.id.isEmpty()) {
                call.id = block.value(QLatin1String("id")).toString();
                call.name = block.value(QLatin1String("name")).toString();
                toolBlock = data.value(QLatin1String("index")).toInt();
            }
            if (data.value(QLatin1String("index")).toInt(-1) == toolBlock
                && data.value(QLatin1String("delta")).toObject().value(QLatin1String("type")) == QLatin1String("input_json_delta"))
                call.arguments += data.value(QLatin1String("delta")).toObject().value(QLatin1String("partial_json")).toString();
        } else {
            if (data.value(QLatin1String("sequence_number")).toInt(-1) != sequence++) // numbered without gaps
                return {};
            const QJsonObject item = data.value(QLatin1String("item")).toObject();
            if (type == QLatin1String("response.output_item.added") && item.value(QLatin1String("type")) == QLatin1String("function_call")
                && responsesItem.isEmpty()) {
                responsesItem = item.value(QLatin1String("id")).toString();
                call.id = item.value(QLatin1String("call_id")).toString();
                call.name = item.value(QLatin1String("name")).toString();
            }
            if (type == QLatin1String("response.function_call_arguments.delta") && data.value(QLatin1String("item_id")).toString() == responsesItem)
                call.arguments += data.value(QLatin1String("delta")).toString();
        }
    }
    return call;
}

} // namespace

void TestDialectProxy::anthropicClientToOpenAiTarget()
{
    Setup s;
    const auto response = s.post("/v1/messages", messagesBody("gpt"));
    QCOMPARE(response.status, 200);
    const QJsonObject message = response.json();
    QCOMPARE(message.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    QCOMPARE(message.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value(QLatin1String("content")).toArray().at(0).toObject().value(QLatin1String("type")).toString(), QStringLiteral("text"));
    QCOMPARE(message.value(QLatin1String("stop_reason")).toString(), QStringLiteral("end_turn"));
    QCOMPARE(message.value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 7);
    // The upstream got an OpenAI chat request with the system prompt as a system message.
    const QJsonObject sent = json(s.openai.requests().constFirst().body);
    QCOMPARE(s.openai.requests().constFirst().path, QByteArray("/v1/chat/completions"));
    QCOMPARE(sent.value(QLatin1String("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(sent.value(QLatin1String("messages")).toArray().at(0).toObject().value(QLatin1String("role")).toString(), QStringLiteral("system"));
    QCOMPARE(s.openai.requests().constFirst().headers.value("authorization"), QByteArray("Bearer sk-oai-key"));
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QVERIFY(r.ok);
    QCOMPARE(r.endpoint, QStringLiteral("/v1/messages"));
    QCOMPARE(r.usage.promptTokens.value_or(-1), 12);
    // What went upstream is kept beside what the client sent.
    QVERIFY(r.attempts.constFirst().requestBody.contains("\"role\":\"system\""));
    QVERIFY(r.requestBody.contains("\"system\":\"Be brief.\""));
}

void TestDialectProxy::anthropicClientStreamsFromOpenAiTarget()
{
    Setup s;
    const auto stream = s.stream("/v1/messages", messagesBody("gpt", true));
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QCOMPARE(stream.status, 200);
    QStringList names;
    QString text;
    for (const auto &[at, event] : stream.events) {
        names << QString::fromLatin1(event.event);
        const QJsonObject data = json(event.data);
        if (data.value(QLatin1String("type")).toString() == QLatin1String("content_block_delta"))
            text += data.value(QLatin1String("delta")).toObject().value(QLatin1String("text")).toString();
    }
    QCOMPARE(names.constFirst(), QStringLiteral("message_start"));
    QCOMPARE(names.constLast(), QStringLiteral("message_stop"));
    QVERIFY(names.contains(QStringLiteral("content_block_delta")));
    QVERIFY(names.contains(QStringLiteral("message_delta")));
    QCOMPARE(text, QStringLiteral("Hello from the fake provider."));
    QVERIFY(json(s.openai.requests().constFirst().body).value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool());
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().usage.completionTokens.value_or(-1), 7);
}

void TestDialectProxy::openAiClientToAnthropicTarget()
{
    Setup s;
    const auto response = s.post("/v1/chat/completions", chatBody("sonnet"));
    QCOMPARE(response.status, 200);
    const QJsonObject completion = response.json();
    QCOMPARE(completion.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    QCOMPARE(completion.value(QLatin1String("choices")).toArray().at(0).toObject().value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
    QCOMPARE(completion.value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 7);
    const HttpRequest sent = s.anthropic.requests().constFirst();
    QCOMPARE(sent.path, QByteArray("/v1/messages"));
    QCOMPARE(sent.headers.value("x-api-key"), QByteArray("sk-ant-upstream-key"));
    QCOMPARE(sent.headers.value("anthropic-version"), QByteArray("2023-06-01"));
    QVERIFY(!sent.headers.contains("authorization"));
    const QJsonObject body = json(sent.body);
    QCOMPARE(body.value(QLatin1String("system")).toString(), QStringLiteral("Be brief."));
    QVERIFY(body.value(QLatin1String("max_tokens")).toInt() > 0); // required by Anthropic
}

void TestDialectProxy::openAiClientStreamsFromAnthropicTarget()
{
    Setup s;
    const auto stream = s.stream("/v1/chat/completions", chatBody("sonnet", true));
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QString text;
    for (const auto &[at, event] : stream.events) {
        const QJsonArray choices = json(event.data).value(QLatin1String("choices")).toArray();
        if (!choices.isEmpty())
            text += choices.at(0).toObject().value(QLatin1String("delta")).toObject().value(QLatin1String("content")).toString();
    }
    QCOMPARE(text, QStringLiteral("Hello from the fake provider."));
    QCOMPARE(stream.events.constLast().second.data, QByteArray("[DONE]"));
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().usage.completionTokens.value_or(-1), 7);
    QCOMPARE(s.engine->records().constFirst().usage.promptTokens.value_or(-1), 12);
}

void TestDialectProxy::anthropicPassthroughStreamsWithUsage()
{
    Setup s;
    const auto stream = s.stream("/v1/messages", messagesBody("sonnet", true));
    QVERIFY(stream.complete);
    QCOMPARE(stream.events.constFirst().second.event, QByteArray("message_start"));
    // Passed through as it came: the upstream's own bytes.
    QVERIFY(stream.body.contains("event: ping"));
    QCOMPARE(json(s.anthropic.requests().constFirst().body).value(QLatin1String("model")).toString(), QStringLiteral("claude-3-5-sonnet-latest"));
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QCOMPARE(r.usage.promptTokens.value_or(-1), 12);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 7);
}

void TestDialectProxy::untranslatableFieldIsRefused()
{
    Setup s;
    const auto response = s.post("/v1/chat/completions", R"({"model":"sonnet","n":2,"messages":[{"role":"user","content":"Hi"}]})");
    QCOMPARE(response.status, 400);
    const QString message = response.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    QVERIFY2(message.contains(QLatin1String("\"n\"")), qPrintable(message));
    QCOMPARE(s.anthropic.requestCount(), 0);
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().errorClass, ErrorClass::BadRequest);
}

void TestDialectProxy::upstreamErrorInClientDialect()
{
    Setup s;
    s.anthropic.enqueue(Behaviour::httpError(400, QStringLiteral("max_tokens: too large")));
    const auto response = s.post("/v1/chat/completions", chatBody("sonnet"));
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QVERIFY2(error.value(QLatin1String("message")).toString().contains(QLatin1String("max_tokens: too large")), response.body.constData());
    QVERIFY(error.contains(QLatin1String("type")));
    QVERIFY(!response.json().contains(QLatin1String("type"))); // not Anthropic's top-level shape

    s.openai.enqueue(Behaviour::httpError(401, QStringLiteral("bad key")));
    const auto anthropicClient = s.post("/v1/messages", messagesBody("gpt"));
    QCOMPARE(anthropicClient.status, 401);
    QCOMPARE(anthropicClient.json().value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QVERIFY(anthropicClient.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().contains(QLatin1String("bad key")));
}

void TestDialectProxy::unknownModelInAnthropicShape()
{
    Setup s;
    const auto response = s.post("/v1/messages", messagesBody("claude-opus"));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.json().value(QLatin1String("type")).toString(), QStringLiteral("error"));
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("not_found_error"));
    QVERIFY(error.value(QLatin1String("message")).toString().contains(QLatin1String("sonnet")));
}

void TestDialectProxy::countTokensEstimate()
{
    Setup s;
    const auto response = s.post("/v1/messages/count_tokens",
                                 R"({"model":"gpt","system":"12345678","messages":[{"role":"user","content":"abcdefgh"}]})");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("input_tokens")).toInt(), 5); // 8/4 + ("user" 4/4 = 1) + 8/4
    QCOMPARE(response.headers.value("x-switchyard-estimate"), QByteArray("chars/4"));
    QCOMPARE(s.openai.requestCount(), 0);
}

void TestDialectProxy::responsesPassThroughToOpenAi()
{
    Setup s;
    const auto response = s.post("/v1/responses", R"({"model":"gpt","input":"Hi","reasoning":{"effort":"low"}})");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("object")).toString(), QStringLiteral("response"));
    const HttpRequest sent = s.openai.requests().constFirst();
    QCOMPARE(sent.path, QByteArray("/v1/responses"));
    // Untouched but for the model: no stream_options, unknown fields kept.
    QCOMPARE(sent.body, QByteArray(R"({"model":"gpt-4o-mini","input":"Hi","reasoning":{"effort":"low"}})"));
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &r = s.engine->records().constFirst();
    QVERIFY(r.ok);
    QCOMPARE(r.endpoint, QStringLiteral("/v1/responses"));
    QCOMPARE(r.usage.promptTokens.value_or(-1), 12);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 7);
}

void TestDialectProxy::responsesStreamWithUsage()
{
    Setup s;
    const auto stream = s.stream("/v1/responses", R"({"model":"gpt","input":"Hi","stream":true})");
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QCOMPARE(stream.events.constFirst().second.event, QByteArray("response.created"));
    QCOMPARE(stream.events.constLast().second.event, QByteArray("response.completed"));
    QVERIFY(!s.openai.requests().constFirst().body.contains("stream_options"));
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().usage.completionTokens.value_or(-1), 7);
}

void TestDialectProxy::responsesTranslatedForAnthropicTargets()
{
    Setup s;
    const auto response = s.post("/v1/responses", R"({"model":"sonnet","instructions":"Be brief.","input":"Hi","max_output_tokens":300,"store":false})");
    QCOMPARE(response.status, 200);
    const QJsonObject r = response.json();
    QCOMPARE(r.value(QLatin1String("object")).toString(), QStringLiteral("response"));
    QCOMPARE(r.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    QVERIFY(r.value(QLatin1String("id")).toString().startsWith(QLatin1String("resp_")));
    const QJsonObject message = r.value(QLatin1String("output")).toArray().at(0).toObject();
    QCOMPARE(message.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    QCOMPARE(message.value(QLatin1String("content")).toArray().at(0).toObject().value(QLatin1String("text")).toString(),
             QStringLiteral("Hello from the fake provider."));
    const QJsonObject usage = r.value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("input_tokens")).toInt(), 12);
    QCOMPARE(usage.value(QLatin1String("output_tokens")).toInt(), 7);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(), 19);
    QCOMPARE(r.value(QLatin1String("max_output_tokens")).toInt(), 300); // the request's settings, echoed
    // The upstream got an Anthropic Messages request.
    const HttpRequest sent = s.anthropic.requests().constFirst();
    QCOMPARE(sent.path, QByteArray("/v1/messages"));
    QCOMPARE(sent.headers.value("x-api-key"), QByteArray("sk-ant-upstream-key"));
    const QJsonObject body = json(sent.body);
    QCOMPARE(body.value(QLatin1String("system")).toString(), QStringLiteral("Be brief."));
    QCOMPARE(body.value(QLatin1String("max_tokens")).toInt(), 300);
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("claude-3-5-sonnet-latest"));
    QVERIFY(s.engine->waitForRecords(1));
    const CallRecord &record = s.engine->records().constFirst();
    QVERIFY(record.ok);
    QCOMPARE(record.endpoint, QStringLiteral("/v1/responses"));
    QCOMPARE(record.usage.completionTokens.value_or(-1), 7);
}

void TestDialectProxy::responsesStreamFromAnthropicTarget()
{
    Setup s;
    const auto stream = s.stream("/v1/responses", R"({"model":"sonnet","input":"Hi","stream":true})");
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QCOMPARE(stream.status, 200);
    QStringList names;
    QString text;
    for (const auto &[at, event] : stream.events) {
        names << QString::fromLatin1(event.event);
        const QJsonObject data = json(event.data);
        QCOMPARE(data.value(QLatin1String("type")).toString(), names.constLast());
        QCOMPARE(data.value(QLatin1String("sequence_number")).toInt(-1), int(names.size() - 1));
        if (names.constLast() == QLatin1String("response.output_text.delta"))
            text += data.value(QLatin1String("delta")).toString();
    }
    QCOMPARE(names.mid(0, 4), (QStringList{QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
                                           QStringLiteral("response.output_item.added"), QStringLiteral("response.content_part.added")}));
    QCOMPARE(names.mid(names.size() - 4), (QStringList{QStringLiteral("response.output_text.done"), QStringLiteral("response.content_part.done"),
                                                       QStringLiteral("response.output_item.done"), QStringLiteral("response.completed")}));
    QCOMPARE(text, QStringLiteral("Hello from the fake provider."));
    const QJsonObject completed = json(stream.events.constLast().second.data).value(QLatin1String("response")).toObject();
    QCOMPARE(completed.value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 7);
    QVERIFY(json(s.anthropic.requests().constFirst().body).value(QLatin1String("stream")).toBool());
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().usage.promptTokens.value_or(-1), 12);
}

void TestDialectProxy::responsesUntranslatableFieldIsRefused()
{
    Setup s;
    const auto response = s.post("/v1/responses", R"({"model":"sonnet","input":"Hi","previous_response_id":"resp_123"})");
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QVERIFY2(error.value(QLatin1String("message")).toString().contains(QLatin1String("\"previous_response_id\"")), response.body.constData());
    const auto tool = s.post("/v1/responses", R"({"model":"sonnet","input":"Hi","tools":[{"type":"file_search","vector_store_ids":["vs_1"]}]})");
    QCOMPARE(tool.status, 400);
    const QString toolMessage = tool.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    QVERIFY2(toolMessage.contains(QLatin1String("file_search")) && toolMessage.contains(QStringLiteral("(Responses → Messages)")),
             tool.body.constData());
    QCOMPARE(s.anthropic.requestCount(), 0);
    // The same request reaches an OpenAI-kind target untouched: OpenAI can honour it.
    const auto passed = s.post("/v1/responses", R"({"model":"gpt","input":"Hi","previous_response_id":"resp_123"})");
    QCOMPARE(passed.status, 200);
    QVERIFY(s.openai.requests().constFirst().body.contains("\"previous_response_id\":\"resp_123\""));
}

void TestDialectProxy::responsesStreamBrokenMidway()
{
    Setup s;
    s.anthropic.enqueue(Behaviour::cut(4));
    const auto stream = s.stream("/v1/responses", R"({"model":"sonnet","input":"Hi","stream":true})");
    QVERIFY2(stream.complete, qPrintable(stream.error));
    QVERIFY(stream.events.size() >= 3);
    const auto &[errorAt, error] = stream.events.at(stream.events.size() - 2);
    const auto &[failedAt, failed] = stream.events.constLast();
    QCOMPARE(error.event, QByteArray("error"));
    QCOMPARE(json(error.data).value(QLatin1String("code")).toString(), QStringLiteral("stream_interrupted"));
    QCOMPARE(failed.event, QByteArray("response.failed"));
    const QJsonObject response = json(failed.data).value(QLatin1String("response")).toObject();
    QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(json(failed.data).value(QLatin1String("sequence_number")).toInt(), int(stream.events.size() - 1));
    QVERIFY(s.engine->waitForRecords(1));
    QCOMPARE(s.engine->records().constFirst().errorClass, ErrorClass::StreamInterrupted);
}

void TestDialectProxy::toolCallInEveryCombination_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("upstreamPath");
    QTest::addColumn<QString>("callId");
    QTest::addColumn<QJsonObject>("input");
    const QByteArray tools = R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}])";
    const QByteArray anthropicTools = R"("tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}])";
    const QByteArray responsesTools = R"("tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}])";
    const QJsonObject paris{{QStringLiteral("city"), QStringLiteral("Paris")}};
    const QJsonObject parisCelsius{{QStringLiteral("city"), QStringLiteral("Paris")}, {QStringLiteral("unit"), QStringLiteral("celsius")}};
    const QJsonObject sanFrancisco{{QStringLiteral("location"), QStringLiteral("San Francisco, CA")}, {QStringLiteral("unit"), QStringLiteral("fahrenheit")}};
    for (const bool stream : {false, true}) {
        const QByteArray streamField = stream ? R"(,"stream":true)" : "";
        const char *mode = stream ? "streamed" : "plain";
        for (const char *target : {"oai", "claude"}) {
            const bool anthropic = qstrcmp(target, "claude") == 0;
            const QByteArray alias = anthropic ? "sonnet" : "gpt";
            const QString openAiId = stream ? QStringLiteral("call_DdmO9pD3xa9XTPNJ32zg2hcA") : QStringLiteral("call_abc123");
            const QString callId = anthropic ? QStringLiteral("toolu_01T1x1fJ34qAmk2tNTrN7Up6") : openAiId;
            const QJsonObject input = anthropic ? (stream ? sanFrancisco : parisCelsius) : paris;
            QTest::addRow("chat -> %s, %s", target, mode)
                << QByteArray("/v1/chat/completions")
                << R"({"model":")" + alias + R"(","messages":[{"role":"user","content":"Weather in Paris?"}],)" + tools + streamField + "}"
                << QByteArray(anthropic ? "/v1/messages" : "/v1/chat/completions") << callId << input;
            QTest::addRow("messages -> %s, %s", target, mode)
                << QByteArray("/v1/messages")
                << R"({"model":")" + alias + R"(","max_tokens":256,"messages":[{"role":"user","content":"Weather in Paris?"}],)" + anthropicTools
                       + streamField + "}"
                << QByteArray(anthropic ? "/v1/messages" : "/v1/chat/completions") << callId << input;
            QTest::addRow("responses -> %s, %s", target, mode)
                << QByteArray("/v1/responses")
                << R"({"model":")" + alias + R"(","input":"Weather in Paris?",)" + responsesTools + streamField + "}"
                << QByteArray(anthropic ? "/v1/messages" : "/v1/responses") << callId << input;
        }
    }
}

// Every inbound dialect to every provider kind, plain and streamed: the tool call the
// upstream made reaches the client in the client's dialect with its id, name and arguments.
void TestDialectProxy::toolCallInEveryCombination()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, upstreamPath);
    QFETCH(QString, callId);
    QFETCH(QJsonObject, input);
    GoldenUpstream upstream;
    EngineThread engine(twoKinds(upstream.port(), upstream.port()));
    ToolCall call;
    if (body.contains("\"stream\":true")) {
        RawHttpClient client(engine.port());
        client.send(RawHttpClient::request("POST", path, body, {{"anthropic-version", "2023-06-01"}}));
        const RawHttpClient::Stream stream = client.readStream(20000);
        QVERIFY2(stream.complete, qPrintable(stream.error));
        QCOMPARE(stream.status, 200);
        call = firstStreamedToolCall(path, stream.events);
    } else {
        const auto response = RawHttpClient::fetch(engine.port(), "POST", path, body, {{"anthropic-version", "2023-06-01"}});
        QCOMPARE(response.status, 200);
        call = firstToolCall(path, response.json());
    }
    QCOMPARE(call.id, callId);
    QCOMPARE(call.name, QStringLiteral("get_weather"));
    QCOMPARE(call.input(), input);
    QCOMPARE(upstream.requests().size(), 1);
    QVERIFY(upstream.requests().constFirst().path.endsWith(upstreamPath));
    QVERIFY(engine.waitForRecords(1));
    QVERIFY(engine.records().constFirst().ok);
    QVERIFY(engine.records().constFirst().usage.completionTokens.value_or(0) > 0);
}

// What Claude Code sends that OpenAI chat has no use for is dropped, and the client is told:
// the response header summarises it, the attempt keeps each note, the upstream never sees it.
void TestDialectProxy::agentFieldsDroppedWithNotes()
{
    Setup s;
    const QByteArray body = R"({"model":"gpt","max_tokens":256,"messages":[{"role":"user","content":"Hi"}],)"
                            R"("context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},)"
                            R"("thinking":{"type":"adaptive"},"output_config":{"effort":"high"},"new_hint_2027":true})";
    const auto response = s.post("/v1/messages", body);
    QCOMPARE(response.status, 200);
    const QByteArray header = response.headers.value("x-switchyard-translation");
    QVERIFY2(header.startsWith("Messages -> Chat Completions; dropped: "), header.constData());
    QVERIFY2(header.contains("context_management") && header.contains("new_hint_2027"), header.constData());
    const QByteArray sent = s.openai.requests().constFirst().body;
    QVERIFY(!sent.contains("context_management"));
    QVERIFY(!sent.contains("new_hint_2027"));
    QVERIFY(!sent.contains("reasoning_effort")); // gpt-4o-mini does not reason
    QVERIFY(s.engine->waitForRecords(1));
    const TranslationNotes notes = s.engine->records().constFirst().attempts.constFirst().translationNotes;
    QStringList fields;
    for (const TranslationNote &n : notes)
        fields << n.field;
    QVERIFY2(fields.contains(QStringLiteral("context_management")) && fields.contains(QStringLiteral("output_config.effort"))
                 && fields.contains(QStringLiteral("new_hint_2027")),
             qPrintable(fields.join(QLatin1Char(','))));
}

void TestDialectProxy::strictAliasRefusesUnknownFields()
{
    FakeProvider openai;
    FakeProvider anthropic;
    Config config = twoKinds(openai.port(), anthropic.port());
    config.aliases[0].strictTranslation = true;
    EngineThread engine(config);
    const auto response = RawHttpClient::fetch(
        engine.port(), "POST", "/v1/messages",
        R"({"model":"gpt","max_tokens":256,"messages":[{"role":"user","content":"Hi"}],"new_hint_2027":true})",
        {{"anthropic-version", "2023-06-01"}});
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json();
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("error")); // the client's own dialect
    QCOMPARE(error.value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
    const QString message = error.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    QVERIFY2(message.contains(QLatin1String("\"new_hint_2027\"")) && message.contains(QStringLiteral("Messages → Chat Completions")),
             qPrintable(message));
    QCOMPARE(openai.requestCount(), 0);
    // Passthrough ignores the mode: the same field reaches an Anthropic target unchanged.
    const auto passthrough = RawHttpClient::fetch(
        engine.port(), "POST", "/v1/messages",
        R"({"model":"sonnet","max_tokens":256,"messages":[{"role":"user","content":"Hi"}],"new_hint_2027":true})",
        {{"anthropic-version", "2023-06-01"}});
    QCOMPARE(passthrough.status, 200);
    QVERIFY(anthropic.requests().constFirst().body.contains("new_hint_2027"));
}

void TestDialectProxy::completedStreamIsOkWhenClientHangsUpFirst_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("complete");
    const QByteArray responses = R"({"model":"sonnet","input":"Weather?","stream":true})";
    const QByteArray chat = R"({"model":"gpt","messages":[{"role":"user","content":"Weather?"}],"stream":true})";
    QTest::newRow("Responses client, Anthropic target, message_stop seen") << QByteArray("/v1/responses") << responses << true;
    QTest::newRow("Responses client, Anthropic target, cut before message_stop") << QByteArray("/v1/responses") << responses << false;
    QTest::newRow("chat client, OpenAI target, [DONE] seen") << QByteArray("/v1/chat/completions") << chat << true;
    QTest::newRow("chat client, OpenAI target, cut before [DONE]") << QByteArray("/v1/chat/completions") << chat << false;
}

// Codex hangs up as soon as it reads response.completed. An answer that reached its terminal
// event is complete, with its usage and cost, whoever closes first; one that did not is not.
void TestDialectProxy::completedStreamIsOkWhenClientHangsUpFirst()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, complete);
    GoldenUpstream upstream;
    upstream.setStreamEnd(complete ? GoldenHandler::StreamEnd::HoldAfterLast : GoldenHandler::StreamEnd::HoldBeforeLast);
    EngineThread engine(twoKinds(upstream.port(), upstream.port()));
    {
        RawHttpClient client(engine.port());
        client.send(RawHttpClient::request("POST", path, body, {{"anthropic-version", "2023-06-01"}}));
        const RawHttpClient::Stream stream = client.readStream(1500); // the upstream never closes
        QCOMPARE(stream.status, 200);
        QVERIFY(!stream.events.isEmpty());
    } // the client hangs up
    QVERIFY(engine.waitForRecords(1));
    const CallRecord &r = engine.records().constFirst();
    QCOMPARE(r.ok, complete);
    QCOMPARE(r.status, complete ? 200 : 499);
    QCOMPARE(r.errorClass, complete ? ErrorClass::None : ErrorClass::ClientCancelled);
    if (complete)
        QVERIFY(r.usage.completionTokens.value_or(0) > 0);
}

QTEST_GUILESS_MAIN(TestDialectProxy)
#include "tst_DialectProxy.moc"
