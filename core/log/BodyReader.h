// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

class QSqlDatabase;
struct sqlite3;

namespace Switchyard {

// The readers' side of content-addressed bodies (see BodyStore): rebuilds a body's exact bytes
// from its recipe, and finds bodies holding a text. Every query that returns bodies goes
// through load(). Works on a SQLite file (straight on its handle) and on PostgreSQL (through
// QtSql). Use on the thread that owns the connection.
class BodyReader final
{
public:
    // The body `recipe` describes, or nullopt when a segment is missing or damaged.
    static std::optional<QByteArray> load(const QSqlDatabase &db, const QByteArray &recipe);
    // A body's bytes: from its recipe when it has one, else the column of a file written before
    // schema 3 (`legacy`).
    static QByteArray loadOr(const QSqlDatabase &db, const QByteArray &recipe, const QByteArray &legacy);

    // Adds body_refers(recipe, segment_ids, text): 1 when the recipe uses one of the segments
    // (a blob of sorted 64-bit ids, as matchingSegments() returns) or has `text` inline.
    static bool registerFunctions(sqlite3 *db);
    // The ids of the segments whose text contains `text`, as the blob body_refers() takes.
    static std::optional<QByteArray> matchingSegments(const QSqlDatabase &db, const QByteArray &text, QString *error);
    // PostgreSQL has no body_refers(): the ids of the requests whose bodies body_refers() would
    // find, from a scan of their recipes here.
    static std::optional<QStringList> matchingRequests(const QSqlDatabase &db, const QByteArray &segmentIds,
                                                       const QByteArray &text, QString *error);
};

} // namespace Switchyard
