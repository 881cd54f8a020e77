// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/SseParser.h"
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>

using namespace Switchyard;

namespace {

// "event=<name> data=<data>" for each event: readable in a failed QCOMPARE.
QByteArrayList describe(const QList<SseEvent> &events)
{
    QByteArrayList out;
    for (const SseEvent &e : events)
        out.append("event=" + e.event + " data=" + e.data);
    return out;
}

QByteArray ev(const QByteArray &event, const QByteArray &data)
{
    return "event=" + event + " data=" + data;
}

QByteArray concatenatedRaw(const QList<SseEvent> &events)
{
    QByteArray out;
    for (const SseEvent &e : events)
        out += e.raw;
    return out;
}

// After how many input bytes each event must have come out: its blank line has arrived
// (for a CRLF blank line, its CR already ends the line).
QList<qsizetype> completionPoints(const QByteArrayList &raws)
{
    QList<qsizetype> points;
    qsizetype end = 0;
    for (const QByteArray &raw : raws) {
        end += raw.size();
        points.append(raw.endsWith("\r\n") ? end - 1 : end);
    }
    return points;
}

QList<qsizetype> randomSizes(qsizetype total, quint32 seed)
{
    QRandomGenerator rng(seed);
    QList<qsizetype> sizes;
    for (qsizetype done = 0; done < total;) {
        const qsizetype size = qMin<qsizetype>(rng.bounded(1, 24), total - done);
        sizes.append(size);
        done += size;
    }
    return sizes;
}

const QByteArray openAiChunk1 =
    R"({"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18",)"
    R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})";
const QByteArray openAiChunk2 =
    R"({"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18",)"
    R"("choices":[{"index":0,"delta":{"content":"Hello: world\n"},"logprobs":null,"finish_reason":null}]})";
const QByteArray openAiChunk3 =
    R"({"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18",)"
    R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]})";
const QByteArray openAiUsage =
    R"({"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18",)"
    R"("choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}})";

const QByteArray messageStart =
    R"({"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],)"
    R"("model":"claude-3-5-haiku-latest","stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}})";
const QByteArray blockStart = R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})";
const QByteArray ping = R"({"type": "ping"})";
const QByteArray blockDelta = R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})";
const QByteArray blockStop = R"({"type":"content_block_stop","index":0})";
const QByteArray messageDelta =
    R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}})";
const QByteArray messageStop = R"({"type":"message_stop"})";

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeInput_data();
    void wholeInput();
    void everySplitPoint_data() { wholeInput_data(); }
    void everySplitPoint();
    void oneByteAtATime_data() { wholeInput_data(); }
    void oneByteAtATime();
    void randomChunks_data() { wholeInput_data(); }
    void randomChunks();
    void crlfSplitBetweenFeeds();
    void crlfLineEndSplitDoesNotEndEvent();
    void pendingHoldsUnterminatedEvent();

private:
    // Feeds `input` in pieces of `sizes` and checks what must hold however it was split.
    void checkSplit(const QByteArray &input, const QList<qsizetype> &sizes, bool checkTiming);
};

