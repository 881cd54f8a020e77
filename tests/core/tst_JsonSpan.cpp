// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonSpan.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Switchyard;

namespace {

// The JSON value that `text` (one JSON value) stands for; undefined when it is not one.
QJsonValue valueOf(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

QJsonObject objectOf(const QByteArray &json, bool *ok)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

// A body that exercises every kind of token around the member being edited.
const QByteArray body = "{\"zeta\":1.0,\"model\":\"gpt-4o\",\"exp\":1e3,\"big\":12345678901234567890,"
                        "\"neg\":-0.0,\"t\":true,\"f\":false,\"n\":null,"
                        "\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"model\\\": {x}\"}],"
                        "\"alpha\":{\"model\":\"nested\"}}";

} // namespace

class TestJsonSpan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void find_data();
    void find();
    void replaced_data();
    void replaced();
    void withMember_data();
    void withMember();
    void withMemberLeavesNonObjectsAlone_data();
    void withMemberLeavesNonObjectsAlone();
};

void TestJsonSpan::find_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QByteArray>("value"); // the span's bytes

    QTest::newRow("string value") << QByteArray(R"({"model":"gpt-4o-mini"})") << QByteArray("model") << true
                                  << QByteArray(R"("gpt-4o-mini")");
    QTest::newRow("after a string with escaped quotes")
        << QByteArray(R"({"prompt":"he said \"model\":\"x\", ok","model":"m"})") << QByteArray("model") << true
        << QByteArray(R"("m")");
    QTest::newRow("after a string ending in a backslash")
        << QByteArray(R"({"path":"C:\\","model":"m"})") << QByteArray("model") << true << QByteArray(R"("m")");
    QTest::newRow("value with escaped quotes")
        << QByteArray(R"({"model":"a \"quoted\" \\ name","x":1})") << QByteArray("model") << true
        << QByteArray(R"("a \"quoted\" \\ name")");
    QTest::newRow("same key nested in an object does not match")
        << QByteArray(R"({"meta":{"model":"inner","deep":{"model":"deeper"}},"model":"outer"})")
        << QByteArray("model") << true << QByteArray(R"("outer")");
    QTest::newRow("same key nested in an array does not match")
        << QByteArray(R"({"messages":[{"model":"inner"},["model"],"model"],"model":"outer"})") << QByteArray("model")
        << true << QByteArray(R"("outer")");
    QTest::newRow("only nested: absent")
        << QByteArray(R"({"meta":{"model":"inner"},"list":[{"model":"x"}]})") << QByteArray("model") << false
        << QByteArray();
    QTest::newRow("brackets inside strings")
        << QByteArray(R"({"a":{"s":"}]\"{["},"b":["]","}"],"model":"m"})") << QByteArray("model") << true
        << QByteArray(R"("m")");
    QTest::newRow("key as a string value does not match")
        << QByteArray(R"({"a":"model","b":"x"})") << QByteArray("model") << false << QByteArray();
    QTest::newRow("object value") << QByteArray(R"({"stream_options":{"include_usage":false,"x":[1,{}]},"n":1})")
                                  << QByteArray("stream_options") << true
                                  << QByteArray(R"({"include_usage":false,"x":[1,{}]})");
    QTest::newRow("array value") << QByteArray(R"({"stop":["\n",  "]"] ,"n":1})") << QByteArray("stop") << true
                                 << QByteArray(R"(["\n",  "]"])");
    QTest::newRow("number") << body << QByteArray("zeta") << true << QByteArray("1.0");
    QTest::newRow("exponent") << body << QByteArray("exp") << true << QByteArray("1e3");
    QTest::newRow("big integer") << body << QByteArray("big") << true << QByteArray("12345678901234567890");
    QTest::newRow("negative zero") << body << QByteArray("neg") << true << QByteArray("-0.0");
    QTest::newRow("true") << body << QByteArray("t") << true << QByteArray("true");
    QTest::newRow("false") << body << QByteArray("f") << true << QByteArray("false");
    QTest::newRow("null") << body << QByteArray("n") << true << QByteArray("null");
    QTest::newRow("last member") << body << QByteArray("alpha") << true << QByteArray(R"({"model":"nested"})");
    QTest::newRow("model among all kinds") << body << QByteArray("model") << true << QByteArray(R"("gpt-4o")");
    QTest::newRow("number at the end") << QByteArray(R"({"a":1,"max_tokens":256})") << QByteArray("max_tokens")
                                       << true << QByteArray("256");
    QTest::newRow("whitespace everywhere")
        << QByteArray(" \r\n{ \t\"a\" :\n[ 1 , 2 ] ,\r\n  \"model\"\t:\r\n \"m\" \n,\"stream\" : true\n}\n ")
        << QByteArray("model") << true << QByteArray(R"("m")");
    QTest::newRow("whitespace before a bare value")
        << QByteArray("{ \"stream\" :\n true \n}") << QByteArray("stream") << true << QByteArray("true");
    QTest::newRow("escaped key name") << QByteArray(R"({"x":1,"mo\u0064el":"m"})") << QByteArray("model") << true
                                      << QByteArray(R"("m")");
    QTest::newRow("escaped quote in key name")
        << QByteArray(R"({"a\"b":1,"model":2})") << QByteArray("a\"b") << true << QByteArray("1");
    QTest::newRow("escaped backslash is another key")
        << QByteArray(R"({"mo\\del":1})") << QByteArray("model") << false << QByteArray();
    QTest::newRow("key prefix is another key") << QByteArray(R"({"models":1,"mod":2})") << QByteArray("model")
                                               << false << QByteArray();
    QTest::newRow("unicode key") << QByteArray("{\"a\":1,\"mod\xc3\xa8le\":\"x\"}") << QByteArray("mod\xc3\xa8le")
                                 << true << QByteArray(R"("x")");
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("model") << false << QByteArray();
    QTest::newRow("object with spaces") << QByteArray("{ }") << QByteArray("model") << false << QByteArray();
    QTest::newRow("array") << QByteArray(R"([{"model":"m"}])") << QByteArray("model") << false << QByteArray();
    QTest::newRow("string") << QByteArray(R"("model")") << QByteArray("model") << false << QByteArray();
    QTest::newRow("number document") << QByteArray("42") << QByteArray("model") << false << QByteArray();
    QTest::newRow("null document") << QByteArray("null") << QByteArray("model") << false << QByteArray();
    QTest::newRow("empty input") << QByteArray() << QByteArray("model") << false << QByteArray();
}

