// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/logstore/SharedLogBench.h"
#include "core/log/LogStats.h"
#include "core/log/LogWriter.h"
#include "tests/support/AgentSession.h"
#include "tests/support/PostgresServer.h"
#include "tests/support/SyntheticCalls.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

namespace Switchyard::Bench {

namespace {

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// The calls one instance hands its writer: chat-sized, or agent-sized turns of 20-turn sessions.
QList<CallRecord> callsFor(int instance, int count, bool agent)
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
    QList<CallRecord> calls = Test::SyntheticCalls(quint32(4141 + instance)).generate(count, start, start + 3000 * 1000);
    std::unique_ptr<Test::AgentSession> session;
    for (int i = 0; i < calls.size(); ++i) {
        CallRecord &r = calls[i];
        r.id = QStringLiteral("i%1-%2").arg(instance).arg(i);
        if (!agent)
            continue;
        if (i % 20 == 0)
            session = std::make_unique<Test::AgentSession>(80, 4096, 24576, quint32(instance * 100000 + i));
        r.requestBody = session->next();
        for (Attempt &a : r.attempts)
            a.requestBody = r.requestBody;
    }
    return calls;
}

// Writers on threads of their own, each with its own connection, as separate instances have.
// Returns the seconds until every row was committed; `cpu` gets this process's CPU meanwhile.
double timeWriters(const QString &url, int writers, int count, bool agent, double *cpu)
{
    std::vector<std::unique_ptr<QThread>> threads;
    std::vector<LogWriter *> logWriters;
    LogConfig keepAll;
    keepAll.retentionDays = 3650;
    keepAll.bodyRetentionDays = 3650;
    keepAll.maxBodyKib = 1024;
    for (int w = 0; w < writers; ++w) {
        auto *writer = new LogWriter(url, keepAll);
        auto thread = std::make_unique<QThread>();
        writer->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, writer, &QObject::deleteLater);
        thread->start();
        bool opened = false;
        QMetaObject::invokeMethod(writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
        if (!opened)
            qFatal("bench-logstore: cannot open %s", qPrintable(url));
        threads.push_back(std::move(thread));
        logWriters.push_back(writer);
    }
    std::vector<QList<CallRecord>> calls;
    for (int w = 0; w < writers; ++w)
        calls.push_back(callsFor(w, count, agent));
    const quint64 writtenBefore = LogStats::instance().rowsWritten;
    const quint64 shedBefore = LogStats::instance().bodiesShed;
    const quint64 target = writtenBefore + quint64(writers) * quint64(count);
    QElapsedTimer timer;
    timer.start();
    const double cpuBefore = cpuSeconds();
    // Handed over in slices, as the engine does every 100 ms, as fast as the queues take them
    // and never so fast that a queue sheds bodies (64 MB of them wait at most).
    const int slice = agent ? 20 : 100;
    const qint64 backlog = agent ? 100 : 2000;
    for (int from = 0; from < count; from += slice) {
        for (int w = 0; w < writers; ++w) {
            while (logWriters[w]->queued() > backlog)
                QThread::msleep(2);
            logWriters[w]->append(calls[w].mid(from, slice));
        }
    }
    while (LogStats::instance().rowsWritten < target && timer.elapsed() < 600000)
        QThread::msleep(5);
    const double seconds = timer.nsecsElapsed() / 1e9;
    *cpu = cpuSeconds() - cpuBefore;
    if (const quint64 shed = LogStats::instance().bodiesShed - shedBefore; shed > 0)
        std::fprintf(stderr, "bench-logstore: %llu calls shed their bodies\n", static_cast<unsigned long long>(shed));
    for (int w = 0; w < writers; ++w) {
        QMetaObject::invokeMethod(logWriters[w], &LogWriter::close, Qt::BlockingQueuedConnection);
        threads[w]->quit();
        threads[w]->wait();
    }
    return seconds;
}

} // namespace

int sharedLog(int count)
{
    Test::PostgresServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench-logstore: %s\n", qPrintable(server.error()));
        return 1;
    }
    int n = 0;
    const QByteArray only = qgetenv("BENCH_SHARED_ONLY"); // "chat" or "agent", for profiling one case
    for (const bool agent : {false, true}) {
        if (!only.isEmpty() && only != (agent ? "agent" : "chat"))
            continue;
        const int perWriter = agent ? count / 10 : count;
        for (const int writers : {1, 2}) {
            const QString database = QStringLiteral("bench%1").arg(++n);
            server.createDatabase(database);
            double cpu = 0;
            const double seconds = timeWriters(server.url(database), writers, perWriter, agent, &cpu);
            const double rows = double(writers) * perWriter;
            std::printf("sharedlog kind=%s writers=%d rows=%.0f seconds=%.2f rows_per_s=%.0f cpu_us_per_row=%.0f\n",
                        agent ? "agent" : "chat", writers, rows, seconds, rows / seconds,
                        cpu * 1e6 / rows);
            std::fflush(stdout);
        }
    }
    server.stop();
    return 0;
}

} // namespace Switchyard::Bench
