// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/failures/FailureGroupsModel.h"
#include "core/log/LogReader.h"
#include <QDateTime>
#include <QLocale>
#include <algorithm>

namespace Switchyard {

namespace {

constexpr int AgeRefreshMs = 30000;

bool newerFirst(const FailureGroup &a, const FailureGroup &b)
{
    if (a.lastSeenMs != b.lastSeenMs)
        return a.lastSeenMs > b.lastSeenMs;
    return a.count > b.count;
}

void absorb(FailureGroup &group, qint64 ms)
{
    ++group.count;
    group.firstSeenMs = qMin(group.firstSeenMs, ms);
    group.lastSeenMs = qMax(group.lastSeenMs, ms);
}

} // namespace

FailureGroupsModel::FailureGroupsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_ageTimer.setInterval(AgeRefreshMs);
    connect(&m_ageTimer, &QTimer::timeout, this, &FailureGroupsModel::refreshAges);
    m_ageTimer.start();
}

int FailureGroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int FailureGroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureGroupsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FailureGroup &g = m_groups.at(index.row());
    const auto column = Column(index.column());
    if (role == SortRole) {
        switch (column) {
        case ErrorClassColumn: return errorClassName(g.key.errorClass);
        case ProviderColumn: return g.key.provider;
        case AliasColumn: return g.key.alias;
        case CountColumn: return g.count;
        case FirstSeenColumn: return g.firstSeenMs;
        case LastSeenColumn: return g.lastSeenMs;
        case ColumnCount: break;
        }
    } else if (role == Qt::DisplayRole) {
        switch (column) {
        case ErrorClassColumn: return errorClassName(g.key.errorClass);
        case ProviderColumn: return g.key.provider.isEmpty() ? tr("(none)") : g.key.provider;
        case AliasColumn: return g.key.alias.isEmpty() ? tr("(direct)") : g.key.alias;
        case CountColumn: return QLocale().toString(g.count);
        case FirstSeenColumn: return relativeAge(g.firstSeenMs, QDateTime::currentMSecsSinceEpoch());
        case LastSeenColumn: return relativeAge(g.lastSeenMs, QDateTime::currentMSecsSinceEpoch());
        case ColumnCount: break;
        }
    } else if (role == Qt::ToolTipRole && (column == FirstSeenColumn || column == LastSeenColumn)) {
        const qint64 ms = column == FirstSeenColumn ? g.firstSeenMs : g.lastSeenMs;
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(), QLocale::LongFormat);
    } else if (role == Qt::TextAlignmentRole && column >= CountColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant FailureGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && section >= CountColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case ErrorClassColumn: return tr("Error class");
    case ProviderColumn: return tr("Provider");
    case AliasColumn: return tr("Alias");
    case CountColumn: return tr("Count");
    case FirstSeenColumn: return tr("First seen");
    case LastSeenColumn: return tr("Last seen");
    case ColumnCount: break;
    }
    return {};
}

void FailureGroupsModel::load(LogReader *reader, qint64 sinceMs)
{
    const quint64 job = ++m_job;
    m_sinceMs = sinceMs;
    m_loading = true;
    m_pendingLive.clear();
    reader->query<Scan>(
        this, [sinceMs](LogQueries &queries) { return scan(queries, sinceMs); },
        [this, job](const Scan &result) {
            if (job == m_job) // a newer load replaced this one
                applyScan(result);
        });
}

// On the log-reader thread: pages through the newest failures and groups them there.
FailureGroupsModel::Scan FailureGroupsModel::scan(LogQueries &queries, qint64 sinceMs)
{
    Scan result;
    RequestFilter filter;
    filter.ok = false;
    filter.evaluations = false; // an evaluation's failures are its own report's, not the gateway's
    if (sinceMs > 0)
        filter.sinceMs = sinceMs;
    QHash<FailureKey, int> rows;
    while (filter.offset < MaxScannedFailures) {
        filter.limit = qMin(PageSize, MaxScannedFailures - filter.offset);
        const Result<QList<CallRecord>> page = queries.requests(filter);
        if (!page) {
            result.error = page.error().message;
            break;
        }
        for (const CallRecord &record : page.value()) {
            count(result.groups, rows, record);
            result.ids.insert(record.id);
        }
        filter.offset += int(page.value().size());
        if (page.value().size() < filter.limit)
            break;
    }
    result.inRange = filter.offset;
    if (filter.offset >= MaxScannedFailures) {
        if (const Result<qint64> all = queries.count(filter))
            result.inRange = all.value();
    }
    std::sort(result.groups.begin(), result.groups.end(), newerFirst);
    return result;
}

