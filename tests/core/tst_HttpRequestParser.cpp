// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/HttpRequestParser.h"
#include <QRandomGenerator>
#include <QTest>

using namespace Switchyard;
using Limits = HttpRequestParser::Limits;
using Fields = QList<HttpHeaders::Field>;

namespace {

// One request as the parser delivered it, and the stream offset just after it.
struct Parsed
{
    QByteArray method;
    QByteArray path;
    QByteArray query;
    Fields headers;
    QByteArray body;
    qsizetype end = 0;
    int httpMinor = 1;
    bool keepAlive = true;
};

// Everything the parser reported for one input, however the input was split.
struct Outcome
{
    QList<Parsed> requests;
    int errorStatus = 0;
    int continues = 0;
    qsizetype failedAfter = -1; // bytes handed over when the parser first reported Failed
};

// A readable dump of everything except failedAfter (which depends on the split by design).
QByteArray describe(const Outcome &o)
{
    QByteArray out;
    for (const Parsed &r : o.requests) {
        out += r.method + ' ' + r.path + " query=" + r.query + " HTTP/1." + QByteArray::number(r.httpMinor)
               + (r.keepAlive ? " keep-alive" : " close") + " end=" + QByteArray::number(r.end) + '\n';
        for (const auto &[name, value] : r.headers)
            out += "  " + name + ": " + value + '\n';
        out += "  body(" + QByteArray::number(r.body.size()) + ")=" + r.body + '\n';
    }
    out += "error=" + QByteArray::number(o.errorStatus) + " continues=" + QByteArray::number(o.continues);
    return out;
}

// Feeds `input` in pieces of `sizes` the way HttpConnection does: bytes the parser did not
// consume stay buffered and are fed again after each complete request.
void feedAll(const QByteArray &input, const Limits &limits, const QList<qsizetype> &sizes, Outcome &out)
{
    HttpRequestParser parser(limits);
    QByteArray buffer;
    qsizetype delivered = 0;
    qsizetype parsedUpTo = 0;
    for (const qsizetype size : sizes) {
        buffer += input.mid(delivered, size);
        delivered += size;
        while (!buffer.isEmpty()) {
            const auto result = parser.feed(buffer.constData(), buffer.size());
            if (parser.takeContinueRequest())
                ++out.continues;
            if (result.status == HttpRequestParser::Status::Failed) {
                out.errorStatus = parser.errorStatus();
                out.failedAfter = delivered;
                QVERIFY(!parser.errorMessage().isEmpty());
                QCOMPARE(parser.feed("GET", 3).status, HttpRequestParser::Status::Failed); // stays failed
                return;
            }
            QVERIFY(result.consumed >= 0 && result.consumed <= buffer.size());
            buffer.remove(0, result.consumed);
            parsedUpTo += result.consumed;
            if (result.status == HttpRequestParser::Status::NeedMore) {
                QVERIFY(buffer.isEmpty());
                break;
            }
            QVERIFY(result.consumed > 0);
            QVERIFY(!parser.inRequest());
            const HttpRequest r = parser.takeRequest();
            out.requests.append(Parsed{r.method, r.path, r.query, r.headers.fields(), r.body, parsedUpTo, r.httpMinor,
                                       r.keepAlive});
        }
    }
}

QList<qsizetype> oneByteAtATime(qsizetype total)
{
    return QList<qsizetype>(total, 1);
}

QList<qsizetype> randomSplit(qsizetype total, quint32 seed)
{
    QRandomGenerator rng(seed);
    QList<qsizetype> sizes;
    for (qsizetype done = 0; done < total;) {
        const qsizetype size = qMin<qsizetype>(rng.bounded(1, 40), total - done);
        sizes.append(size);
        done += size;
    }
    return sizes;
}

Limits limits(qint64 maxBodyBytes, int maxHeaderBytes, int maxHeaderCount)
{
    Limits l;
    l.maxBodyBytes = maxBodyBytes;
    l.maxHeaderBytes = maxHeaderBytes;
    l.maxHeaderCount = maxHeaderCount;
    return l;
}

const Fields host{{"Host", "h"}};

} // namespace

Q_DECLARE_METATYPE(Limits)
Q_DECLARE_METATYPE(Outcome)

class TestHttpRequestParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsGiveSameResult_data();
    void splitsGiveSameResult();
    void pipelinedRequestsReportConsumedBytes();
    void contentLengthOverLimitFailsAtHead();
    void continueIsReportedOnceAfterHead();
    void headerLookupIgnoresCase();
};

