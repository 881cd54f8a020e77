// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include "core/sessions/SessionGrouper.h"
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>
#include <optional>

namespace Switchyard {

// A batch's requests, attempts and bodies into PostgreSQL (PostgresLogStore), in multi-row
// inserts: a round trip per row was most of the writer's time. A request already there (a
// batch whose commit was cut off, written again) is skipped with its attempts and bodies.
// Use inside the writer's transaction, on its thread.
class PostgresRows final
{
public:
    // A row made ready outside the transaction: its session, and its bodies stored as segments.
    struct Row
    {
        const CallRecord *record = nullptr;
        std::optional<SessionGrouper::Assignment> session;
        QList<QByteArray> attemptRecipes;
        QByteArray requestRecipe;
        QByteArray responseRecipe;
        bool requestCut = false;
        bool responseCut = false;
    };

    explicit PostgresRows(const QString &connectionName);
    // `fresh` gets the ids of the requests inserted now. On failure, error() says why.
    bool insert(const QList<Row> &rows, QSet<QString> *fresh);
    QSqlError error() const { return m_error; }

private:
    // INSERT INTO table (columns) VALUES (…),(…) tail, in statements of RowsPerStatement rows;
    // `returned` gets the first column of what a RETURNING tail gives back.
    bool insertMany(const QString &table, const QString &columns, const QList<QVariantList> &rows, const QString &tail,
                    QStringList *returned = nullptr);
    bool fail(const QSqlError &error);

    QString m_connectionName;
    QHash<QString, QSqlQuery> m_fullInserts; // by table: the insert of RowsPerStatement rows, prepared
    QSqlError m_error;
};

} // namespace Switchyard
