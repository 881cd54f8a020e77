// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/AliasesModel.h"
#include "ui/routes/RouteEditCommand.h"

namespace Switchyard {

AliasesModel::AliasesModel(QObject *parent)
    : RouteRowsModel(parent)
{
}

void AliasesModel::insertAlias(int row, const AliasConfig &alias)
{
    insertUndoable(row, alias, tr("Add alias %1").arg(alias.name));
}

void AliasesModel::removeAlias(int row)
{
    if (row >= 0 && row < rowCount())
        removeUndoable(row, tr("Remove alias %1").arg(aliases().at(row).name));
}

QString AliasesModel::editText(const AliasConfig &alias, const QString &what) const
{
    return tr("Edit alias %1: %2").arg(alias.name, what);
}

void AliasesModel::replaceTargets(int row, const QList<TargetConfig> &targets)
{
    localRows()[row].targets = targets;
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
    const AliasConfig &a = aliases().at(index.row());
    return index.column() == NameColumn ? a.name : strategyName(a.strategy);
}

QVariant AliasesModel::targetsData(int row, int role) const
{
    const QList<TargetConfig> &targets = aliases().at(row).targets;
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

QString AliasesModel::columnTitle(int column) const
{
    switch (column) {
    case NameColumn: return tr("Alias");
    case StrategyColumn: return tr("Strategy");
    case TargetsColumn: return tr("Targets");
    default: return QString();
    }
}

} // namespace Switchyard
