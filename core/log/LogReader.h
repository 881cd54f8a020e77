// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/BaselineStore.h"
#include "core/log/LogQueries.h"
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>

namespace Switchyard {

class LogRemote;

// Runs LogQueries on its own "log-reader" thread, so neither the GUI nor the proxy ever
// waits on SQLite. A query's result comes back by value on the thread of a context object,
// and is dropped if that object is gone by then. Jobs run one at a time, in the order given.
class LogReader final : public QObject
{
    Q_OBJECT
public:
    explicit LogReader(const QString &path, QObject *parent = nullptr);
    // Reads another Switchyard's log instead of a file: `makeRemote` is called once, on the
    // reader thread, and LogQueries and BaselineStore ask what it makes (a window attached
    // to a remote gateway). Its blocking calls wait there, never on the caller's thread.
    explicit LogReader(std::function<std::shared_ptr<LogRemote>()> makeRemote, QObject *parent = nullptr);
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

    // The same, for work that also writes baselines and evaluation reports (BaselineStore,
    // on a read-write connection of its own, opened on first use).
    template <typename R>
    void edit(QObject *context, std::function<R(LogQueries &, BaselineStore &)> work, std::function<void(const R &)> done)
    {
        QPointer<QObject> target(context);
        postEdit([target, work = std::move(work), done = std::move(done)](LogQueries &queries, BaselineStore &store) {
            R result = work(queries, store);
            if (target)
                QMetaObject::invokeMethod(target, [done, result] { done(result); }, Qt::QueuedConnection);
        });
    }

private:
    void start();
    void post(std::function<void(LogQueries &)> job);
    void postEdit(std::function<void(LogQueries &, BaselineStore &)> job);

    class Worker;
    QThread m_thread;
    Worker *m_worker;
};

} // namespace Switchyard
