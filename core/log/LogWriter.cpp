// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogWriter.h"
#include "core/log/LogStats.h"
#include "core/log/PostgresLocation.h"
#include "core/log/PostgresLogStore.h"
#include "core/log/SqliteLogStore.h"
#include <QThread>
#include <algorithm>
#include <limits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Switchyard {

namespace {
constexpr int FirstReconnectMs = 250;
constexpr int ConflictRetryMs = 20; // another instance held what a batch needed: try again soon
} // namespace

LogWriter::LogWriter(const QString &location, const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_deadlineMs(QDeadlineTimer(QDeadlineTimer::Forever).deadline())
    , m_commitTimer(new QTimer(this))
    , m_retentionTimer(new QTimer(this))
    , m_trimTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    qRegisterMetaType<Switchyard::LogConfig>();
    if (PostgresLocation::isPostgres(location))
        m_store = std::make_unique<PostgresLogStore>(location);
    else
        m_store = std::make_unique<SqliteLogStore>(location);
    LogStats::instance().sharedStore = PostgresLocation::isPostgres(location);
    m_commitTimer->setSingleShot(true);
    connect(m_commitTimer, &QTimer::timeout, this, &LogWriter::flush);
    m_retentionTimer->setInterval(RetentionIntervalMs);
    connect(m_retentionTimer, &QTimer::timeout, this, &LogWriter::applyRetention);
    m_trimTimer->setSingleShot(true);
    m_trimTimer->setInterval(TrimDelayMs);
    connect(m_trimTimer, &QTimer::timeout, this, &LogWriter::returnFreedMemory);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &LogWriter::reconnect);
}

LogWriter::~LogWriter()
{
    close();
}

bool LogWriter::open()
{
    if (!m_store->open(&m_error))
        return false;
    markReachable(true);
    m_retentionTimer->start();
    QTimer::singleShot(5000, this, &LogWriter::applyRetention);
    return true;
}

void LogWriter::append(const QList<CallRecord> &records)
{
    m_queue.push(records);
    if (QThread::currentThread() == thread())
        wake();
    else // a payload-free event: the calls themselves wait in the bounded queue
        QMetaObject::invokeMethod(this, &LogWriter::wake, Qt::QueuedConnection);
}

void LogWriter::wake()
{
    if (m_reconnectTimer->isActive())
        return; // the store is down: the calls wait in the queue until it is back
    if (m_queue.size() >= MaxBatchRows)
        flush();
    else if (!m_commitTimer->isActive() && m_queue.size() > 0)
        m_commitTimer->start(CommitIntervalMs);
}

void LogWriter::stopBy(QDeadlineTimer deadline)
{
    m_deadlineMs = deadline.deadline();
}

bool LogWriter::pastDeadline() const
{
    return QDeadlineTimer::current().deadline() >= m_deadlineMs.load();
}

void LogWriter::setLogConfig(const LogConfig &config)
{
    m_config = config;
}

void LogWriter::markReachable(bool reachable)
{
    LogStats::instance().storeReachable = reachable;
    if (reachable)
        m_reconnectDelayMs = 0;
}

void LogWriter::reconnect()
{
    if (!m_store)
        return;
    QString error;
    if (!m_store->isOpen() && !m_store->open(&error)) {
        m_reconnectDelayMs = std::min(ReconnectMaxMs, std::max(FirstReconnectMs, m_reconnectDelayMs * 2));
        m_reconnectTimer->start(m_reconnectDelayMs);
        return;
    }
    if (!LogStats::instance().storeReachable.load())
        qWarning("switchyard: %s: the request log is reachable again; writing the %lld calls that waited",
                 qPrintable(m_store->name()), static_cast<long long>(m_queue.size()));
    markReachable(true);
    flush();
}

