// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/failures/FailureRequestsModel.h"
#include "core/cli/RequestTable.h"
#include "core/log/LogReader.h"
#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>

namespace Switchyard {

namespace {

QString timeText(const QDateTime &startedAt)
{
    const QDateTime local = startedAt.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return QLocale::c().toString(local, QStringLiteral("d MMM HH:mm:ss")); // the full date is in the tooltip
}

QString clientText(const CallRecord &r)
{
    if (!r.clientProcess.isEmpty())
        return QFileInfo(r.clientProcess).fileName();
    return r.client.isEmpty() ? QStringLiteral("—") : r.client;
}

} // namespace

FailureRequestsModel::FailureRequestsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int FailureRequestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int FailureRequestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureRequestsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CallRecord &r = m_records.at(index.row());
    const auto column = Column(index.column());
    if (role == IdRole)
        return r.id;
    if (role == SortRole) {
        switch (column) {
        case TimeColumn: return r.startedAt.toMSecsSinceEpoch();
        case StatusColumn: return r.status;
        case ModelColumn: return r.model;
        case AttemptsColumn: return int(r.attempts.size());
        case DurationColumn: return r.durationMs;
        case ClientColumn: return clientText(r);
        case MessageColumn: return r.errorMessage;
        case ColumnCount: break;
        }
    } else if (role == Qt::DisplayRole) {
        switch (column) {
        case TimeColumn: return timeText(r.startedAt);
        case StatusColumn: return r.status ? QString::number(r.status) : QStringLiteral("—");
        case ModelColumn: return r.model.isEmpty() ? r.requestedModel : r.model;
        case AttemptsColumn: return QString::number(r.attempts.size());
        case DurationColumn: return RequestTable::duration(QJsonObject{{QStringLiteral("duration_ms"), r.durationMs}});
        case ClientColumn: return clientText(r);
        case MessageColumn: return r.errorMessage.simplified();
        case ColumnCount: break;
        }
    } else if (role == Qt::ToolTipRole) {
        if (column == TimeColumn)
            return QStringLiteral("%1\n%2").arg(r.id, QLocale().toString(r.startedAt.toLocalTime(), QLocale::LongFormat));
        if (column == ModelColumn)
            return tr("Asked for %1").arg(r.requestedModel);
        if (column == MessageColumn || column == ClientColumn)
            return column == MessageColumn ? r.errorMessage : r.client;
    } else if (role == Qt::TextAlignmentRole && (column == StatusColumn || column == AttemptsColumn || column == DurationColumn)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant FailureRequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && (section == StatusColumn || section == AttemptsColumn || section == DurationColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn: return tr("Time");
    case StatusColumn: return tr("Status");
    case ModelColumn: return tr("Model");
    case AttemptsColumn: return tr("Attempts");
    case DurationColumn: return tr("Duration");
    case ClientColumn: return tr("Client");
    case MessageColumn: return tr("Message");
    case ColumnCount: break;
    }
    return {};
}

int FailureRequestsModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).id == id)
            return row;
    }
    return -1;
}

QStringList FailureRequestsModel::ids() const
{
    QStringList ids;
    ids.reserve(m_records.size());
    for (const CallRecord &r : m_records)
        ids << r.id;
    return ids;
}

void FailureRequestsModel::load(LogReader *reader, const FailureKey &key, qint64 sinceMs)
{
    const quint64 job = ++m_job;
    m_key = key;
    m_hasKey = true;
    m_sinceMs = sinceMs;
    m_loading = true;
    reader->query<Page>(
        this, [key, sinceMs](LogQueries &queries) { return scan(queries, key, sinceMs); },
        [this, job](const Page &page) {
            if (job != m_job)
                return; // another group was chosen meanwhile
            beginResetModel();
            m_records = page.records;
            m_truncated = page.truncated;
            m_error = page.error;
            m_loading = false;
            endResetModel();
            Q_EMIT loaded();
        });
}

// On the log-reader thread: the SQL filter narrows by provider and alias, the error class
// (and an empty alias or provider, which the filter reads as "any") is matched here.
FailureRequestsModel::Page FailureRequestsModel::scan(LogQueries &queries, const FailureKey &key, qint64 sinceMs)
{
    Page page;
    RequestFilter filter;
    filter.ok = false;
    filter.evaluations = false; // an evaluation's failures are its own report's, not the gateway's
    filter.provider = key.provider;
    filter.alias = key.alias;
    if (sinceMs > 0)
        filter.sinceMs = sinceMs;
    while (filter.offset < FailureGroupsModel::MaxScannedFailures) {
        filter.limit = FailureGroupsModel::PageSize;
        const Result<QList<CallRecord>> batch = queries.requests(filter);
        if (!batch) {
            page.error = batch.error().message;
            break;
        }
        for (const CallRecord &record : batch.value()) {
            if (!key.matches(record))
                continue;
            if (page.records.size() == MaxRows) {
                page.truncated = true;
                return page;
            }
            page.records.append(record);
        }
        filter.offset += int(batch.value().size());
        if (batch.value().size() < filter.limit)
            break;
    }
    return page;
}

void FailureRequestsModel::clear()
{
    ++m_job;
    m_hasKey = false;
    m_loading = false;
    beginResetModel();
    m_records.clear();
    m_truncated = false;
    m_error.clear();
    endResetModel();
}

void FailureRequestsModel::addCalls(const QList<CallRecord> &records)
{
    if (!m_hasKey || m_loading)
        return; // a load in progress finds them in the log once the writer has committed them
    QList<CallRecord> matching;
    for (const CallRecord &record : records) {
        if (m_key.matches(record) && record.startedAt.toMSecsSinceEpoch() >= m_sinceMs)
            matching.prepend(record); // batches arrive oldest first; rows are newest first
    }
    if (matching.isEmpty())
        return;
    beginInsertRows(QModelIndex(), 0, int(matching.size()) - 1);
    m_records = matching + m_records;
    endInsertRows();
}

} // namespace Switchyard
