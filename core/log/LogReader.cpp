// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogReader.h"
#include "core/log/LogRemote.h"
#include <QList>

namespace Switchyard {

// Owns the queries (and so the read connection, or the remote) on the reader thread.
class LogReader::Worker final : public QObject
{
public:
    explicit Worker(const QString &path) : m_path(path) {}
    explicit Worker(std::function<std::shared_ptr<LogRemote>()> makeRemote) : m_makeRemote(std::move(makeRemote)) {}

    LogQueries &queries()
    {
        if (!m_queries) {
            m_queries = m_makeRemote ? std::make_unique<LogQueries>(remote())
                                     : std::make_unique<LogQueries>(m_path, QStringLiteral("log-reader-%1").arg(quintptr(this), 0, 16));
        }
        return *m_queries;
    }
    BaselineStore &baselines()
    {
        if (!m_baselines) {
            m_baselines = m_makeRemote ? std::make_unique<BaselineStore>(remote())
                                       : std::make_unique<BaselineStore>(m_path, QStringLiteral("log-baselines-%1").arg(quintptr(this), 0, 16));
        }
        return *m_baselines;
    }

    // Runs `job` now, or after the job under way: a remote call waits in an event loop of
    // this thread, which hands it the jobs posted meanwhile. So jobs run one at a time, in
    // order. Once the reader is going away, the rest are dropped and the thread ends.
    void run(std::function<void()> job)
    {
        m_pending.append(std::move(job));
        if (m_running)
            return;
        m_running = true;
        QThread *thread = QThread::currentThread();
        while (!m_pending.isEmpty() && !thread->isInterruptionRequested())
            m_pending.takeFirst()();
        m_running = false;
        if (thread->isInterruptionRequested())
            thread->quit();
    }

private:
    std::shared_ptr<LogRemote> remote()
    {
        if (!m_remote)
            m_remote = m_makeRemote();
        return m_remote;
    }

    QString m_path;
    std::function<std::shared_ptr<LogRemote>()> m_makeRemote;
    std::shared_ptr<LogRemote> m_remote;
    std::unique_ptr<LogQueries> m_queries;
    std::unique_ptr<BaselineStore> m_baselines;
    QList<std::function<void()>> m_pending;
    bool m_running = false;
};

LogReader::LogReader(const QString &path, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(path))
{
    start();
}

LogReader::LogReader(std::function<std::shared_ptr<LogRemote>()> makeRemote, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(std::move(makeRemote)))
{
    start();
}

void LogReader::start()
{
    m_thread.setObjectName(QStringLiteral("log-reader"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

LogReader::~LogReader()
{
    // Not QThread::quit() from here: it would also end the event loop a remote call waits in.
    // The job under way finishes (a remote call within AdminClient's timeout); then the
    // worker ends the thread.
    m_thread.requestInterruption();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker] { worker->run([] {}); }, Qt::QueuedConnection);
    m_thread.wait();
}

void LogReader::post(std::function<void(LogQueries &)> job)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, job = std::move(job)] { worker->run([worker, job] { job(worker->queries()); }); }, Qt::QueuedConnection);
}

void LogReader::postEdit(std::function<void(LogQueries &, BaselineStore &)> job)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, job = std::move(job)] { worker->run([worker, job] { job(worker->queries(), worker->baselines()); }); },
        Qt::QueuedConnection);
}

} // namespace Switchyard
