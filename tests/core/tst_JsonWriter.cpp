// SPDX-License-Identifier: GPL-3.0-or-later
// JsonWriter writes Qt JSON values as QJsonDocument::toJson(Compact) does, byte for byte where
// the two agree on spelling, and always as JSON that reads back to the same value. The
// translated request of every agent call goes through it.
#include "core/json/JsonWriter.h"
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>
#include <limits>

using namespace Switchyard;
using namespace Qt::Literals::StringLiterals;

class TestJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesWhatToJsonWrites_data();
    void writesWhatToJsonWrites();
    void numbersReadBackExactly_data();
    void numbersReadBackExactly();
    void goldenBodiesAreWrittenAlike();
    void keepsAppendingAfterObjects();
};

void TestJsonWriter::writesWhatToJsonWrites_data()
{
    QTest::addColumn<QJsonObject>("object");
    QTest::newRow("empty") << QJsonObject();
    QTest::newRow("scalars") << QJsonObject{{u"a"_s, 1}, {u"b"_s, true}, {u"c"_s, false}, {u"d"_s, QJsonValue()}, {u"e"_s, u"text"_s}};
    QTest::newRow("escapes") << QJsonObject{{u"s"_s, u"quote \" backslash \\ slash / newline \n tab \t cr \r"_s}};
    QTest::newRow("control characters") << QJsonObject{{u"s"_s, QString::fromUtf8("\x01\x08\x0c\x1f end")}};
    QTest::newRow("non-ASCII") << QJsonObject{{u"s"_s, QString::fromUtf8("h\u00e9llo \u4e16\u754c \xf0\x9f\x98\x80 \u2028")}};
    QTest::newRow("escaped keys") << QJsonObject{{u"k\"ey\n"_s, 1}, {QString::fromUtf8("\u00fcber"), 2}};
    QTest::newRow("nesting") << QJsonObject{{u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, QJsonArray{}}},
                                                                       QJsonObject{}, QJsonArray{1, QJsonArray{2, 3}}}}};
    QTest::newRow("integers") << QJsonObject{{u"zero"_s, 0}, {u"neg"_s, -42}, {u"big"_s, qint64(9007199254740993LL)},
                                             {u"min"_s, std::numeric_limits<qint64>::min() + 1}};
    QTest::newRow("fractions") << QJsonObject{{u"a"_s, 0.1}, {u"b"_s, -2.5}, {u"c"_s, 1e-7}, {u"d"_s, 1e300}, {u"e"_s, 1.0 / 3}};
    QTest::newRow("not finite") << QJsonObject{{u"nan"_s, std::nan("")}, {u"inf"_s, std::numeric_limits<double>::infinity()}};
}

void TestJsonWriter::writesWhatToJsonWrites()
{
    QFETCH(QJsonObject, object);
    QCOMPARE(JsonWriter::compact(object), QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void TestJsonWriter::numbersReadBackExactly_data()
{
    QTest::addColumn<double>("value");
    // Whole numbers held as doubles are written without a fraction (toJson may write 1e+15).
    for (const double v : {3.0, -7.0, 1e15, 4503599627370496.0, 9007199254740992.0, 1e20, 123456789.125, 5e-324})
        QTest::newRow(qPrintable(QString::number(v, 'g', 17))) << v;
}

void TestJsonWriter::numbersReadBackExactly()
{
    QFETCH(double, value);
    const QJsonObject o{{u"n"_s, value}};
    const QByteArray written = JsonWriter::compact(o);
    QJsonParseError error{};
    const QJsonObject back = QJsonDocument::fromJson(written, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(back.value(u"n"_s).toDouble(), value);
}

void TestJsonWriter::goldenBodiesAreWrittenAlike()
{
    // Real-format requests, answers and errors of every dialect (tests/data/dialect/).
    const QDir dir(QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/dialect"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(files.size() > 20);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        if (!doc.isObject())
            continue;
        const QByteArray written = JsonWriter::compact(doc.object());
        QVERIFY2(written == doc.toJson(QJsonDocument::Compact), qPrintable(name));
    }
}

void TestJsonWriter::keepsAppendingAfterObjects()
{
    JsonWriter w;
    w.beginArray();
    w.object(QJsonObject{{u"a"_s, 1}});
    w.value(QJsonValue(u"x"_s));
    w.raw("{\"pre\":\"made\"}");
    w.value(QJsonArray{true, QJsonValue()});
    w.endArray();
    QCOMPARE(w.bytes(), QByteArray(R"([{"a":1},"x",{"pre":"made"},[true,null]])"));
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_JsonWriter.moc"
