// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/PendingCallsModel.h"
#include "ui/traces/TraceFormat.h"
#include <QDateTime>
#include <algorithm>
#include <QSet>

namespace Switchyard {

PendingCallsModel::PendingCallsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_tick.setInterval(TickMs);
    connect(&m_tick, &QTimer::timeout, this, &PendingCallsModel::tick);
}

void PendingCallsModel::addStarted(const QList<CallRecord> &records)
{
    QList<CallRecord> added;
    for (const CallRecord &r : records) {
        if (const int row = rowOf(r.id); row >= 0) { // progress of a call already listed
            m_rows[row] = r;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else if (const auto same = std::find_if(added.begin(), added.end(), [&r](const CallRecord &a) { return a.id == r.id; });
                   same != added.end()) {
            *same = r; // started and progressed within one batch
        } else if (!m_finished.remove(r.id)) {
            added.prepend(r); // batches come oldest first; rows are newest first
        }
    }
    if (added.isEmpty())
        return;
    beginInsertRows(QModelIndex(), 0, int(added.size()) - 1);
    m_rows = added + m_rows;
    endInsertRows();
    if (!m_tick.isActive())
        m_tick.start();
}

void PendingCallsModel::removeFinished(const QList<CallRecord> &records)
{
    for (const CallRecord &r : records) {
        const int row = rowOf(r.id);
        if (row < 0) {
            if (m_finished.size() < 1000)
                m_finished.insert(r.id);
            continue;
        }
        beginRemoveRows(QModelIndex(), row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    if (m_rows.isEmpty())
        m_tick.stop();
}

int PendingCallsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

QString PendingCallsModel::phaseText(const CallRecord &r)
{
    if (r.attempts.isEmpty())
        return tr("routing");
    const int attempt = int(r.attempts.size());
    const QString which = attempt > 1 ? tr("attempt %1 (%2), ").arg(attempt).arg(r.attempts.last().provider)
                                      : r.attempts.last().provider + QStringLiteral(": ");
    if (!r.ttftMs)
        return which + tr("waiting for the first byte");
    return which + tr("receiving · first byte after %1").arg(TraceFormat::duration(*r.ttftMs - r.attempts.last().startedAfterMs));
}

int PendingCallsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PendingCallsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 PendingCallsModel::elapsedMs(const CallRecord &r) const
{
    return qMax<qint64>(0, m_clock() - r.startedAt.toMSecsSinceEpoch());
}

QVariant PendingCallsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const CallRecord &r = m_rows.at(index.row());
    if (role == IdRole)
        return r.id;
    if (role == Qt::TextAlignmentRole)
        return index.column() == ElapsedColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return QVariant();
    const bool display = role == Qt::DisplayRole;
    switch (index.column()) {
    case StartedColumn:
        return display ? QVariant(TraceFormat::timeOfDay(r.startedAt)) : QVariant(r.startedAt.toMSecsSinceEpoch());
    case ModelColumn:
        return display && r.stream ? QVariant(tr("%1 (stream)").arg(r.requestedModel)) : QVariant(r.requestedModel);
    case EndpointColumn: return r.endpoint;
    case ClientColumn: return TraceFormat::clientName(r);
    case ElapsedColumn: return display ? QVariant(TraceFormat::duration(elapsedMs(r))) : QVariant(elapsedMs(r));
    case PhasesColumn: return phaseText(r);
    default: return QVariant();
    }
}

QVariant PendingCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    static const QStringList titles{tr("Started"), tr("Model asked for"), tr("Endpoint"), tr("Client"), tr("Running for"), tr("Phases")};
    return titles.value(section);
}

void PendingCallsModel::tick()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, ElapsedColumn), index(int(m_rows.size()) - 1, PhasesColumn), {Qt::DisplayRole, SortRole});
}

} // namespace Switchyard