void TestSseParser::wholeInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("events");  // describe() of the events, in order
    QTest::addColumn<QByteArrayList>("raws");    // each event's raw bytes when fed in one piece
    QTest::addColumn<QByteArray>("pending");     // left over when fed in one piece

    {
        const QByteArrayList raws{"data: " + openAiChunk1 + "\n\n", "data: " + openAiChunk2 + "\n\n",
                                  "data: " + openAiChunk3 + "\n\n", "data: " + openAiUsage + "\n\n",
                                  "data: [DONE]\n\n"};
        QTest::newRow("openai chunk stream")
            << raws.join() << QByteArrayList{ev({}, openAiChunk1), ev({}, openAiChunk2), ev({}, openAiChunk3),
                                             ev({}, openAiUsage), ev({}, "[DONE]")}
            << raws << QByteArray();
    }
    {
        const QByteArrayList raws{"event: message_start\ndata: " + messageStart + "\n\n",
                                  "event: content_block_start\ndata: " + blockStart + "\n\n",
                                  "event: ping\ndata: " + ping + "\n\n",
                                  "event: content_block_delta\ndata: " + blockDelta + "\n\n",
                                  "event: content_block_stop\ndata: " + blockStop + "\n\n",
                                  "event: message_delta\ndata: " + messageDelta + "\n\n",
                                  "event: message_stop\ndata: " + messageStop + "\n\n"};
        const QByteArrayList events{ev("message_start", messageStart),       ev("content_block_start", blockStart),
                                    ev("ping", ping),                        ev("content_block_delta", blockDelta),
                                    ev("content_block_stop", blockStop),     ev("message_delta", messageDelta),
                                    ev("message_stop", messageStop)};
        QTest::newRow("anthropic event stream") << raws.join() << events << raws << QByteArray();

        QByteArrayList crlf;
        for (const QByteArray &raw : raws)
            crlf.append(QByteArray(raw).replace("\n", "\r\n"));
        QTest::newRow("anthropic event stream with CRLF") << crlf.join() << events << crlf << QByteArray();

        QByteArrayList cr;
        for (const QByteArray &raw : raws)
            cr.append(QByteArray(raw).replace('\n', '\r'));
        QTest::newRow("anthropic event stream with CR") << cr.join() << events << cr << QByteArray();
    }
    {
        const QByteArrayList raws{"data: a\r\ndata: b\rdata: c\ndata: d\r\n\r\n", "data: e\r\r", "data: f\n\r\n",
                                  "data: g\r\n\n"};
        QTest::newRow("mixed line endings")
            << raws.join() << QByteArrayList{ev({}, "a\nb\nc\nd"), ev({}, "e"), ev({}, "f"), ev({}, "g")} << raws
            << QByteArray();
    }
    {
        const QByteArrayList raws{"data: a\r\n\r\n", "\n", "data: b\r\r", "\r", "data: c\r\r\n"};
        QTest::newRow("blank lines after an event's CRLF or CR")
            << raws.join() << QByteArrayList{ev({}, "a"), ev({}, {}), ev({}, "b"), ev({}, {}), ev({}, "c")} << raws
            << QByteArray();
    }
    {
        const QByteArrayList raws{": ping\n\n", "data: a\n: keep-alive in the middle\ndata: b\n\n", ":\n\n"};
        QTest::newRow("comments")
            << raws.join() << QByteArrayList{ev({}, {}), ev({}, "a\nb"), ev({}, {})} << raws << QByteArray();
    }
    {
        const QByteArrayList raws{"data: line one\ndata: line two\ndata:\ndata: line four\n\n"};
        QTest::newRow("multi-line data")
            << raws.join() << QByteArrayList{ev({}, "line one\nline two\n\nline four")} << raws << QByteArray();
    }
    {
        const QByteArrayList raws{"event:message_start\ndata:{\"a\":1}\n\n", "data:  two spaces\n\n",
                                  "data:\tx\n\n"};
        QTest::newRow("fields without space after colon")
            << raws.join()
            << QByteArrayList{ev("message_start", "{\"a\":1}"), ev({}, " two spaces"), ev({}, "\tx")} << raws
            << QByteArray();
    }
    {
        const QByteArrayList raws{"data\n\n", "data\ndata\n\n", "event\ndata: x\n\n"};
        QTest::newRow("fields without colon")
            << raws.join() << QByteArrayList{ev({}, {}), ev({}, "\n"), ev({}, "x")} << raws << QByteArray();
    }
    {
        const QByteArrayList raws{"id: 7\nretry: 1000\nevent: a\nevent: b\ndatum: no\nDATA: no\ndata: x\n\n"};
        QTest::newRow("unknown fields ignored, last event name wins")
            << raws.join() << QByteArrayList{ev("b", "x")} << raws << QByteArray();
    }
    {
        const QByteArrayList raws{"data: {\"url\":\"http://example.com:8080/a\"}\n\n"};
        QTest::newRow("colons inside the value")
            << raws.join() << QByteArrayList{ev({}, "{\"url\":\"http://example.com:8080/a\"}")} << raws
            << QByteArray();
    }
    {
        const QByteArrayList raws{"data: a\n\n"};
        QTest::newRow("unterminated last event")
            << raws.join() + "event: x\ndata: b\n" << QByteArrayList{ev({}, "a")} << raws
            << QByteArray("event: x\ndata: b\n");
        QTest::newRow("unterminated last line") << raws.join() + "data: b" << QByteArrayList{ev({}, "a")} << raws
                                                << QByteArray("data: b");
    }
    {
        const QByteArrayList raws{"data: a\r\n\r\n"};
        QTest::newRow("unterminated last event with CRLF")
            << raws.join() + "data: b\r\n" << QByteArrayList{ev({}, "a")} << raws << QByteArray("data: b\r\n");
    }
    QTest::newRow("empty input") << QByteArray() << QByteArrayList() << QByteArrayList() << QByteArray();
}

void TestSseParser::wholeInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, events);
    QFETCH(QByteArrayList, raws);
    QFETCH(QByteArray, pending);
    QCOMPARE(raws.join() + pending, input); // the row itself is consistent

    SseParser parser;
    const QList<SseEvent> out = parser.feed(input);
    QCOMPARE(describe(out), events);
    QByteArrayList outRaws;
    for (const SseEvent &e : out)
        outRaws.append(e.raw);
    QCOMPARE(outRaws, raws);
    QCOMPARE(parser.pending(), pending);
    QVERIFY(parser.feed(QByteArray()).isEmpty());
    QCOMPARE(parser.pending(), pending);
}