void FailureGroupsModel::count(QList<FailureGroup> &groups, QHash<FailureKey, int> &rows, const CallRecord &record)
{
    const FailureKey key = FailureKey::of(record);
    const qint64 ms = record.startedAt.toMSecsSinceEpoch();
    const auto found = rows.constFind(key);
    if (found == rows.constEnd()) {
        rows.insert(key, int(groups.size()));
        groups.append(FailureGroup{key, 1, ms, ms});
        return;
    }
    absorb(groups[*found], ms);
}

void FailureGroupsModel::applyScan(const Scan &result)
{
    beginResetModel();
    m_groups = result.groups;
    m_rows.clear();
    m_failures = 0;
    for (int row = 0; row < m_groups.size(); ++row) {
        m_rows.insert(m_groups.at(row).key, row);
        m_failures += m_groups.at(row).count;
    }
    m_inRange = result.inRange;
    m_error = result.error;
    m_loading = false;
    endResetModel();

    QList<CallRecord> missed;
    for (const CallRecord &record : std::as_const(m_pendingLive)) {
        if (!result.ids.contains(record.id))
            missed.append(record);
    }
    m_pendingLive.clear();
    applyLive(missed);
    Q_EMIT loaded();
    Q_EMIT countsChanged();
}

void FailureGroupsModel::addCalls(const QList<CallRecord> &records)
{
    QList<CallRecord> failures;
    for (const CallRecord &record : records) {
        if (!record.ok && record.startedAt.toMSecsSinceEpoch() >= m_sinceMs)
            failures.append(record);
    }
    if (failures.isEmpty())
        return;
    if (m_loading) {
        m_pendingLive += failures; // counted once the scan is in, unless it saw them
        return;
    }
    applyLive(failures);
    Q_EMIT countsChanged();
}

void FailureGroupsModel::applyLive(const QList<CallRecord> &failures)
{
    if (failures.isEmpty())
        return;
    QList<FailureGroup> added;
    QHash<FailureKey, int> addedRows;
    int firstChanged = int(m_groups.size());
    int lastChanged = -1;
    for (const CallRecord &record : failures) {
        const int row = m_rows.value(FailureKey::of(record), -1);
        if (row < 0) {
            count(added, addedRows, record);
            continue;
        }
        absorb(m_groups[row], record.startedAt.toMSecsSinceEpoch());
        firstChanged = qMin(firstChanged, row);
        lastChanged = qMax(lastChanged, row);
    }
    m_failures += qint64(failures.size());
    m_inRange += qint64(failures.size());
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, CountColumn), index(lastChanged, LastSeenColumn));
    if (added.isEmpty())
        return;
    std::sort(added.begin(), added.end(), newerFirst);
    beginInsertRows(QModelIndex(), 0, int(added.size()) - 1);
    m_groups = added + m_groups;
    m_rows.clear();
    for (int row = 0; row < m_groups.size(); ++row)
        m_rows.insert(m_groups.at(row).key, row);
    endInsertRows();
}

void FailureGroupsModel::refreshAges()
{
    if (!m_groups.isEmpty())
        Q_EMIT dataChanged(index(0, FirstSeenColumn), index(rowCount() - 1, LastSeenColumn), {Qt::DisplayRole});
}

QString FailureGroupsModel::relativeAge(qint64 thenMs, qint64 nowMs)
{
    constexpr qint64 Hour = 3600;
    constexpr qint64 Day = 24 * Hour;
    const qint64 seconds = qMax<qint64>(0, (nowMs - thenMs) / 1000);
    if (seconds < 60)
        return tr("just now");
    if (seconds < Hour)
        return tr("%1 min ago").arg(seconds / 60);
    if (seconds < Day)
        return tr("%1 h ago").arg(seconds / Hour);
    if (seconds < 2 * Day)
        return tr("1 day ago");
    if (seconds < 7 * Day)
        return tr("%1 days ago").arg(seconds / Day);
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(thenMs).toLocalTime().date(), QLocale::ShortFormat);
}

} // namespace Switchyard
