// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/SqlProbe.h"
#include <QSqlDatabase>
#include <QSqlQuery>
#include <atomic>

namespace Switchyard::Test {

QVariant sqlValue(const QString &path, const QString &sql)
{
    static std::atomic<int> serial{0};
    const QString name = QStringLiteral("sql-probe-%1").arg(serial++);
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

} // namespace Switchyard::Test