void TestJsonSpan::find()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(bool, found);
    QFETCH(QByteArray, value);

    const std::optional<JsonSpan> span = JsonSpan::find(json, key);
    QCOMPARE(span.has_value(), found);
    if (!found)
        return;
    QVERIFY(span->offset >= 0 && span->length > 0 && span->offset + span->length <= json.size());
    QCOMPARE(json.mid(span->offset, span->length), value);
    // The span is exactly the value a JSON parser sees for that key.
    bool ok = false;
    const QJsonObject object = objectOf(json, &ok);
    QVERIFY(ok);
    QCOMPARE(valueOf(value), object.value(QString::fromUtf8(key)));
}

void TestJsonSpan::replaced_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");

    QByteArray modelReplaced = body;
    modelReplaced.replace(R"("model":"gpt-4o")", R"("model":"claude-3-5-haiku-latest")");
    QTest::newRow("model in a body of every token kind")
        << body << QByteArray("model") << QByteArray(R"("claude-3-5-haiku-latest")") << modelReplaced;
    QByteArray firstReplaced = body;
    firstReplaced.replace(R"("zeta":1.0)", R"("zeta":2)");
    QTest::newRow("first member") << body << QByteArray("zeta") << QByteArray("2") << firstReplaced;
    QByteArray lastReplaced = body;
    lastReplaced.replace(R"("alpha":{"model":"nested"})", R"("alpha":[])");
    QTest::newRow("last member, object to array") << body << QByteArray("alpha") << QByteArray("[]") << lastReplaced;
    QTest::newRow("shorter value")
        << QByteArray(R"({"model":"a-very-long-model-name","stream":true})") << QByteArray("model")
        << QByteArray(R"("x")") << QByteArray(R"({"model":"x","stream":true})");
    QTest::newRow("longer object value, spaces kept")
        << QByteArray("{ \"stream_options\" : {\"a\":1} ,\n \"n\": 1.50 }") << QByteArray("stream_options")
        << QByteArray(R"({"a":1,"include_usage":true})")
        << QByteArray("{ \"stream_options\" : {\"a\":1,\"include_usage\":true} ,\n \"n\": 1.50 }");
    QTest::newRow("escaped key name")
        << QByteArray(R"({"mo\u0064el":"m","z":1e-7})") << QByteArray("model") << QByteArray(R"("n")")
        << QByteArray(R"({"mo\u0064el":"n","z":1e-7})");
}

