// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/StatsCsvWriter.h"
#include <QDateTime>
#include <QSaveFile>
#include <algorithm>

namespace Switchyard {

namespace {

QByteArray field(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    return '"' + utf8.replace('"', "\"\"") + '"';
}

QByteArray utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toLatin1();
}

QByteArray milliseconds(std::optional<double> ms)
{
    return ms ? QByteArray::number(*ms, 'f', 1) : QByteArray();
}

} // namespace

QByteArray StatsCsvWriter::toCsv(const QList<StatsRow> &rows, const StatsQuery &query)
{
    const qint64 bucketMs = query.byDay ? 24 * 3600000 : 3600000;
    QList<StatsRow> sorted = rows;
    std::stable_sort(sorted.begin(), sorted.end(), [](const StatsRow &a, const StatsRow &b) {
        return a.bucketStartMs != b.bucketStartMs ? a.bucketStartMs < b.bucketStartMs : a.group < b.group;
    });
    QByteArray csv = "bucket_start_utc,bucket_end_utc," + field(query.by)
                     + ",requests,errors,prompt_tokens,completion_tokens,cached_tokens,cost_usd,unpriced,p50_ms,p95_ms\n";
    for (const StatsRow &row : std::as_const(sorted)) {
        const QList<QByteArray> fields{utc(row.bucketStartMs), utc(row.bucketStartMs + bucketMs), field(row.group),
                                       QByteArray::number(row.requests), QByteArray::number(row.errors),
                                       QByteArray::number(row.promptTokens), QByteArray::number(row.completionTokens),
                                       QByteArray::number(row.cachedTokens), QByteArray::number(row.costUsd, 'f', 6),
                                       QByteArray::number(row.unpriced), milliseconds(row.p50Ms), milliseconds(row.p95Ms)};
        csv += fields.join(',') + '\n';
    }
    return csv;
}

Result<bool> StatsCsvWriter::write(const QString &path, const QList<StatsRow> &rows, const StatsQuery &query)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    file.write(toCsv(rows, query));
    if (!file.commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    return true;
}

} // namespace Switchyard
