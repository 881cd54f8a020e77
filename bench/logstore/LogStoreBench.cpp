// SPDX-License-Identifier: GPL-3.0-or-later
// The request log at scale, measured with the project's own classes (not timed tests).
//
//   switchyard-bench-logstore generate FILE COUNT   fills FILE with COUNT synthetic calls over the
//                                                  last 28 days through LogWriter; prints insert
//                                                  throughput, CPU per row and bytes per row
//   switchyard-bench-logstore traces FILE           opens the Traces view (offscreen) on FILE and
//                                                  times opening it, showing the newest and the
//                                                  oldest rows, and scrolling a page further
//   switchyard-bench-logstore agent FILE [TURNS]     one 200-turn agent session: database bytes
//                                                  against the raw bodies, CPU per row
//   switchyard-bench-logstore capped FILE SECONDS MAX_MIB RATE
//                                                  agent-sized load with log.max_db_mib = MAX_MIB:
//                                                  the largest the file got (see AgentLogBench.h)
//   switchyard-bench-logstore shared COUNT          the log on a private PostgreSQL: rows a second
//                                                  from one and from two writers at once (see
//                                                  SharedLogBench.h)
// Each prints one line of key=value pairs for bench/report.py.
#include "bench/logstore/AgentLogBench.h"
#include "bench/logstore/SharedLogBench.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/EngineLink.h"
#include "ui/traces/TraceModel.h"
#include "ui/traces/TracesPage.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Switchyard;

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;
constexpr qint64 SpanMs = 28 * DayMs;

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
}

int generate(const QString &path, qint64 total)
{
    LogConfig keepAll;
    keepAll.retentionDays = 3650;
    keepAll.maxDbMib = 1 << 20;
    LogWriter writer(path, keepAll);
    if (!writer.open()) {
        std::fprintf(stderr, "bench-logstore: %s\n", qPrintable(writer.errorString()));
        return 1;
    }
    Test::SyntheticCalls calls(1000000);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 chunk = 10000;
    double insertWall = 0, insertCpu = 0, generateWall = 0;
    QElapsedTimer clock;
    for (qint64 i = 0; i < total; i += chunk) {
        const qint64 count = std::min(chunk, total - i);
        const qint64 from = now - SpanMs + SpanMs * i / total;
        clock.start();
        const QList<CallRecord> records = calls.generate(int(count), from, from + SpanMs * count / total - 1);
        generateWall += double(clock.nsecsElapsed()) / 1e9;
        // What the engine does: hand the writer a batch; the writer commits it in transactions.
        clock.start();
        const double cpu = cpuSeconds();
        writer.append(records);
        writer.flush();
        insertCpu += cpuSeconds() - cpu;
        insertWall += double(clock.nsecsElapsed()) / 1e9;
    }
    writer.close();
    const qint64 bytes = fileSize(path);
    std::printf("rows=%lld insert_s=%.2f rows_per_s=%.0f cpu_us_per_row=%.1f generate_s=%.1f db_bytes=%lld bytes_per_row=%.0f\n",
                total, insertWall, double(total) / insertWall, insertCpu * 1e6 / double(total), generateWall, bytes,
                double(bytes) / double(total));
    return 0;
}

// Times, on the GUI thread, how long the Traces view takes to show rows and their count.
class TracesTiming final
{
public:
    explicit TracesTiming(TracesPage &page) : m_page(page)
    {
        QObject::connect(page.model(), &TraceModel::pageLoaded, &page, [this] {
            m_rowsAt = m_rowsAt < 0 ? m_clock.elapsed() : m_rowsAt;
        });
        QObject::connect(page.model(), &TraceModel::totalCountChanged, &page, [this](qint64 total) {
            m_countAt = m_countAt < 0 && total >= 0 ? m_clock.elapsed() : m_countAt;
        });
    }
    void start()
    {
        m_rowsAt = m_countAt = -1;
        m_clock.start();
    }
    // Milliseconds until both the first rows and the count were shown, or -1.
    qint64 waitShown()
    {
        if (!QTest::qWaitFor([this] { return m_rowsAt >= 0 && m_countAt >= 0; }, 120000))
            return -1;
        return std::max(m_rowsAt, m_countAt);
    }
    qint64 rowsAt() const { return m_rowsAt; }
    qint64 measureFilter(const RequestFilter &filter)
    {
        start();
        m_page.model()->setFilter(filter);
        return waitShown();
    }
    // Scrolled to the end, the view asks for the next page through fetchMore.
    qint64 nextPage()
    {
        m_rowsAt = -1;
        m_clock.start();
        m_page.table()->scrollToBottom();
        return QTest::qWaitFor([this] { return m_rowsAt >= 0; }, 60000) ? m_rowsAt : -1;
    }

private:
    TracesPage &m_page;
    QElapsedTimer m_clock;
    qint64 m_rowsAt = -1;
    qint64 m_countAt = -1;
};