void TestJsonSpan::replaced()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);

    const std::optional<JsonSpan> span = JsonSpan::find(json, key);
    QVERIFY(span);
    const QByteArray out = JsonSpan::replaced(json, *span, value);
    QCOMPARE(out, expected);
    // Still valid JSON, with only that member changed.
    bool ok = false;
    QJsonObject before = objectOf(json, &ok);
    QVERIFY(ok);
    const QJsonObject after = objectOf(out, &ok);
    QVERIFY(ok);
    QCOMPARE(after.value(QString::fromUtf8(key)), valueOf(value));
    before.insert(QString::fromUtf8(key), valueOf(value));
    QCOMPARE(after, before);
}

void TestJsonSpan::withMember_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray member = R"("stream_options":{"include_usage":true})";
    QTest::newRow("empty object") << QByteArray("{}") << "{" + member + "}";
    QTest::newRow("empty object with a space") << QByteArray("{ }") << "{" + member + " }";
    QTest::newRow("empty object with newlines") << QByteArray(" {\n}\n") << " {" + member + "\n}\n";
    QTest::newRow("one member") << QByteArray(R"({"model":"m"})") << "{" + member + R"(,"model":"m"})";
    QTest::newRow("every token kind kept") << body << "{" + member + "," + body.mid(1);
    QTest::newRow("whitespace kept")
        << QByteArray("\n{\n  \"model\" : \"m\",\n  \"n\" : 1.0\n}\n")
        << "\n{" + member + ",\n  \"model\" : \"m\",\n  \"n\" : 1.0\n}\n";
    QTest::newRow("first value is an object")
        << QByteArray(R"({"meta":{"a":1},"model":"m"})") << "{" + member + R"(,"meta":{"a":1},"model":"m"})";
}

void TestJsonSpan::withMember()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);

    const QByteArray out = JsonSpan::withMember(json, "stream_options", R"({"include_usage":true})");
    QCOMPARE(out, expected);
    bool ok = false;
    QJsonObject before = objectOf(json, &ok);
    QVERIFY(ok);
    const QJsonObject after = objectOf(out, &ok);
    QVERIFY(ok);
    before.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    QCOMPARE(after, before);
    // The new member is first, so find() sees it.
    const std::optional<JsonSpan> span = JsonSpan::find(out, "stream_options");
    QVERIFY(span);
    QCOMPARE(out.mid(span->offset, span->length), QByteArray(R"({"include_usage":true})"));
}

void TestJsonSpan::withMemberLeavesNonObjectsAlone_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("array of objects") << QByteArray(R"([{"a":1}])");
    QTest::newRow("string with a brace") << QByteArray(R"("{")");
    QTest::newRow("number") << QByteArray("1");
    QTest::newRow("empty input") << QByteArray();
}

void TestJsonSpan::withMemberLeavesNonObjectsAlone()
{
    QFETCH(QByteArray, json);
    QCOMPARE(JsonSpan::withMember(json, "k", "true"), json);
}

QTEST_GUILESS_MAIN(TestJsonSpan)
#include "tst_JsonSpan.moc"