void LogWriter::flush()
{
    m_commitTimer->stop();
    if (!m_store || !m_store->isOpen() || m_reconnectTimer->isActive())
        return;
    QList<CallRecord> batch = m_queue.take(m_store->maxBatchRows());
    if (batch.isEmpty())
        return;
    // Proxy workers hand calls over as they finish, a little out of the order they started in;
    // sessions are grouped turn after turn, so the rows go in by start.
    std::stable_sort(batch.begin(), batch.end(), [](const CallRecord &a, const CallRecord &b) { return a.startedAt < b.startedAt; });
    const auto proceed = [this] {
        if (m_rowDelayUs > 0)
            QThread::usleep(m_rowDelayUs);
        return !pastDeadline();
    };
    LogStore::Outcome outcome = m_store->write(batch, proceed, m_config);
    LogStats &stats = LogStats::instance();
    if (outcome.retry && !pastDeadline()) {
        // Nothing was written: the batch goes back to the front of the queue, bounded as ever.
        m_queue.restore(std::move(batch));
        if (m_store->isOpen()) {
            m_commitTimer->start(ConflictRetryMs);
        } else {
            if (stats.storeReachable.load())
                qWarning("switchyard: %s: the request log cannot be reached (%s); calls wait in the queue (at most %lld)",
                         qPrintable(m_store->name()), qPrintable(outcome.error.trimmed()),
                         static_cast<long long>(LogQueue::Limits().maxRows));
            markReachable(false);
            m_reconnectDelayMs = FirstReconnectMs;
            m_reconnectTimer->start(m_reconnectDelayMs);
        }
        return;
    }
    if (outcome.retry || outcome.failed) {
        const qint64 lost = outcome.written.size() + outcome.notReached + batch.size();
        stats.rowsDropped += lost;
        Q_EMIT failed(QStringLiteral("%1: %2 log rows could not be written: %3").arg(m_store->name()).arg(lost).arg(outcome.error));
        return;
    }
    stats.rowsWritten += outcome.written.size();
    stats.rowsDropped += outcome.notReached;
    if (!outcome.written.isEmpty())
        Q_EMIT written(outcome.written);
    if (outcome.notReached > 0)
        return; // past the deadline: what the cap would delete can wait for the next start
    m_store->afterCommit(m_config);
    if (outcome.written.size() >= MaxBatchRows)
        m_trimTimer->start();
    if (m_queue.size() > 0) // a backlog larger than one transaction: the rest next
        m_commitTimer->start(0);
}

void LogWriter::returnFreedMemory()
{
    // Under a burst the proxy can finish calls faster than they are written; the records
    // waiting here (a few KB each) are freed once written, but glibc keeps the pages they
    // used. Give them back when the burst is over, or the process stays at its peak.
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void LogWriter::applyRetention()
{
    if (!m_store || !m_store->isOpen())
        return;
    flush();
    if (m_store->isOpen())
        m_store->applyRetention(m_config, QDateTime::currentMSecsSinceEpoch());
}

void LogWriter::close()
{
    if (!m_store)
        return;
    if (m_deadlineMs.load() == QDeadlineTimer(QDeadlineTimer::Forever).deadline())
        stopBy(QDeadlineTimer(ExitBudgetMs));
    const quint64 droppedBefore = LogStats::instance().rowsDropped;
    m_reconnectTimer->stop();
    // A backlog larger than one transaction: as many as the deadline allows.
    while (m_store->isOpen() && m_queue.size() > 0 && !pastDeadline()) {
        const qint64 before = m_queue.size();
        flush();
        if (m_queue.size() >= before)
            break; // nothing moved (the store went away): what waits is lost
    }
    m_queue.dropAll(); // what arrived after the deadline, or could not be written
    const quint64 dropped = LogStats::instance().rowsDropped - droppedBefore;
    m_retentionTimer->stop();
    if (dropped > 0) {
        qWarning("switchyard: %s: %llu calls not committed within the exit deadline were not logged",
                 qPrintable(m_store->name()), static_cast<unsigned long long>(dropped));
    }
    m_store->close(m_deadlineMs.load() - QDeadlineTimer::current().deadline() < CheckpointReserveMs);
    m_store.reset();
}

} // namespace Switchyard
