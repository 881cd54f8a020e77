// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/BodyReader.h"
#include "core/log/BodyCodec.h"
#include "core/log/BodyRecipe.h"
#include "core/log/SqliteStatement.h"
#include <QList>
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

// body_refers(recipe, sorted ids, text)
void bodyRefers(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QByteArrayView recipeBlob = blobArg(argv[0]);
    if (recipeBlob.isEmpty()) {
        sqlite3_result_int(context, 0);
        return;
    }
    const std::optional<BodyRecipe> recipe = BodyRecipe::decode(recipeBlob.toByteArray());
    const QByteArrayView idBlob = blobArg(argv[1]);
    const auto *ids = reinterpret_cast<const qint64 *>(idBlob.data());
    const qsizetype idCount = idBlob.size() / qsizetype(sizeof(qint64));
    const QByteArrayView text = blobArg(argv[2]);
    bool found = false;
    for (qsizetype i = 0; recipe && !found && i < recipe->pieces.size(); ++i) {
        const BodyRecipe::Piece &p = recipe->pieces.at(i);
        found = p.segmentId > 0 ? std::binary_search(ids, ids + idCount, p.segmentId) : p.bytes.contains(text);
    }
    sqlite3_result_int(context, found ? 1 : 0);
}

} // namespace

std::optional<QByteArray> BodyReader::load(sqlite3 *db, const QByteArray &recipeBlob)
{
    const std::optional<BodyRecipe> recipe = BodyRecipe::decode(recipeBlob);
    if (!recipe)
        return std::nullopt;
    SqliteStatement segment;
    if (!segment.prepare(db, QStringLiteral("SELECT encoding, size, data FROM segments WHERE id = ?")))
        return std::nullopt;
    QByteArray body;
    body.reserve(recipe->length);
    for (const BodyRecipe::Piece &p : recipe->pieces) {
        if (p.segmentId == 0) {
            body += p.bytes;
            continue;
        }
        segment.bind(0, p.segmentId);
        std::optional<QByteArray> bytes;
        if (segment.next())
            bytes = BodyCodec::decompress(encodingOf(segment.columnInt(0)), segment.columnBlob(2), segment.columnInt(1));
        segment.reset();
        if (!bytes)
            return std::nullopt;
        body += *bytes;
    }
    if (body.size() != recipe->length)
        return std::nullopt;
    return body;
}

QByteArray BodyReader::loadOr(sqlite3 *db, const QByteArray &recipe, const QByteArray &legacy)
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

std::optional<QByteArray> BodyReader::matchingSegments(sqlite3 *db, const QByteArray &text, QString *error)
{
    SqliteStatement q;
    if (!q.prepare(db, QStringLiteral("SELECT id FROM segments WHERE segment_contains(encoding, size, data, ?)"))) {
        *error = q.error();
        return std::nullopt;
    }
    q.bind(0, text);
    QList<qint64> ids;
    while (q.next())
        ids.append(q.columnInt(0));
    if (!q.error().isEmpty()) { // a scan cut short would find fewer requests, silently
        *error = q.error();
        return std::nullopt;
    }
    q.reset();
    std::sort(ids.begin(), ids.end());
    return QByteArray(reinterpret_cast<const char *>(ids.constData()), ids.size() * qsizetype(sizeof(qint64)));
}

} // namespace Switchyard
