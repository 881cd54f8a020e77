// SPDX-License-Identifier: GPL-3.0-or-later
// JsonReader: validation without a tree, and where top-level members sit in the bytes.
#include "core/json/JsonReader.h"
#include <QJsonDocument>
#include <QTest>

using namespace Switchyard;

class TestJsonReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void check_data();
    void check();
    void members_data();
    void members();
};

void TestJsonReader::check_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("kind");

    QTest::newRow("object") << QByteArray(R"({"a":1})") << int(JsonReader::Kind::Object);
    QTest::newRow("object with spaces") << QByteArray(" \n{ \"a\" : [1, {\"b\": null}] }\n") << int(JsonReader::Kind::Object);
    QTest::newRow("empty object") << QByteArray("{}") << int(JsonReader::Kind::Object);
    QTest::newRow("array") << QByteArray("[1,2]") << int(JsonReader::Kind::Other);
    QTest::newRow("string") << QByteArray(R"("x")") << int(JsonReader::Kind::Other);
    QTest::newRow("number") << QByteArray("12.5e3") << int(JsonReader::Kind::Other);
    QTest::newRow("empty") << QByteArray() << int(JsonReader::Kind::Invalid);
    QTest::newRow("truncated") << QByteArray(R"({"model": )") << int(JsonReader::Kind::Invalid);
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << int(JsonReader::Kind::Invalid);
    QTest::newRow("trailing garbage") << QByteArray(R"({"a":1} x)") << int(JsonReader::Kind::Invalid);
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << int(JsonReader::Kind::Invalid);
    QTest::newRow("control character in a string") << QByteArray("{\"a\":\"x\ty\"}") << int(JsonReader::Kind::Invalid);
    QTest::newRow("invalid UTF-8") << QByteArray("{\"a\":\"\xff\xfe\"}") << int(JsonReader::Kind::Invalid);
    QTest::newRow("bad escape") << QByteArray(R"({"a":"\q"})") << int(JsonReader::Kind::Invalid);
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << int(JsonReader::Kind::Invalid);
}

void TestJsonReader::check()
{
    QFETCH(QByteArray, json);
    QFETCH(int, kind);
    QCOMPARE(int(JsonReader::check(json)), kind);
}

void TestJsonReader::members_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("model"); // the text of "model"'s value; empty: absent
    QTest::addColumn<QByteArray>("options"); // the text of "stream_options"'s value

    QTest::newRow("both") << QByteArray(R"({"model":"gpt","stream_options":{"include_usage":true}})") << QByteArray(R"("gpt")")
                          << QByteArray(R"({"include_usage":true})");
    QTest::newRow("spaces around values") << QByteArray("{ \"model\" :  \"gpt\" , \"stream_options\" : null }")
                                          << QByteArray(R"("gpt")") << QByteArray("null");
    QTest::newRow("number and array") << QByteArray(R"({"stream_options":[1,2],"model":42})") << QByteArray("42")
                                      << QByteArray("[1,2]");
    QTest::newRow("absent") << QByteArray(R"({"messages":[{"model":"inner"}]})") << QByteArray() << QByteArray();
    QTest::newRow("nested key is not top-level") << QByteArray(R"({"a":{"model":"x"},"model":"y"})") << QByteArray(R"("y")")
                                                 << QByteArray();
    QTest::newRow("repeated key: the last value") << QByteArray(R"({"model":"a","x":1,"model":"b"})") << QByteArray(R"("b")")
                                                  << QByteArray();
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"e"})") << QByteArray(R"("e")") << QByteArray();
    QTest::newRow("escapes in the value") << QByteArray(R"({"model":"a\"b"})") << QByteArray(R"("a\"b")") << QByteArray();
    QTest::newRow("after a long value") << QByteArray(R"({"messages":")" + QByteArray(100000, 'x') + R"(","model":"m"})")
                                        << QByteArray(R"("m")") << QByteArray();
}

void TestJsonReader::members()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, model);
    QFETCH(QByteArray, options);

    QCOMPARE(JsonReader::check(json), JsonReader::Kind::Object);
    const QList<std::optional<JsonSpan>> spans = JsonReader::members(json, {"model", "stream_options"});
    QCOMPARE(spans.size(), 2);
    QCOMPARE(spans[0] ? JsonReader::text(json, *spans[0]).toByteArray() : QByteArray(), model);
    QCOMPARE(spans[1] ? JsonReader::text(json, *spans[1]).toByteArray() : QByteArray(), options);
    // The same answers as the byte scanner the spans are edited with.
    if (const auto span = JsonSpan::find(json, "model"))
        QCOMPARE(JsonReader::text(json, *span).toByteArray(), model);
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_JsonReader.moc"
