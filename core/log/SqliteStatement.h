// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QString>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;
class QSqlDatabase;

namespace Switchyard {

// A prepared statement run straight on the SQLite handle beneath a QSqlDatabase, for the
// log writer's inserts. QtSql's positional bindValue() formats a placeholder name and looks
// it up in a hash for every value; at about forty values a row that was half of the
// writer's time. Values bind as QSQLITE binds them: a null QString or QByteArray as NULL,
// QString as text, QByteArray as a blob. Use on the thread that owns the connection, and
// destroy before the connection closes.
class SqliteStatement final
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // The handle of an open QSQLITE connection, or nullptr.
    static sqlite3 *handleOf(const QSqlDatabase &db);

    bool prepare(sqlite3 *db, const QString &sql);
    // Parameters are numbered from 0, as with QSqlQuery::bindValue.
    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, qint64(value)); }
    void bind(int index, double value);
    void bind(int index, const QString &value);
    void bind(int index, const QByteArray &value);
    void bind(int index, const std::optional<qint64> &value);
    void bind(int index, const std::optional<double> &value);
    void bindNull(int index);
    // Binds the values to parameters 0, 1, 2, … in order.
    template <typename... Values>
    void bindAll(const Values &...values)
    {
        int index = 0;
        (bind(index++, values), ...);
    }
    // Runs the statement, then resets it for the next row. On failure, error() says why.
    bool exec();
    // For queries: true while a row is there to read with column*(); reset() ends the query.
    bool next();
    qint64 columnInt(int column) const;
    QByteArray columnBlob(int column) const;
    void reset();
    QString error() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

} // namespace Switchyard
