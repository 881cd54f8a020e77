// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/SqliteStatement.h"
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>
#include <sqlite3.h>

namespace Switchyard {

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

sqlite3 *SqliteStatement::handleOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

bool SqliteStatement::prepare(sqlite3 *db, const QString &sql)
{
    sqlite3_finalize(m_statement);
    m_statement = nullptr;
    m_db = db;
    if (!db) {
        m_error = QStringLiteral("not an open SQLite connection");
        return false;
    }
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr)
        == SQLITE_OK)
        return true;
    m_error = QString::fromUtf8(sqlite3_errmsg(db));
    return false;
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index + 1, value);
}

void SqliteStatement::bind(int index, double value)
{
    sqlite3_bind_double(m_statement, index + 1, value);
}

void SqliteStatement::bind(int index, const QString &value)
{
    if (value.isNull())
        sqlite3_bind_null(m_statement, index + 1);
    else
        sqlite3_bind_text16(m_statement, index + 1, value.utf16(), int(value.size() * 2), SQLITE_TRANSIENT);
}

void SqliteStatement::bind(int index, const QByteArray &value)
{
    if (value.isNull())
        sqlite3_bind_null(m_statement, index + 1);
    else
        sqlite3_bind_blob(m_statement, index + 1, value.constData(), int(value.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bind(int index, const std::optional<qint64> &value)
{
    if (value)
        bind(index, *value);
    else
        bindNull(index);
}

void SqliteStatement::bind(int index, const std::optional<double> &value)
{
    if (value)
        bind(index, *value);
    else
        bindNull(index);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index + 1);
}

bool SqliteStatement::exec()
{
    if (!m_statement)
        return false;
    const int rc = sqlite3_step(m_statement);
    const bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (!ok)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return ok;
}

bool SqliteStatement::next()
{
    if (!m_statement)
        return false;
    const int rc = sqlite3_step(m_statement);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    return rc == SQLITE_ROW;
}

qint64 SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QByteArray SqliteStatement::columnBlob(int column) const
{
    const void *data = sqlite3_column_blob(m_statement, column);
    const int size = sqlite3_column_bytes(m_statement, column);
    return data ? QByteArray(static_cast<const char *>(data), size) : QByteArray();
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

QString SqliteStatement::error() const
{
    return m_error;
}

} // namespace Switchyard
