// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>

namespace Switchyard {

// Runs LogQueries on its own "log-reader" thread, so neither the GUI nor the proxy ever
// waits on SQLite. A query's result comes back by value on the thread of a context object,
// and is dropped if that object is gone by then.
class LogReader final : public QObject
{
    Q_OBJECT
public:
    explicit LogReader(const QString &path, QObject *parent = nullptr);
    ~LogReader() override;

    template <typename R>
    void query(QObject *context, std::function<R(LogQueries &)> work, std::function<void(const R &)> done)
    {
        QPointer<QObject> target(context);
        post([target, work = std::move(work), done = std::move(done)](LogQueries &queries) {
            R result = work(queries);
            if (target)
                QMetaObject::invokeMethod(target, [done, result] { done(result); }, Qt::QueuedConnection);
        });
    }

private:
    void post(std::function<void(LogQueries &)> job);

    class Worker;
    QThread m_thread;
    Worker *m_worker;
};

} // namespace Switchyard
