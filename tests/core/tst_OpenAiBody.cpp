// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonSpan.h"
#include "core/record/OpenAiBody.h"
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Switchyard;

namespace {

QJsonObject objectOf(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object: %s", json.constData());
    return doc.object();
}

const QByteArray modelMessage = R"("model" is required: an alias such as "general", or "provider/model")";

// A body with fields the proxy knows nothing about, and number spellings a re-serialisation would change.
// (moc cannot read \" inside a raw string, so this one is spelled out.)
const QByteArray richTail = "\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"model\\\": {\\\"x\\\"}\"}],"
                            R"("temperature":0.70,"top_p":1e0,"seed":12345678901234567890,"n":1.0,)"
                            R"("logit_bias":{"50256":-100},"x_vendor":{"model":"not-this-one","list":[true,null]}})";

} // namespace

class TestOpenAiBody : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseErrors_data();
    void parseErrors();
    void parseReadsFields_data();
    void parseReadsFields();
    void forUpstream_data();
    void forUpstream();
    void forUpstreamMergesStreamOptions_data();
    void forUpstreamMergesStreamOptions();
    void forUpstreamEscapesModel_data();
    void forUpstreamEscapesModel();
    void usageFrom_data();
    void usageFrom();
};

void TestOpenAiBody::parseErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message"); // the whole message, or its start when it ends in "…"

    const QString invalid = QStringLiteral("the request body is not valid JSON: …");
    QTest::newRow("empty body") << QByteArray() << invalid;
    QTest::newRow("truncated object") << QByteArray(R"({"model":"general",)") << invalid;
    QTest::newRow("trailing garbage") << QByteArray(R"({"model":"general"} x)") << invalid;
    QTest::newRow("single quotes") << QByteArray("{'model':'general'}") << invalid;
    const QString notObject = QStringLiteral("the request body must be a JSON object");
    QTest::newRow("array body") << QByteArray(R"([{"model":"general"}])") << notObject;
    QTest::newRow("empty array body") << QByteArray("[]") << notObject;
    const QString model = QString::fromUtf8(modelMessage);
    QTest::newRow("missing model") << QByteArray(R"({"messages":[]})") << model;
    QTest::newRow("empty model") << QByteArray(R"({"model":""})") << model;
    QTest::newRow("null model") << QByteArray(R"({"model":null})") << model;
    QTest::newRow("number model") << QByteArray(R"({"model":4})") << model;
    QTest::newRow("object model") << QByteArray(R"({"model":{"name":"general"}})") << model;
    QTest::newRow("model only nested") << QByteArray(R"({"meta":{"model":"general"}})") << model;
    const QString stream = QStringLiteral("\"stream\" must be true or false");
    QTest::newRow("string stream") << QByteArray(R"({"model":"general","stream":"true"})") << stream;
    QTest::newRow("number stream") << QByteArray(R"({"model":"general","stream":1})") << stream;
    QTest::newRow("object stream") << QByteArray(R"({"model":"general","stream":{}})") << stream;
}

void TestOpenAiBody::parseErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    const Result<OpenAiBody> parsed = OpenAiBody::parse(body);
    QVERIFY(!parsed.ok());
    if (message.endsWith(QChar(0x2026))) {
        const QString start = message.chopped(1);
        QVERIFY2(parsed.error().message.startsWith(start), qPrintable(parsed.error().message));
        // The parser's own reason and where it stopped follow.
        QVERIFY2(parsed.error().message.size() > start.size() + 3, qPrintable(parsed.error().message));
        QVERIFY2(parsed.error().message.contains(QLatin1String(" at offset ")), qPrintable(parsed.error().message));
    } else {
        QCOMPARE(parsed.error().message, message);
    }
}

