// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogReader.h"

namespace Switchyard {

// Owns the queries (and so the read connection) on the reader thread.
class LogReader::Worker final : public QObject
{
public:
    explicit Worker(const QString &path) : m_path(path) {}
    LogQueries &queries()
    {
        if (!m_queries)
            m_queries = std::make_unique<LogQueries>(m_path, QStringLiteral("log-reader-%1").arg(quintptr(this), 0, 16));
        return *m_queries;
    }
    BaselineStore &baselines()
    {
        if (!m_baselines)
            m_baselines = std::make_unique<BaselineStore>(m_path, QStringLiteral("log-baselines-%1").arg(quintptr(this), 0, 16));
        return *m_baselines;
    }

private:
    QString m_path;
    std::unique_ptr<LogQueries> m_queries;
    std::unique_ptr<BaselineStore> m_baselines;
};

LogReader::LogReader(const QString &path, QObject *parent)
    : QObject(parent)
    , m_worker(new Worker(path))
{
    m_thread.setObjectName(QStringLiteral("log-reader"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

LogReader::~LogReader()
{
    m_thread.quit();
    m_thread.wait();
}

void LogReader::post(std::function<void(LogQueries &)> job)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, job = std::move(job)] { job(worker->queries()); }, Qt::QueuedConnection);
}

void LogReader::postEdit(std::function<void(LogQueries &, BaselineStore &)> job)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, job = std::move(job)] { job(worker->queries(), worker->baselines()); }, Qt::QueuedConnection);
}

} // namespace Switchyard
