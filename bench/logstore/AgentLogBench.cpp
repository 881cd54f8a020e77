// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/logstore/AgentLogBench.h"
#include "core/log/LogStats.h"
#include "core/log/LogWriter.h"
#include "tests/support/AgentSession.h"
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>
#include <QTest>
#include <cstdio>
#include <ctime>
#include <memory>
#include <pthread.h>

namespace Switchyard::Bench {

namespace {

double seconds(clockid_t clock)
{
    timespec t{};
    clock_gettime(clock, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
}

// Pages holding data, as LogRetention counts them against the cap.
qint64 usedBytes(const QString &path)
{
    qint64 used = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-used"));
        db.setDatabaseName(path);
        QSqlQuery q(db);
        if (db.open() && q.exec(QStringLiteral("SELECT (page_count - freelist_count) * page_size FROM pragma_page_count,"
                                               " pragma_freelist_count, pragma_page_size")) && q.next())
            used = q.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-used"));
    return used;
}

CallRecord agentCall(qint64 serial, const QByteArray &body)
{
    CallRecord r;
    r.id = QStringLiteral("agent-%1").arg(serial, 8, 10, QLatin1Char('0'));
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.durationMs = 2000;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.requestedModel = r.alias = QStringLiteral("agent");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o");
    r.status = 200;
    r.ok = true;
    r.stream = true;
    r.requestBody = body;
    r.responseBody = "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"tool3\",\"arguments\":\"{\\\"path\\\":"
                     "\\\"src/file" + QByteArray::number(serial) + ".cpp\\\"}\"}}]}}]}\n\ndata: [DONE]\n\n";
    r.requestHeaders.add("content-type", "application/json");
    r.responseHeaders.add("content-type", "text/event-stream");
    r.attempts = {Attempt{r.provider, r.model, 200, ErrorClass::None, {}, 0, 2000, body}};
    return r;
}

qint64 rawBytes(const CallRecord &r)
{
    return r.requestBody.size() + r.responseBody.size() + r.attempts.constFirst().requestBody.size();
}

LogConfig keepAll(int maxMib)
{
    LogConfig config;
    config.retentionDays = 3650;
    config.bodyRetentionDays = 3650;
    config.maxBodyKib = 1024;
    config.maxDbMib = maxMib;
    return config;
}

} // namespace

int agentSession(const QString &path, int turns)
{
    LogWriter writer(path, keepAll(1 << 20));
    if (!writer.open()) {
        std::fprintf(stderr, "bench-logstore: %s\n", qPrintable(writer.errorString()));
        return 1;
    }
    const QList<QByteArray> bodies = Test::AgentSession::requests(turns, 80);
    qint64 raw = 0;
    double cpu = 0;
    for (int i = 0; i < bodies.size(); ++i) {
        const CallRecord r = agentCall(i, bodies.at(i));
        raw += rawBytes(r);
        const double before = seconds(CLOCK_PROCESS_CPUTIME_ID);
        writer.append({r});
        writer.flush();
        cpu += seconds(CLOCK_PROCESS_CPUTIME_ID) - before;
    }
    writer.close();
    const qint64 used = usedBytes(path);
    std::printf("turns=%d raw_bytes=%lld db_bytes=%lld db_pct_of_raw=%.2f bytes_per_request=%.0f raw_per_request=%.0f "
                "cpu_us_per_row=%.0f\n", turns, raw, used, 100.0 * double(used) / double(raw), double(used) / turns,
                double(raw) / turns, cpu * 1e6 / turns);
    return 0;
}

int cappedLoad(const QString &path, int secondsToRun, int maxMib, int rate)
{
    QThread thread;
    thread.setObjectName(QStringLiteral("log-writer"));
    auto *writer = new LogWriter(path, keepAll(maxMib));
    writer->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, writer, &QObject::deleteLater);
    thread.start();
    bool opened = false;
    QMetaObject::invokeMethod(writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
    clockid_t writerClock{};
    QMetaObject::invokeMethod(writer, [&writerClock] { pthread_getcpuclockid(pthread_self(), &writerClock); },
                              Qt::BlockingQueuedConnection);
    if (!opened)
        return 1;
    LogStats &stats = LogStats::instance();
    const quint64 shedBefore = stats.bodiesShed, droppedBefore = stats.rowsDropped, writtenBefore = stats.rowsWritten;
    const double cpuBefore = seconds(writerClock);
    constexpr int Sessions = 8, TurnsPerSession = 20;
    std::vector<std::unique_ptr<Test::AgentSession>> sessions;
    std::vector<int> turnOf(Sessions, 0);
    quint32 seed = 1;
    for (int s = 0; s < Sessions; ++s)
        sessions.push_back(std::make_unique<Test::AgentSession>(80, 4096, 24576, seed++));
    qint64 serial = 0, raw = 0, largest = 0, largestBody = 0;
    QElapsedTimer clock;
    clock.start();
    for (qint64 tick = 1; clock.elapsed() < secondsToRun * 1000LL; ++tick) {
        QList<CallRecord> batch;
        for (; serial < rate * tick / 10; ++serial) {
            const int s = int(serial % Sessions);
            if (turnOf[s]++ == TurnsPerSession) { // the agent starts over: a new conversation
                sessions[s] = std::make_unique<Test::AgentSession>(80, 4096, 24576, seed++);
                turnOf[s] = 1;
            }
            batch << agentCall(serial, sessions[s]->next());
            raw += rawBytes(batch.constLast());
            largestBody = qMax(largestBody, qint64(batch.constLast().requestBody.size()));
        }
        writer->append(batch); // what the engine does every 100 ms, from its own thread
        largest = qMax(largest, fileBytes(path));
        QTest::qWait(int(qMax<qint64>(1, tick * 100 - clock.elapsed())));
    }
    const double loadSeconds = double(clock.elapsed()) / 1000.0;
    QMetaObject::invokeMethod(writer, &LogWriter::flush, Qt::BlockingQueuedConnection);
    largest = qMax(largest, fileBytes(path));
    const double cpu = seconds(writerClock) - cpuBefore;
    QMetaObject::invokeMethod(writer, &LogWriter::close, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    const quint64 written = stats.rowsWritten - writtenBefore;
    std::printf("seconds=%.0f rate=%d calls=%lld largest_body_kb=%lld raw_mb=%.0f max_db_mib=%d largest_file_mib=%.1f "
                "over_cap_pct=%.1f final_used_mib=%.1f written=%llu bodies_shed=%llu rows_dropped=%llu writer_cpu_us_per_row=%.0f\n",
                loadSeconds, rate, serial, largestBody / 1024, double(raw) / 1e6, maxMib, double(largest) / 1048576.0,
                100.0 * (double(largest) / (double(maxMib) * 1048576.0) - 1.0), double(usedBytes(path)) / 1048576.0,
                static_cast<unsigned long long>(written), static_cast<unsigned long long>(stats.bodiesShed - shedBefore),
                static_cast<unsigned long long>(stats.rowsDropped - droppedBefore), written ? cpu * 1e6 / double(written) : 0.0);
    return 0;
}

} // namespace Switchyard::Bench