void TestOpenAiBody::parseReadsFields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("clientWantsUsage");

    QTest::newRow("alias, no stream") << QByteArray(R"({"model":"general","messages":[]})")
                                      << QStringLiteral("general") << false << false;
    QTest::newRow("provider/model with slashes")
        << QByteArray(R"({"model":"openrouter/meta-llama/llama-3.1-8b-instruct"})")
        << QStringLiteral("openrouter/meta-llama/llama-3.1-8b-instruct") << false << false;
    QTest::newRow("stream true") << QByteArray(R"({"stream":true,"model":"cheap"})") << QStringLiteral("cheap")
                                 << true << false;
    QTest::newRow("stream false") << QByteArray(R"({"model":"cheap","stream":false})") << QStringLiteral("cheap")
                                  << false << false;
    QTest::newRow("stream null") << QByteArray(R"({"model":"cheap","stream":null})") << QStringLiteral("cheap")
                                 << false << false;
    QTest::newRow("client asks for usage")
        << QByteArray(R"({"model":"m","stream":true,"stream_options":{"include_usage":true}})")
        << QStringLiteral("m") << true << true;
    QTest::newRow("client declines usage")
        << QByteArray(R"({"model":"m","stream":true,"stream_options":{"include_usage":false}})")
        << QStringLiteral("m") << true << false;
    QTest::newRow("stream_options without include_usage")
        << QByteArray(R"({"model":"m","stream":true,"stream_options":{}})") << QStringLiteral("m") << true << false;
    QTest::newRow("nested include_usage is not the client's")
        << QByteArray(R"({"model":"m","stream":true,"metadata":{"include_usage":true}})") << QStringLiteral("m")
        << true << false;
    QTest::newRow("escaped and unicode model") << QByteArray(R"({"model":"caf\u00e9 \"x\""})")
                                               << QStringLiteral(u"café \"x\"") << false << false;
    QTest::newRow("whitespace") << QByteArray(" {\n \"model\" : \"m\" ,\n \"stream\" : true\n}\n ")
                                << QStringLiteral("m") << true << false;
}

void TestOpenAiBody::parseReadsFields()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(bool, stream);
    QFETCH(bool, clientWantsUsage);

    const Result<OpenAiBody> parsed = OpenAiBody::parse(body);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed.value().model(), model);
    QCOMPARE(parsed.value().stream(), stream);
    QCOMPARE(parsed.value().clientWantsUsage(), clientWantsUsage);
    QCOMPARE(parsed.value().raw(), body);
}

void TestOpenAiBody::forUpstream_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("upstreamModel");
    QTest::addColumn<QByteArray>("expected");

    const QString mini = QStringLiteral("gpt-4o-mini");
    QTest::newRow("non-stream: only the model changes")
        << R"({"model":"general",)" + richTail << mini << R"({"model":"gpt-4o-mini",)" + richTail;
    QTest::newRow("model last, after a nested model")
        << QByteArray(R"({"x_vendor":{"model":"general"},"n":1.0,"model":"general"})") << mini
        << QByteArray(R"({"x_vendor":{"model":"general"},"n":1.0,"model":"gpt-4o-mini"})");
    QTest::newRow("provider/model direct: the model part goes upstream")
        << QByteArray(R"({"model":"openrouter/meta-llama/llama-3.1-8b-instruct","max_tokens":16})")
        << QStringLiteral("meta-llama/llama-3.1-8b-instruct")
        << QByteArray(R"({"model":"meta-llama/llama-3.1-8b-instruct","max_tokens":16})");
    QTest::newRow("pretty-printed body keeps its layout")
        << QByteArray("{\n  \"model\" : \"general\",\n  \"seed\" : 1e3\n}\n") << mini
        << QByteArray("{\n  \"model\" : \"gpt-4o-mini\",\n  \"seed\" : 1e3\n}\n");
    QTest::newRow("escaped model key") << QByteArray(R"({"mo\u0064el":"general","n":2.50})") << mini
                                       << QByteArray(R"({"mo\u0064el":"gpt-4o-mini","n":2.50})");
    QTest::newRow("stream false: no stream_options")
        << QByteArray(R"({"model":"general","stream":false,"n":1.0})") << mini
        << QByteArray(R"({"model":"gpt-4o-mini","stream":false,"n":1.0})");
    QTest::newRow("stream null: no stream_options") << QByteArray(R"({"model":"general","stream":null})") << mini
                                                    << QByteArray(R"({"model":"gpt-4o-mini","stream":null})");
    QTest::newRow("non-stream keeps the client's stream_options")
        << QByteArray(R"({"model":"general","stream_options":{"include_usage":false}})") << mini
        << QByteArray(R"({"model":"gpt-4o-mini","stream_options":{"include_usage":false}})");
    QTest::newRow("stream: usage requested")
        << R"({"model":"general","stream":true,)" + richTail << mini
        << R"({"stream_options":{"include_usage":true},"model":"gpt-4o-mini","stream":true,)" + richTail;
    QTest::newRow("stream: client already asked for usage")
        << QByteArray(R"({"model":"general","stream":true,"stream_options":{"include_usage":true},"n":1.0})")
        << mini << QByteArray(R"({"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"n":1.0})");
    QTest::newRow("stream: stream_options null is replaced, not duplicated")
        << QByteArray(R"({"model":"general","stream":true,"stream_options":null,"n":1.0})") << mini
        << QByteArray(R"({"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"n":1.0})");
    QTest::newRow("stream: a non-object stream_options is left for the upstream to refuse")
        << QByteArray(R"({"model":"general","stream":true,"stream_options":"yes"})") << mini
        << QByteArray(R"({"model":"gpt-4o-mini","stream":true,"stream_options":"yes"})");
}