int traces(const QString &path)
{
    // The longest the GUI thread went without running a 5 ms timer.
    QElapsedTimer beat;
    beat.start();
    qint64 longestStall = 0;
    QTimer heartbeat;
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] { longestStall = std::max(longestStall, beat.restart()); });

    LogReader reader(path);
    EngineLink link(&reader);
    QElapsedTimer opening;
    opening.start();
    TracesPage page(&link);
    TracesTiming timing(page);
    timing.start();
    page.resize(1200, 750);
    page.show();
    const qint64 open = timing.waitShown();
    const qint64 openRows = timing.rowsAt();
    heartbeat.start(5);
    beat.restart();
    longestStall = 0;

    std::vector<qint64> pages;
    for (int i = 0; i < 50 && page.model()->canFetchMore(QModelIndex()); ++i) // a small log runs out of pages
        pages.push_back(timing.nextPage());
    if (pages.empty())
        pages.push_back(0);
    std::sort(pages.begin(), pages.end());
    const qint64 newest = timing.measureFilter(RequestFilter()); // back to the top: the newest rows
    // The oldest rows: the log's first day, as a time range (the view lists newest first).
    const qint64 firstDay = QDateTime::currentMSecsSinceEpoch() - SpanMs + DayMs;
    RequestFilter oldestDay;
    oldestDay.untilMs = firstDay;
    const qint64 oldest = timing.measureFilter(oldestDay);
    const qint64 oldestNext = page.model()->canFetchMore(QModelIndex()) ? timing.nextPage() : 0;
    RequestFilter errors;
    errors.ok = false;
    const qint64 errorsOnly = timing.measureFilter(errors);
    std::printf("rows=%lld open_ms=%lld open_first_rows_ms=%lld newest_ms=%lld oldest_ms=%lld oldest_next_page_ms=%lld "
                "next_page_p50_ms=%lld next_page_max_ms=%lld errors_filter_ms=%lld gui_stall_max_ms=%lld\n",
                page.model()->totalCount(), open, openRows, newest, oldest, oldestNext, pages[pages.size() / 2],
                pages.back(), errorsOnly, longestStall);
    return open >= 0 && newest >= 0 && oldest >= 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 4 && args.at(1) == QLatin1String("generate"))
        return generate(args.at(2), args.at(3).toLongLong());
    if (args.size() == 3 && args.at(1) == QLatin1String("traces"))
        return traces(args.at(2));
    if ((args.size() == 3 || args.size() == 4) && args.at(1) == QLatin1String("agent"))
        return Bench::agentSession(args.at(2), args.size() == 4 ? args.at(3).toInt() : 200);
    if (args.size() == 6 && args.at(1) == QLatin1String("capped"))
        return Bench::cappedLoad(args.at(2), args.at(3).toInt(), args.at(4).toInt(), args.at(5).toInt());
    if (args.size() == 3 && args.at(1) == QLatin1String("shared"))
        return Bench::sharedLog(args.at(2).toInt());
    std::fprintf(stderr, "usage: %s generate FILE COUNT | traces FILE | agent FILE [TURNS] | capped FILE SECONDS MAX_MIB RATE"
                         " | shared COUNT\n", argv[0]);
    return 2;
}
