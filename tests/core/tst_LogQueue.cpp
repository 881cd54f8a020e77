// SPDX-License-Identifier: GPL-3.0-or-later
// The bounded queue in front of the log writer: past its body bound a call keeps its row but
// not its bodies, past its row bound a call is dropped, and LogStats counts both.
#include "core/log/LogQueue.h"
#include "core/log/LogStats.h"
#include <QTest>

using namespace Switchyard;
using namespace Qt::StringLiterals;

class TestLogQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shedsBodiesThenDropsRows_data();
    void shedsBodiesThenDropsRows();
    void takingMakesRoomAgain();
    void dropAllCounts();
};

namespace {

// A call with `bytes` of body: a third each in the request, the response and the attempt.
CallRecord call(int n, qint64 bytes)
{
    CallRecord r;
    r.id = u"q%1"_s.arg(n);
    const QByteArray third(bytes / 3, 'x');
    r.requestBody = third;
    r.responseBody = third;
    r.attempts = {Attempt{u"p"_s, u"m"_s, 200, ErrorClass::None, {}, 0, 1, third}};
    return r;
}

QList<CallRecord> calls(int count, qint64 bytes)
{
    QList<CallRecord> list;
    for (int i = 0; i < count; ++i)
        list << call(i, bytes);
    return list;
}

} // namespace

void TestLogQueue::shedsBodiesThenDropsRows_data()
{
    QTest::addColumn<qint64>("maxBodyBytes");
    QTest::addColumn<qint64>("maxRows");
    QTest::addColumn<int>("calls");
    QTest::addColumn<int>("withBodies");
    QTest::addColumn<int>("kept");
    // Each call brings 300 bytes of body.
    QTest::newRow("within both bounds") << qint64(3000) << qint64(100) << 10 << 10 << 10;
    QTest::newRow("bodies past the byte bound are shed") << qint64(1000) << qint64(100) << 10 << 3 << 10;
    QTest::newRow("rows past the row bound are dropped") << qint64(1000) << qint64(6) << 10 << 3 << 6;
    QTest::newRow("no room for bodies at all") << qint64(0) << qint64(100) << 4 << 0 << 4;
}

void TestLogQueue::shedsBodiesThenDropsRows()
{
    QFETCH(qint64, maxBodyBytes);
    QFETCH(qint64, maxRows);
    QFETCH(int, calls);
    QFETCH(int, withBodies);
    QFETCH(int, kept);
    LogStats &stats = LogStats::instance();
    const quint64 shedBefore = stats.bodiesShed, droppedBefore = stats.rowsDropped;
    LogQueue queue({maxBodyBytes, maxRows});
    QCOMPARE(queue.push(::calls(calls, 300)), qint64(kept));
    QCOMPARE(stats.queuedRows.load(), qint64(kept));
    QCOMPARE(stats.queuedBodyBytes.load(), qint64(withBodies) * 300);
    const QList<CallRecord> taken = queue.take(1000);
    QCOMPARE(taken.size(), kept);
    for (int i = 0; i < kept; ++i) {
        const CallRecord &r = taken.at(i);
        QCOMPARE(r.id, u"q%1"_s.arg(i)); // oldest first, none reordered
        QCOMPARE(r.bodiesShed, i >= withBodies);
        QCOMPARE(LogQueue::bodyBytes(r), i >= withBodies ? 0 : 300);
        QCOMPARE(r.attempts.size(), 1); // the attempt's row stays, without its body
    }
    QCOMPARE(stats.bodiesShed - shedBefore, quint64(kept - withBodies));
    QCOMPARE(stats.rowsDropped - droppedBefore, quint64(calls - kept));
    QCOMPARE(stats.queuedRows.load(), 0);
    QCOMPARE(stats.queuedBodyBytes.load(), 0);
    const QByteArray line = "\nswitchyard_log_bodies_shed_total "_ba + QByteArray::number(stats.bodiesShed.load()) + '\n';
    QVERIFY(stats.prometheusText().contains(line));
}

void TestLogQueue::takingMakesRoomAgain()
{
    LogQueue queue({600, 100});
    queue.push(calls(3, 300)); // the third is shed
    QCOMPARE(queue.take(2).size(), 2);
    QCOMPARE(queue.size(), 1);
    queue.push({call(7, 300)});
    const QList<CallRecord> rest = queue.take(10);
    QCOMPARE(rest.size(), 2);
    QVERIFY(rest.at(0).bodiesShed);
    QVERIFY(!rest.at(1).bodiesShed); // the writer caught up: bodies are kept again
}

void TestLogQueue::dropAllCounts()
{
    LogStats &stats = LogStats::instance();
    const quint64 droppedBefore = stats.rowsDropped;
    LogQueue queue;
    queue.push(calls(5, 30));
    QCOMPARE(queue.dropAll(), 5);
    QCOMPARE(queue.size(), 0);
    QCOMPARE(stats.rowsDropped - droppedBefore, 5u);
    QCOMPARE(stats.queuedRows.load(), 0);
}

QTEST_GUILESS_MAIN(TestLogQueue)
#include "tst_LogQueue.moc"