void TestOpenAiBody::forUpstream()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, upstreamModel);
    QFETCH(QByteArray, expected);

    const Result<OpenAiBody> parsed = OpenAiBody::parse(body);
    QVERIFY(parsed.ok());
    const QByteArray out = parsed.value().forUpstream(upstreamModel);
    QCOMPARE(out, expected);
    QVERIFY(OpenAiBody::parse(out).ok());
    QCOMPARE(OpenAiBody::parse(out).value().model(), upstreamModel);
    QCOMPARE(parsed.value().raw(), body); // the original stays for the next target
}

void TestOpenAiBody::forUpstreamMergesStreamOptions_data()
{
    QTest::addColumn<QByteArray>("before"); // the body up to stream_options' value
    QTest::addColumn<QByteArray>("options");
    QTest::addColumn<QByteArray>("after");  // the body after stream_options' value

    QTest::newRow("include_usage false") << QByteArray(R"({"model":"general","stream":true,"stream_options":)")
                                         << QByteArray(R"({"include_usage":false})") << QByteArray(R"(,"n":1.0})");
    QTest::newRow("other members kept")
        << QByteArray(R"({"stream":true,"model":"general","stream_options":)")
        << QByteArray(R"({"x_vendor":{"a":[1,"b"]},"flag":true})") << QByteArray(R"(,"seed":12345678901234567890})");
    QTest::newRow("empty object") << QByteArray("{\"model\":\"general\",\n\"stream_options\" : ")
                                  << QByteArray("{ }") << QByteArray(" ,\n\"stream\":true}");
}

void TestOpenAiBody::forUpstreamMergesStreamOptions()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, options);
    QFETCH(QByteArray, after);

    const Result<OpenAiBody> parsed = OpenAiBody::parse(before + options + after);
    QVERIFY(parsed.ok());
    QVERIFY(parsed.value().stream());
    QVERIFY(!parsed.value().clientWantsUsage());
    const QByteArray out = parsed.value().forUpstream(QStringLiteral("gpt-4o-mini"));

    const QByteArray expectedBefore = QByteArray(before).replace(R"("model":"general")", R"("model":"gpt-4o-mini")");
    QVERIFY2(out.startsWith(expectedBefore), out.constData());
    QVERIFY2(out.endsWith(after), out.constData());
    QVERIFY(out.size() > expectedBefore.size() + after.size());
    const QByteArray merged = out.mid(expectedBefore.size(), out.size() - expectedBefore.size() - after.size());
    QJsonObject expected = objectOf(options);
    expected.insert(QStringLiteral("include_usage"), true);
    QCOMPARE(objectOf(merged), expected);
    QCOMPARE(out.count("stream_options"), 1);
}

