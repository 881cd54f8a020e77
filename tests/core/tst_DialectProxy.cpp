// SPDX-License-Identifier: GPL-3.0-or-later
// Any inbound dialect reaches any provider kind: end to end through the engine, with fake
// upstreams speaking OpenAI chat completions and Anthropic Messages.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
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
    void responsesRefusedForAnthropicTargets();
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

struct Setup
{
    FakeProvider openai;
    FakeProvider anthropic;
    std::unique_ptr<EngineThread> engine;
    Setup()
    {
        Config c = TestConfigs::base();
        ProviderConfig claude;
        claude.name = QStringLiteral("claude");
        claude.kind = ProviderKind::Anthropic;
        claude.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(anthropic.port()));
        claude.apiKey = QStringLiteral("sk-ant-upstream-key");
        c.providers = {TestConfigs::provider(QStringLiteral("oai"), openai.port(), QStringLiteral("sk-oai-key")), claude};
        c.aliases = {TestConfigs::alias(QStringLiteral("gpt"), Strategy::Fallback, {TestConfigs::target(QStringLiteral("oai"), QStringLiteral("gpt-4o-mini"))}),
                     TestConfigs::alias(QStringLiteral("sonnet"), Strategy::Fallback,
                                        {TestConfigs::target(QStringLiteral("claude"), QStringLiteral("claude-3-5-sonnet-latest"))})};
        engine = std::make_unique<EngineThread>(c);
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

void TestDialectProxy::responsesRefusedForAnthropicTargets()
{
    Setup s;
    const auto response = s.post("/v1/responses", R"({"model":"sonnet","input":"Hi"})");
    QCOMPARE(response.status, 400);
    QVERIFY(response.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().contains(QLatin1String("Responses API")));
    QCOMPARE(s.anthropic.requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestDialectProxy)
#include "tst_DialectProxy.moc"