void TestHttpRequestParser::splitsGiveSameResult_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Limits>("limits");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<qsizetype>("failBy"); // fed a byte at a time, Failed comes at the latest here (-1: unchecked)
    const Limits standard;

    const QByteArray get = "GET /v1/models?limit=2&order=asc HTTP/1.1\r\nHost: localhost:4141\r\nAccept: */*\r\n\r\n";
    QTest::newRow("GET with query")
        << get << standard
        << Outcome{{Parsed{"GET", "/v1/models", "limit=2&order=asc", {{"Host", "localhost:4141"}, {"Accept", "*/*"}}, {},
                           get.size()}}}
        << qsizetype(-1);

    const QByteArray json = R"({"model":"fast","stream":true})";
    const QByteArray post = "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                            "Content-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json;
    QTest::newRow("POST with Content-Length body")
        << post << standard
        << Outcome{{Parsed{"POST", "/v1/chat/completions", {},
                           {{"Host", "h"}, {"Content-Type", "application/json"},
                            {"Content-Length", QByteArray::number(json.size())}},
                           json, post.size()}}}
        << qsizetype(-1);

    const QByteArray chunked = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5;name=value\r\nhello\r\n6;flag\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: def\r\n\r\n";
    QTest::newRow("chunked body with extensions and trailers")
        << chunked << standard
        << Outcome{{Parsed{"POST", "/upload", {}, {{"Host", "h"}, {"Transfer-Encoding", "chunked"}}, "hello world",
                           chunked.size()}}}
        << qsizetype(-1);

    const QByteArray first = "GET /first HTTP/1.1\r\nHost: h\r\n\r\n";
    const QByteArray second = "POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray third = "GET /third HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    const Parsed firstParsed{"GET", "/first", {}, host, {}, first.size()};
    const Parsed secondParsed{"POST", "/second", {}, {{"Host", "h"}, {"Content-Length", "3"}}, "abc",
                              first.size() + second.size()};
    QTest::newRow("extra CRLF between pipelined requests")
        << first + "\r\n" + second << standard
        << Outcome{{firstParsed, Parsed{"POST", "/second", {}, {{"Host", "h"}, {"Content-Length", "3"}}, "abc",
                                        first.size() + 2 + second.size()}}}
        << qsizetype(-1);
    QTest::newRow("two pipelined requests") << first + second << standard << Outcome{{firstParsed, secondParsed}}
                                            << qsizetype(-1);
    QTest::newRow("three pipelined requests")
        << first + second + third << standard
        << Outcome{{firstParsed, secondParsed,
                    Parsed{"GET", "/third", {}, {{"Host", "h"}, {"Connection", "close"}}, {},
                           first.size() + second.size() + third.size(), 1, false}}}
        << qsizetype(-1);
    QTest::newRow("request then garbage")
        << first + QByteArray("\x16\x03\x01\x02\x00", 5) << standard << Outcome{{firstParsed}, 400} << qsizetype(-1);

    const QByteArray http10 = "GET /old HTTP/1.0\r\n\r\n";
    QTest::newRow("HTTP/1.0 closes by default")
        << http10 << standard << Outcome{{Parsed{"GET", "/old", {}, {}, {}, http10.size(), 0, false}}} << qsizetype(-1);
    const QByteArray http10KeepAlive = "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    QTest::newRow("HTTP/1.0 with Connection: keep-alive")
        << http10KeepAlive << standard
        << Outcome{{Parsed{"GET", "/old", {}, {{"Connection", "keep-alive"}}, {}, http10KeepAlive.size(), 0, true}}}
        << qsizetype(-1);
    const QByteArray http11 = "GET /new HTTP/1.1\r\nHost: h\r\n\r\n";
    QTest::newRow("HTTP/1.1 keeps alive by default")
        << http11 << standard << Outcome{{Parsed{"GET", "/new", {}, host, {}, http11.size()}}} << qsizetype(-1);
    const QByteArray close = "GET /new HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    QTest::newRow("Connection: close")
        << close << standard
        << Outcome{{Parsed{"GET", "/new", {}, {{"Host", "h"}, {"Connection", "close"}}, {}, close.size(), 1, false}}}
        << qsizetype(-1);

    const QByteArray repeated = "GET / HTTP/1.1\r\nAccept: a\r\nX-Tag: one\r\naccept: b\r\nX-Empty:\r\nX-Tag: two\r\n\r\n";
    QTest::newRow("repeated and empty headers kept in order")
        << repeated << standard
        << Outcome{{Parsed{"GET", "/", {},
                           {{"Accept", "a"}, {"X-Tag", "one"}, {"accept", "b"}, {"X-Empty", ""}, {"X-Tag", "two"}}, {},
                           repeated.size()}}}
        << qsizetype(-1);

    const QByteArray fourFields = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
    QTest::newRow("header count at the limit")
        << fourFields << limits(1024, 1024, 4)
        << Outcome{{Parsed{"GET", "/", {}, {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}}, {}, fourFields.size()}}}
        << qsizetype(-1);
    const QByteArray sixFields = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n";
    QTest::newRow("too many header fields -> 431")
        << sixFields << limits(1024, 1024, 4) << Outcome{{}, 431} << sixFields.indexOf("E:") + 1;

    const QByteArray bigHead = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(1000, 'a') + "\r\n\r\n";
    QTest::newRow("head over maxHeaderBytes -> 431")
        << bigHead << limits(1024, 256, 100) << Outcome{{}, 431} << qsizetype(256 + 64);

    const QByteArray bigTrailer = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "1\r\na\r\n0\r\nX-Trailer: " + QByteArray(300, 't') + "\r\n\r\n";
    QTest::newRow("trailers over maxHeaderBytes -> 431")
        << bigTrailer << limits(1024, 256, 100) << Outcome{{}, 431} << bigTrailer.indexOf("X-Trailer") + 256;

    const QByteArray sixteen = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 16\r\n\r\n0123456789abcdef";
    QTest::newRow("Content-Length at the limit")
        << sixteen << limits(16, 1024, 100)
        << Outcome{{Parsed{"POST", "/up", {}, {{"Host", "h"}, {"Content-Length", "16"}}, "0123456789abcdef",
                           sixteen.size()}}}
        << qsizetype(-1);
    const QByteArray tooLongHead = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n";
    QTest::newRow("Content-Length over maxBodyBytes -> 413")
        << tooLongHead + QByteArray(100, 'x') << limits(1024, 1024, 100) << Outcome{{}, 413} << tooLongHead.size();
    const QByteArray growing = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "a\r\n0123456789\r\na\r\nABCDEFGHIJ\r\n0\r\n\r\n";
    QTest::newRow("chunked body over maxBodyBytes -> 413")
        << growing << limits(16, 1024, 100) << Outcome{{}, 413} << growing.indexOf('G') + 1;

    QTest::newRow("Content-Length and Transfer-Encoding -> 400")
        << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << standard << Outcome{{}, 400} << qsizetype(-1);
    QTest::newRow("Transfer-Encoding and Content-Length -> 400")
        << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n")
        << standard << Outcome{{}, 400} << qsizetype(-1);
    QTest::newRow("Transfer-Encoding not ending in chunked -> 400")
        << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\nabc") << standard << Outcome{{}, 400}
        << qsizetype(-1);
    const QByteArray lines = "line 1\nline 2\n";
    const QByteArray lfBody = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 14\r\n\r\n" + lines;
    QTest::newRow("LF in a body is data")
        << lfBody + lfBody << standard
        << Outcome{{Parsed{"POST", "/up", {}, {{"Host", "h"}, {"Content-Length", "14"}}, lines, lfBody.size()},
                    Parsed{"POST", "/up", {}, {{"Host", "h"}, {"Content-Length", "14"}}, lines, 2 * lfBody.size()}}}
        << qsizetype(-1);
    QTest::newRow("bare LF line endings -> 400")
        << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << standard << Outcome{{}, 400} << qsizetype(-1);
    QTest::newRow("bare LF after the request line -> 400")
        << QByteArray("GET / HTTP/1.1\nHost: h\r\n\r\n") << standard << Outcome{{}, 400} << qsizetype(-1);
    QTest::newRow("bare LF as the empty line -> 400")
        << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\n") << standard << Outcome{{}, 400} << qsizetype(-1);
    QTest::newRow("garbage -> 400") << QByteArray("hello there\r\n\r\n") << standard << Outcome{{}, 400}
                                    << qsizetype(-1);
    QTest::newRow("TLS handshake -> 400") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << standard
                                          << Outcome{{}, 400} << qsizetype(-1);

    const QByteArray upgrade = "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
    QTest::newRow("Upgrade -> 501") << upgrade << standard << Outcome{{}, 501} << upgrade.size();
    const QByteArray connect = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n";
    QTest::newRow("CONNECT -> 501") << connect << standard << Outcome{{}, 501} << connect.size();

    const QByteArray expect = "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello";
    QTest::newRow("Expect: 100-continue")
        << expect << standard
        << Outcome{{Parsed{"POST", "/up", {}, {{"Host", "h"}, {"Expect", "100-continue"}, {"Content-Length", "5"}},
                           "hello", expect.size()}},
                   0, 1}
        << qsizetype(-1);
}

