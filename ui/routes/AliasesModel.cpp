// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/AliasesModel.h"
#include "ui/routes/RouteEditCommand.h"

namespace Switchyard {

AliasesModel::AliasesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AliasesModel::setUndoStack(QUndoStack *stack)
{
    m_undo = stack;
}

void AliasesModel::setAliases(const QList<AliasConfig> &aliases)
{
    beginResetModel();
    m_aliases = aliases;
    endResetModel();
}

void AliasesModel::setIssues(const QList<ConfigIssue> &issues)
{
    m_issues = issues;
    if (!m_aliases.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole, Qt::ToolTipRole});
}

void AliasesModel::insertAlias(int row, const AliasConfig &alias)
{
    row = qBound(0, row, int(m_aliases.size()));
    RouteEditCommand::run(
        m_undo, tr("Add alias %1").arg(alias.name), [this, row, alias] { insertRowNow(row, alias); },
        [this, row] { removeRowNow(row); });
}

void AliasesModel::removeAlias(int row)
{
    if (row < 0 || row >= m_aliases.size())
        return;
    const AliasConfig removed = m_aliases.at(row);
    RouteEditCommand::run(
        m_undo, tr("Remove alias %1").arg(removed.name), [this, row] { removeRowNow(row); },
        [this, row, removed] { insertRowNow(row, removed); });
}

void AliasesModel::replaceTargets(int row, const QList<TargetConfig> &targets)
{
    m_aliases[row].targets = targets;
    Q_EMIT dataChanged(index(row, TargetsColumn), index(row, TargetsColumn));
}

bool AliasesModel::assign(AliasConfig &alias, int column, const QVariant &value)
{
    const QString text = value.toString().trimmed();
    if (column == NameColumn) {
        alias.name = text;
        return true;
    }
    if (column != StrategyColumn || !strategyNames().contains(text))
        return false;
    alias.strategy = text == strategyName(Strategy::Weighted)       ? Strategy::Weighted
                     : text == strategyName(Strategy::LeastLatency) ? Strategy::LeastLatency
                                                                    : Strategy::Fallback;
    return true;
}

int AliasesModel::columnForField(const QString &jsonField)
{
    if (jsonField == QLatin1String("strategy"))
        return StrategyColumn;
    if (jsonField == QLatin1String("targets"))
        return TargetsColumn;
    return NameColumn;
}

QStringList AliasesModel::strategyNames()
{
    return {strategyName(Strategy::Fallback), strategyName(Strategy::Weighted), strategyName(Strategy::LeastLatency)};
}

int AliasesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_aliases.size());
}

int AliasesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AliasesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    if (index.column() == TargetsColumn)
        return targetsData(index.row(), role);
    QVariant issue = ConfigIssueParser::cellData(m_issues, ConfigIssue::Table::Aliases, -1, index.row(),
                                                       index.column(), role);
    if (issue.isValid())
        return issue;
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != SortRole)
        return QVariant();
    const AliasConfig &a = m_aliases.at(index.row());
    return index.column() == NameColumn ? a.name : strategyName(a.strategy);
}

QVariant AliasesModel::targetsData(int row, int role) const
{
    const QList<TargetConfig> &targets = m_aliases.at(row).targets;
    // Problems of the targets themselves show here too, so they are seen from any alias.
    QStringList messages;
    for (const ConfigIssue &issue : m_issues) {
        if ((issue.table == ConfigIssue::Table::Aliases && issue.row == row && issue.column == TargetsColumn)
            || (issue.table == ConfigIssue::Table::Targets && issue.aliasRow == row))
            messages.append(issue.message);
    }
    QVariant issue = ConfigIssueParser::cellData(messages, role);
    if (issue.isValid())
        return issue;
    switch (role) {
    case Qt::DisplayRole:
        return targets.size() == 1 ? tr("1 target") : tr("%1 targets").arg(targets.size());
    case SortRole:
        return int(targets.size());
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const TargetConfig &t : targets)
            lines.append(QStringLiteral("%1. %2/%3").arg(lines.size() + 1).arg(t.provider, t.model));
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return QVariant();
    }
}

QVariant AliasesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Alias");
    case StrategyColumn: return tr("Strategy");
    case TargetsColumn: return tr("Targets");
    default: return QVariant();
    }
}

Qt::ItemFlags AliasesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | (index.column() == TargetsColumn ? Qt::NoItemFlags : Qt::ItemIsEditable);
}

bool AliasesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const int row = index.row();
    const AliasConfig before = m_aliases.at(row);
    AliasConfig after = before;
    if (!assign(after, index.column(), value))
        return false;
    if (after == before)
        return true;
    const QString what = headerData(index.column(), Qt::Horizontal).toString().toLower();
    RouteEditCommand::run(
        m_undo, tr("Edit alias %1: %2").arg(before.name, what), [this, row, after] { replaceRow(row, after); },
        [this, row, before] { replaceRow(row, before); });
    return true;
}

void AliasesModel::replaceRow(int row, const AliasConfig &alias)
{
    m_aliases[row] = alias;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void AliasesModel::insertRowNow(int row, const AliasConfig &alias)
{
    beginInsertRows(QModelIndex(), row, row);
    m_aliases.insert(row, alias);
    endInsertRows();
}

void AliasesModel::removeRowNow(int row)
{
    beginRemoveRows(QModelIndex(), row, row);
    m_aliases.removeAt(row);
    endRemoveRows();
}

} // namespace Switchyard
