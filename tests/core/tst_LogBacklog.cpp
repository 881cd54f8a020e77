// SPDX-License-Identifier: GPL-3.0-or-later
// A log writer that falls behind: calls past the queue's body bound are committed as rows
// marked "body not stored" (read back so, and said so by /api/requests/{id}), the counters in
// /metrics count them, and closing with a backlog commits what it can before its deadline,
// drops the rest (counted) and leaves a file whose committed rows are whole.
#include "core/admin/RequestJson.h"
#include "core/log/LogQueries.h"
#include "core/log/LogStats.h"
#include "core/log/LogWriter.h"
#include "tests/support/SqlProbe.h"
#include "tests/support/TestConfigs.h"
#include <QElapsedTimer>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Qt::StringLiterals;

class TestLogBacklog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bodiesShedFirstRowsKept();
    void closeWithBacklogKeepsItsDeadline();
};

namespace {

// A call whose request body is `bytes` of text no other call shares (so none is deduplicated).
CallRecord call(int n, qint64 bytes)
{
    CallRecord r;
    r.id = u"b%1"_s.arg(n, 5, 10, QLatin1Char('0'));
    r.startedAt = QDateTime::currentDateTimeUtc().addMSecs(n);
    r.endpoint = u"/v1/chat/completions"_s;
    r.alias = u"general"_s;
    r.provider = u"openai"_s;
    r.model = u"m"_s;
    r.ok = true;
    r.status = 200;
    QByteArray text(bytes, Qt::Uninitialized);
    for (char &c : text)
        c = char('a' + QRandomGenerator::global()->bounded(26));
    r.requestBody = R"({"model":"general","messages":[{"role":"user","content":")" + text + R"("}]})";
    r.responseBody = R"({"choices":[{"message":{"content":"ok )" + QByteArray::number(n) + R"("}}]})";
    r.attempts = {Attempt{u"openai"_s, u"m"_s, 200, ErrorClass::None, {}, 0, 10, r.requestBody}};
    return r;
}

} // namespace

void TestLogBacklog::bodiesShedFirstRowsKept()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.db"_s);
    LogStats &stats = LogStats::instance();
    const quint64 shedBefore = stats.bodiesShed, droppedBefore = stats.rowsDropped, writtenBefore = stats.rowsWritten;
    QList<CallRecord> sent;
    {
        LogWriter writer(path, Test::TestConfigs::keepingEverything());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
        // Room for the bodies of 5 calls (of about 10 KB each) and for 40 rows.
        writer.setQueueLimits({5 * 10 * 1024 + 1024, 40});
        // No event loop runs and fewer than MaxBatchRows wait: the writer is "behind".
        for (int i = 0; i < 50; ++i)
            sent << call(i, 5 * 1024);
        writer.append(sent);
        QCOMPARE(writer.queued(), 40);
        QVERIFY(stats.prometheusText().contains("\nswitchyard_log_queue_rows 40\n"));
        writer.flush();
    }
    QCOMPARE(stats.bodiesShed - shedBefore, 35u);
    QCOMPARE(stats.rowsDropped - droppedBefore, 10u);
    QCOMPARE(stats.rowsWritten - writtenBefore, 40u);
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM requests"_s).toLongLong(), 40);
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM bodies WHERE stored = 0"_s).toLongLong(), 35);
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM attempts"_s).toLongLong(), 40); // attempts keep their rows too

    LogQueries queries(path, u"tst-backlog-read"_s);
    for (int i = 0; i < 40; ++i) {
        const Result<CallRecord> read = queries.request(sent.at(i).id);
        QVERIFY(read);
        const CallRecord &r = read.value();
        QCOMPARE(r.id, sent.at(i).id);
        QCOMPARE(r.bodiesShed, i >= 5);
        QCOMPARE(r.requestBody, i >= 5 ? QByteArray() : sent.at(i).requestBody);
        QCOMPARE(r.attempts.size(), 1);
        QCOMPARE(r.attempts.at(0).requestBody, i >= 5 ? QByteArray() : sent.at(i).requestBody);
        const QJsonObject json = RequestJson::detail(r);
        QCOMPARE(json.value(u"body_stored"_s).toBool(), i < 5);
        QCOMPARE(json.contains(u"body_note"_s), i >= 5);
    }
    QVERIFY(queries.request(sent.at(45).id).value().id.isEmpty()); // dropped: past the row bound
}

void TestLogBacklog::closeWithBacklogKeepsItsDeadline()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.db"_s);
    LogStats &stats = LogStats::instance();
    const quint64 droppedBefore = stats.rowsDropped;
    constexpr int Calls = 400;
    constexpr int DeadlineMs = 100;
    QElapsedTimer closing;
    {
        LogWriter writer(path, Test::TestConfigs::keepingEverything());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
        writer.setQueueLimits({qint64(1) << 40, Calls});
        writer.setRowDelayForTesting(2000); // a slow disk: 400 rows take at least 0.8 s
        QList<CallRecord> backlog;
        for (int i = 0; i < Calls; ++i)
            backlog << call(i, 2048);
        writer.append(backlog.mid(0, 100)); // under MaxBatchRows: they wait for the timer
        writer.append(backlog.mid(100, 100));
        writer.append(backlog.mid(200, 100));
        writer.append(backlog.mid(300));
        closing.start();
        writer.stopBy(QDeadlineTimer(DeadlineMs));
        writer.close();
    }
    const qint64 tookMs = closing.elapsed();
    const qint64 rows = Test::sqlValue(path, u"SELECT count(*) FROM requests"_s).toLongLong();
    qInfo("closing with %d calls waiting took %lld ms; %lld committed, the rest dropped", Calls, tookMs, rows);
    QVERIFY2(tookMs < DeadlineMs + 1000, "the deadline was not kept"); // generous: a loaded machine
    QVERIFY(rows > 0);
    QVERIFY(rows < Calls);
    QCOMPARE(stats.rowsDropped - droppedBefore, quint64(Calls - rows));
    // What was committed is whole: one attempt per row, one body row each, all in the roll-ups.
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM attempts"_s).toLongLong(), rows);
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM bodies WHERE stored = 1"_s).toLongLong(), rows);
    QCOMPARE(Test::sqlValue(path, u"SELECT sum(requests) FROM rollup_hour"_s).toLongLong(), rows);
    QCOMPARE(Test::sqlValue(path, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s).toLongLong(), 1);
}

QTEST_GUILESS_MAIN(TestLogBacklog)
#include "tst_LogBacklog.moc"