void TestHttpRequestParser::splitsGiveSameResult()
{
    QFETCH(QByteArray, input);
    QFETCH(Limits, limits);
    QFETCH(Outcome, expected);
    QFETCH(qsizetype, failBy);

    Outcome whole;
    feedAll(input, limits, {input.size()}, whole);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(describe(whole), describe(expected));

    Outcome bytes;
    feedAll(input, limits, oneByteAtATime(input.size()), bytes);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(describe(bytes), describe(whole));
    if (failBy >= 0)
        QVERIFY2(bytes.failedAfter <= failBy, qPrintable(QStringLiteral("failed only after %1 bytes").arg(bytes.failedAfter)));

    for (const quint32 seed : {1u, 7u, 4141u}) {
        Outcome split;
        feedAll(input, limits, randomSplit(input.size(), seed), split);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(describe(split), describe(whole));
    }
}

void TestHttpRequestParser::pipelinedRequestsReportConsumedBytes()
{
    const QByteArray first = "GET /first HTTP/1.1\r\nHost: h\r\n\r\n";
    const QByteArray second = "POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray both = first + second;
    HttpRequestParser parser{Limits()};

    // Only part of the second request has arrived with the first.
    const QByteArray arrived = both.left(first.size() + 10);
    auto result = parser.feed(arrived.constData(), arrived.size());
    QCOMPARE(result.status, HttpRequestParser::Status::RequestComplete);
    QCOMPARE(result.consumed, first.size());
    QCOMPARE(parser.takeRequest().path, QByteArray("/first"));

    result = parser.feed(arrived.constData() + first.size(), 10);
    QCOMPARE(result.status, HttpRequestParser::Status::NeedMore);
    QCOMPARE(result.consumed, 10);
    QVERIFY(parser.inRequest());

    const QByteArray rest = both.mid(arrived.size());
    result = parser.feed(rest.constData(), rest.size());
    QCOMPARE(result.status, HttpRequestParser::Status::RequestComplete);
    QCOMPARE(result.consumed, rest.size());
    const HttpRequest r = parser.takeRequest();
    QCOMPARE(r.path, QByteArray("/second"));
    QCOMPARE(r.body, QByteArray("abc"));
    QVERIFY(!parser.inRequest());
}

