// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionListModel.h"
#include "core/log/LogReader.h"
#include "ui/sessions/SessionFormat.h"
#include <QFileInfo>
#include <QSet>

namespace Switchyard {

SessionListModel::SessionListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sessions.size());
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionSummary &s = m_sessions.at(index.row());
    const qint64 tokens = s.promptTokens + s.completionTokens;
    const double hitRate = s.promptTokens > 0 ? double(s.cachedTokens) / double(s.promptTokens) : -1;
    if (role == IdRole)
        return s.id;
    const auto column = Column(index.column());
    if (role == SortRole) {
        switch (column) {
        case SessionColumn: return s.id;
        case ClientColumn: return SessionFormat::client(s.clientProcess, s.client);
        case ProjectColumn: return s.project;
        case LastCallColumn: return s.lastMs;
        case TurnsColumn: return s.turns;
        case TokensColumn: return tokens;
        case CostColumn: return s.costUsd;
        case HitRateColumn: return hitRate;
        case ColumnCount: break;
        }
    } else if (role == Qt::DisplayRole) {
        switch (column) {
        case SessionColumn: return SessionFormat::shortId(s.id);
        case ClientColumn: return SessionFormat::client(s.clientProcess, s.client);
        case ProjectColumn: return s.project.isEmpty() ? QStringLiteral("—") : QFileInfo(s.project).fileName();
        case LastCallColumn: return SessionFormat::time(s.lastMs);
        case TurnsColumn: return s.subagentTurns ? tr("%1 (%2 side)").arg(s.turns).arg(s.subagentTurns) : QString::number(s.turns);
        case TokensColumn: return SessionFormat::tokens(tokens);
        case CostColumn: return SessionFormat::money(s.costUsd);
        case HitRateColumn: return hitRate < 0 ? QStringLiteral("—") : QStringLiteral("%1 %").arg(qRound(hitRate * 100));
        case ColumnCount: break;
        }
    } else if (role == Qt::ToolTipRole) {
        if (column == SessionColumn)
            return s.id;
        if (column == ProjectColumn || column == ClientColumn)
            return column == ProjectColumn ? s.project : s.client;
    } else if (role == Qt::TextAlignmentRole && column >= TurnsColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case SessionColumn: return tr("Session");
    case ClientColumn: return tr("Client");
    case ProjectColumn: return tr("Project");
    case LastCallColumn: return tr("Last call");
    case TurnsColumn: return tr("Turns");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost");
    case HitRateColumn: return tr("Cache hits");
    case ColumnCount: break;
    }
    return {};
}

int SessionListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_sessions.size(); ++row) {
        if (m_sessions.at(row).id == id)
            return row;
    }
    return -1;
}

void SessionListModel::load(LogReader *reader, const SessionFilter &filter)
{
    const quint64 job = ++m_job;
    m_loading = true;
    reader->query<Result<QList<SessionSummary>>>(
        this, [filter](LogQueries &q) { return SessionQueries::list(q, filter); },
        [this, job](const Result<QList<SessionSummary>> &result) {
            if (job != m_job)
                return; // a newer load is on its way
            m_loading = false;
            m_error = result ? QString() : result.error().message;
            if (result)
                merge(result.value());
            Q_EMIT loaded();
        });
}

void SessionListModel::merge(const QList<SessionSummary> &sessions)
{
    QSet<QString> fresh;
    QList<SessionSummary> added;
    for (const SessionSummary &s : sessions) {
        fresh.insert(s.id);
        const int row = rowOf(s.id);
        if (row < 0) {
            added.append(s);
            continue;
        }
        m_sessions[row] = s;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    for (int row = int(m_sessions.size()) - 1; row >= 0; --row) { // out of the range now
        if (!fresh.contains(m_sessions.at(row).id)) {
            beginRemoveRows(QModelIndex(), row, row);
            m_sessions.removeAt(row);
            endRemoveRows();
        }
    }
    if (added.isEmpty())
        return;
    beginInsertRows(QModelIndex(), 0, int(added.size()) - 1);
    m_sessions = added + m_sessions;
    endInsertRows();
}

} // namespace Switchyard