void TestOpenAiBody::forUpstreamEscapesModel_data()
{
    QTest::addColumn<QString>("upstreamModel");
    QTest::addColumn<QByteArray>("escaped"); // the JSON string as it must appear; empty: any valid escaping

    QTest::newRow("quotes") << QStringLiteral("my \"quoted\" model") << QByteArray(R"("my \"quoted\" model")");
    QTest::newRow("backslash") << QStringLiteral("dir\\model") << QByteArray(R"("dir\\model")");
    QTest::newRow("control characters") << QStringLiteral("a\nb\tc") << QByteArray(R"("a\nb\tc")");
    QTest::newRow("unicode") << QStringLiteral(u"mödel-日本-😀") << QByteArray();
    QTest::newRow("slash and colon") << QStringLiteral("meta-llama/llama-3.1:8b") << QByteArray();
}

void TestOpenAiBody::forUpstreamEscapesModel()
{
    QFETCH(QString, upstreamModel);
    QFETCH(QByteArray, escaped);

    const QByteArray head = R"({"model":)";
    const QByteArray tail = R"(,"temperature":0.70,"seed":12345678901234567890})";
    const Result<OpenAiBody> parsed = OpenAiBody::parse(head + R"("general")" + tail);
    QVERIFY(parsed.ok());
    const QByteArray out = parsed.value().forUpstream(upstreamModel);
    QVERIFY2(out.startsWith(head) && out.endsWith(tail), out.constData());
    const QByteArray value = out.mid(head.size(), out.size() - head.size() - tail.size());
    if (!escaped.isEmpty())
        QCOMPARE(value, escaped);
    QCOMPARE(objectOf(out).value(QStringLiteral("model")).toString(), upstreamModel);
}

void TestOpenAiBody::usageFrom_data()
{
    QTest::addColumn<QByteArray>("usage");
    QTest::addColumn<qint64>("prompt");     // -1: absent
    QTest::addColumn<qint64>("completion"); // -1: absent
    QTest::addColumn<qint64>("cached");     // -1: absent
    QTest::addColumn<bool>("empty");

    QTest::newRow("without details") << QByteArray(R"({"prompt_tokens":9,"completion_tokens":12,"total_tokens":21})")
                                     << qint64(9) << qint64(12) << qint64(-1) << false;
    QTest::newRow("with cached tokens")
        << QByteArray(R"({"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,)"
                      R"("prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},)"
                      R"("completion_tokens_details":{"reasoning_tokens":0}})")
        << qint64(2006) << qint64(300) << qint64(1920) << false;
    QTest::newRow("zero cached tokens")
        << QByteArray(R"({"prompt_tokens":5,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":0}})")
        << qint64(5) << qint64(1) << qint64(0) << false;
    QTest::newRow("details without cached tokens")
        << QByteArray(R"({"prompt_tokens":5,"completion_tokens":1,"prompt_tokens_details":{}})") << qint64(5)
        << qint64(1) << qint64(-1) << false;
    QTest::newRow("embeddings: prompt only") << QByteArray(R"({"prompt_tokens":8,"total_tokens":8})") << qint64(8)
                                             << qint64(-1) << qint64(-1) << false;
    QTest::newRow("large counts") << QByteArray(R"({"prompt_tokens":3000000000,"completion_tokens":0})")
                                  << qint64(3000000000) << qint64(0) << qint64(-1) << false;
    QTest::newRow("empty usage") << QByteArray("{}") << qint64(-1) << qint64(-1) << qint64(-1) << true;
}

void TestOpenAiBody::usageFrom()
{
    QFETCH(QByteArray, usage);
    QFETCH(qint64, prompt);
    QFETCH(qint64, completion);
    QFETCH(qint64, cached);
    QFETCH(bool, empty);

    const auto optional = [](qint64 v) { return v < 0 ? std::nullopt : std::optional<qint64>(v); };
    const Usage u = OpenAiBody::usageFrom(objectOf(usage));
    QCOMPARE(u.promptTokens, optional(prompt));
    QCOMPARE(u.completionTokens, optional(completion));
    QCOMPARE(u.cachedPromptTokens, optional(cached));
    QCOMPARE(u.isEmpty(), empty);
}

QTEST_GUILESS_MAIN(TestOpenAiBody)
#include "tst_OpenAiBody.moc"