void TestHttpRequestParser::contentLengthOverLimitFailsAtHead()
{
    HttpRequestParser parser(limits(1024, 1024, 100));
    const QByteArray head = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 104857600\r\n\r\n";
    const auto result = parser.feed(head.constData(), head.size()); // not one body byte yet
    QCOMPARE(result.status, HttpRequestParser::Status::Failed);
    QCOMPARE(parser.errorStatus(), 413);
    QVERIFY(parser.errorMessage().contains(QLatin1String("1024")));
}

void TestHttpRequestParser::continueIsReportedOnceAfterHead()
{
    HttpRequestParser parser{Limits()};
    const QByteArray head = "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n";
    QVERIFY(!parser.takeContinueRequest());
    QCOMPARE(parser.feed(head.constData(), head.size() - 1).status, HttpRequestParser::Status::NeedMore);
    QVERIFY(!parser.takeContinueRequest()); // the head is not complete yet
    QCOMPARE(parser.feed(head.constData() + head.size() - 1, 1).status, HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.inBody());
    QVERIFY(parser.takeContinueRequest());
    QVERIFY(!parser.takeContinueRequest());

    QCOMPARE(parser.feed("hello", 5).status, HttpRequestParser::Status::RequestComplete);
    QVERIFY(!parser.takeContinueRequest());
    QCOMPARE(parser.takeRequest().body, QByteArray("hello"));

    const QByteArray plain = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n";
    QCOMPARE(parser.feed(plain.constData(), plain.size()).status, HttpRequestParser::Status::RequestComplete);
    QVERIFY(!parser.takeContinueRequest());
}

void TestHttpRequestParser::headerLookupIgnoresCase()
{
    HttpRequestParser parser{Limits()};
    const QByteArray in = "GET / HTTP/1.1\r\nContent-Type: application/json\r\nX-Request-ID: 7\r\nx-request-id: 8\r\n\r\n";
    QCOMPARE(parser.feed(in.constData(), in.size()).status, HttpRequestParser::Status::RequestComplete);
    const HttpRequest r = parser.takeRequest();
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(r.headers.value("CONTENT-TYPE"), QByteArray("application/json"));
    QVERIFY(r.headers.contains("X-REQUEST-id"));
    QCOMPARE(r.headers.value("X-Request-Id"), QByteArray("7")); // the first of repeated fields
    QCOMPARE(r.headers.value("Authorization", "none"), QByteArray("none"));
    QVERIFY(!r.headers.contains("Content"));
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_HttpRequestParser.moc"