void TestSseParser::checkSplit(const QByteArray &input, const QList<qsizetype> &sizes, bool checkTiming)
{
    QFETCH(QByteArrayList, events);
    QFETCH(QByteArrayList, raws);
    QFETCH(QByteArray, pending);
    const QList<qsizetype> due = completionPoints(raws);

    SseParser parser;
    QList<SseEvent> out;
    qsizetype fed = 0;
    for (const qsizetype size : sizes) {
        out += parser.feed(input.mid(fed, size));
        fed += size;
        if (checkTiming) {
            const auto ready = std::count_if(due.cbegin(), due.cend(), [fed](qsizetype p) { return p <= fed; });
            QVERIFY2(out.size() == ready, qPrintable(QStringLiteral("after %1 bytes: %2 events, expected %3")
                                                         .arg(fed).arg(out.size()).arg(ready)));
        }
    }
    QCOMPARE(fed, input.size());
    QCOMPARE(describe(out), events);
    // Not a byte lost or added: what came out plus what is held is the input.
    QCOMPARE(concatenatedRaw(out) + parser.pending(), input);
    // A split between the CR and LF of a blank line leaves that LF to the next event.
    const bool strayLf = !out.isEmpty() && out.last().raw.endsWith('\r') && parser.pending() == "\n" + pending;
    QVERIFY2(parser.pending() == pending || strayLf, parser.pending().constData());
}

void TestSseParser::everySplitPoint()
{
    QFETCH(QByteArray, input);
    for (qsizetype at = 0; at <= input.size(); ++at) {
        checkSplit(input, {at, input.size() - at}, false);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("split at byte %1").arg(at)));
    }
}

void TestSseParser::oneByteAtATime()
{
    QFETCH(QByteArray, input);
    checkSplit(input, QList<qsizetype>(input.size(), 1), true);
}

void TestSseParser::randomChunks()
{
    QFETCH(QByteArray, input);
    for (const quint32 seed : {1u, 42u, 4141u, 20240601u}) {
        checkSplit(input, randomSizes(input.size(), seed), false);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("seed %1").arg(seed)));
    }
}

void TestSseParser::crlfSplitBetweenFeeds()
{
    SseParser parser;
    QVERIFY(parser.feed("data: a\r").isEmpty());
    QCOMPARE(parser.pending(), QByteArray("data: a\r"));
    // The CR of the blank line completes the event at once: no waiting for its LF.
    QList<SseEvent> out = parser.feed("\n\r");
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0).data, QByteArray("a"));
    QCOMPARE(out.at(0).raw, QByteArray("data: a\r\n\r"));
    // Its LF is not a second blank line (which would make an empty event).
    QVERIFY(parser.feed("\n").isEmpty());
    out = parser.feed("data: b\r\n\r\n");
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0).data, QByteArray("b"));
    QCOMPARE(out.at(0).raw, QByteArray("\ndata: b\r\n\r\n"));
    QCOMPARE(parser.pending(), QByteArray());
}

void TestSseParser::crlfLineEndSplitDoesNotEndEvent()
{
    // "\r" then "\n" is one line end; counted twice it would end the event after "a".
    SseParser parser;
    QVERIFY(parser.feed("event: e\r").isEmpty());
    QVERIFY(parser.feed("\ndata: a\r").isEmpty());
    QVERIFY(parser.feed("\n").isEmpty());
    QVERIFY(parser.feed("data: b\r").isEmpty());
    const QList<SseEvent> out = parser.feed("\n\r\n");
    QCOMPARE(describe(out), QByteArrayList{ev("e", "a\nb")});
    QCOMPARE(out.at(0).raw, QByteArray("event: e\r\ndata: a\r\ndata: b\r\n\r\n"));
}

void TestSseParser::pendingHoldsUnterminatedEvent()
{
    SseParser parser;
    QCOMPARE(parser.pending(), QByteArray());
    QList<SseEvent> out = parser.feed("data: one\n\nevent: two\ndata: {\"partial\":");
    QCOMPARE(describe(out), QByteArrayList{ev({}, "one")});
    QCOMPARE(parser.pending(), QByteArray("event: two\ndata: {\"partial\":"));
    out = parser.feed("true}\n");
    QVERIFY(out.isEmpty());
    QCOMPARE(parser.pending(), QByteArray("event: two\ndata: {\"partial\":true}\n"));
    out = parser.feed("\n");
    QCOMPARE(describe(out), QByteArrayList{ev("two", "{\"partial\":true}")});
    QCOMPARE(out.at(0).raw, QByteArray("event: two\ndata: {\"partial\":true}\n\n"));
    QCOMPARE(parser.pending(), QByteArray());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_SseParser.moc"
