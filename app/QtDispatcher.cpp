// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/QtDispatcher.h"
#include <QSemaphore>
#include <QThread>

namespace Switchyard {

void startWithQtDispatcher(QThread *thread)
{
    if (qEnvironmentVariableIsSet("QT_NO_GLIB")) { // already the choice for every thread
        thread->start();
        return;
    }
    QSemaphore dispatcherMade;
    // started() is emitted on the new thread once its dispatcher exists.
    const QMetaObject::Connection connection = QObject::connect(
        thread, &QThread::started, thread, [&dispatcherMade] { dispatcherMade.release(); }, Qt::DirectConnection);
    qputenv("QT_NO_GLIB", "1");
    thread->start();
    dispatcherMade.acquire();
    qunsetenv("QT_NO_GLIB");
    QObject::disconnect(connection);
}

} // namespace Switchyard
