// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyReader.h"
#include "core/log/BodyCodec.h"
#include "core/log/BodyRecipe.h"
#include "core/log/LogDatabase.h"
#include "core/log/SqliteStatement.h"
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <sqlite3.h>

namespace Switchyard {

namespace {

BodyCodec::Encoding encodingOf(qint64 value)
{
    return value == 1 ? BodyCodec::Encoding::Zstd : BodyCodec::Encoding::Raw;
}

QByteArrayView blobArg(sqlite3_value *value)
{
    const void *data = sqlite3_value_blob(value);
    return data ? QByteArrayView(static_cast<const char *>(data), sqlite3_value_bytes(value)) : QByteArrayView();
}

// segment_contains(encoding, size, data, text)
void segmentContains(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QByteArrayView text = blobArg(argv[3]);
    const std::optional<QByteArray> bytes =
        BodyCodec::decompress(encodingOf(sqlite3_value_int64(argv[0])), blobArg(argv[2]), sqlite3_value_int64(argv[1]));
    sqlite3_result_int(context, bytes && !text.isEmpty() && bytes->contains(text) ? 1 : 0);
}

// Whether the body of `recipeBlob` uses one of the sorted segment ids or has `text` inline.
bool recipeRefers(QByteArrayView recipeBlob, QByteArrayView idBlob, QByteArrayView text)
{
    if (recipeBlob.isEmpty())
        return false;
    const std::optional<BodyRecipe> recipe = BodyRecipe::decode(recipeBlob.toByteArray());
    const auto *ids = reinterpret_cast<const qint64 *>(idBlob.data());
    const qsizetype idCount = idBlob.size() / qsizetype(sizeof(qint64));
    bool found = false;
    for (qsizetype i = 0; recipe && !found && i < recipe->pieces.size(); ++i) {
        const BodyRecipe::Piece &p = recipe->pieces.at(i);
        found = p.segmentId > 0 ? std::binary_search(ids, ids + idCount, p.segmentId) : p.bytes.contains(text);
    }
    return found;
}

// body_refers(recipe, sorted ids, text)
void bodyRefers(sqlite3_context *context, int, sqlite3_value **argv)
{
    sqlite3_result_int(context, recipeRefers(blobArg(argv[0]), blobArg(argv[1]), blobArg(argv[2])) ? 1 : 0);
}

QByteArray sortedIdBlob(QList<qint64> &ids)
{
    std::sort(ids.begin(), ids.end());
    return QByteArray(reinterpret_cast<const char *>(ids.constData()), ids.size() * qsizetype(sizeof(qint64)));
}

// A segment's bytes through QtSql (PostgreSQL), or nullopt.
std::optional<QByteArray> segmentOf(QSqlQuery &segment, qint64 id)
{
    segment.bindValue(0, id);
    if (!segment.exec() || !segment.next())
        return std::nullopt;
    return BodyCodec::decompress(encodingOf(segment.value(0).toLongLong()), segment.value(2).toByteArray(),
                                 segment.value(1).toLongLong());
}

} // namespace

std::optional<QByteArray> BodyReader::load(const QSqlDatabase &db, const QByteArray &recipeBlob)
{
    const std::optional<BodyRecipe> recipe = BodyRecipe::decode(recipeBlob);
    if (!recipe)
        return std::nullopt;
    const QString sql = QStringLiteral("SELECT encoding, size, data FROM segments WHERE id = ?");
    const bool postgres = LogDatabase::isPostgres(db);
    SqliteStatement segment;
    std::optional<QSqlQuery> pgSegment;
    if (postgres)
        pgSegment.emplace(db);
    if (postgres ? !pgSegment->prepare(sql) : !segment.prepare(SqliteStatement::handleOf(db), sql))
        return std::nullopt;
    QByteArray body;
    body.reserve(recipe->length);
    for (const BodyRecipe::Piece &p : recipe->pieces) {
        if (p.segmentId == 0) {
            body += p.bytes;
            continue;
        }
        std::optional<QByteArray> bytes;
        if (postgres) {
            bytes = segmentOf(*pgSegment, p.segmentId);
        } else {
            segment.bind(0, p.segmentId);
            if (segment.next())
                bytes = BodyCodec::decompress(encodingOf(segment.columnInt(0)), segment.columnBlob(2), segment.columnInt(1));
            segment.reset();
        }
        if (!bytes)
            return std::nullopt;
        body += *bytes;
    }
    if (body.size() != recipe->length)
        return std::nullopt;
    return body;
}

QByteArray BodyReader::loadOr(const QSqlDatabase &db, const QByteArray &recipe, const QByteArray &legacy)
{
    if (recipe.isEmpty())
        return legacy;
    return load(db, recipe).value_or(QByteArray());
}

bool BodyReader::registerFunctions(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    return sqlite3_create_function(db, "segment_contains", 4, flags, nullptr, segmentContains, nullptr, nullptr) == SQLITE_OK
        && sqlite3_create_function(db, "body_refers", 3, flags, nullptr, bodyRefers, nullptr, nullptr) == SQLITE_OK;
}

std::optional<QByteArray> BodyReader::matchingSegments(const QSqlDatabase &db, const QByteArray &text, QString *error)
{
    QList<qint64> ids;
    if (LogDatabase::isPostgres(db)) {
        // No segment_contains() there: each segment is read and looked through here.
        QSqlQuery scan(db);
        scan.setForwardOnly(true);
        if (!scan.exec(QStringLiteral("SELECT id, encoding, size, data FROM segments"))) {
            *error = scan.lastError().text();
            return std::nullopt;
        }
        while (scan.next()) {
            const std::optional<QByteArray> bytes = BodyCodec::decompress(
                encodingOf(scan.value(1).toLongLong()), scan.value(3).toByteArray(), scan.value(2).toLongLong());
            if (bytes && bytes->contains(text))
                ids.append(scan.value(0).toLongLong());
        }
        return sortedIdBlob(ids);
    }
    SqliteStatement q;
    if (!q.prepare(SqliteStatement::handleOf(db), QStringLiteral("SELECT id FROM segments WHERE segment_contains(encoding, size, data, ?)"))) {
        *error = q.error();
        return std::nullopt;
    }
    q.bind(0, text);
    while (q.next())
        ids.append(q.columnInt(0));
    if (!q.error().isEmpty()) { // a scan cut short would find fewer requests, silently
        *error = q.error();
        return std::nullopt;
    }
    q.reset();
    return sortedIdBlob(ids);
}

std::optional<QStringList> BodyReader::matchingRequests(const QSqlDatabase &db, const QByteArray &segmentIds,
                                                        const QByteArray &text, QString *error)
{
    QSqlQuery scan(db);
    scan.setForwardOnly(true);
    if (!scan.exec(QStringLiteral("SELECT request_id, request_recipe, response_recipe FROM bodies"
                                  " WHERE request_recipe IS NOT NULL OR response_recipe IS NOT NULL"))) {
        *error = scan.lastError().text();
        return std::nullopt;
    }
    QStringList ids;
    while (scan.next()) {
        if (recipeRefers(scan.value(1).toByteArray(), segmentIds, text) || recipeRefers(scan.value(2).toByteArray(), segmentIds, text))
            ids << scan.value(0).toString();
    }
    return ids;
}

} // namespace Switchyard
