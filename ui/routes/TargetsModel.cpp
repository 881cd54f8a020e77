// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/TargetsModel.h"
#include "ui/SemanticColours.h"
#include "ui/routes/AliasesModel.h"
#include "ui/routes/RouteEditCommand.h"
#include <QColor>
#include <QMimeData>

namespace Switchyard {

TargetsModel::TargetsModel(AliasesModel *aliases, QObject *parent)
    : RouteRowsModel(parent)
    , m_aliases(aliases)
{
    // Follow the aliases: the shown alias may be removed, or the whole list reloaded.
    connect(m_aliases, &QAbstractItemModel::modelAboutToBeReset, this, &TargetsModel::beginResetModel);
    connect(m_aliases, &QAbstractItemModel::modelReset, this, &TargetsModel::endResetModel);
    connect(m_aliases, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this](const QModelIndex &, int first, int last) {
        m_resetPending = m_alias.isValid() && m_alias.row() >= first && m_alias.row() <= last;
        if (m_resetPending)
            beginResetModel();
    });
    connect(m_aliases, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (std::exchange(m_resetPending, false))
            endResetModel();
    });
    // A new strategy changes what the weights mean (shares only count for "weighted").
    connect(m_aliases, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const int row = aliasRow();
        if (row >= topLeft.row() && row <= bottomRight.row() && topLeft.column() <= AliasesModel::StrategyColumn
            && rowCount() > 0)
            Q_EMIT dataChanged(index(0, WeightColumn), index(rowCount() - 1, WeightColumn));
    });
}

void TargetsModel::setAliasRow(int row)
{
    if (row == aliasRow())
        return;
    beginResetModel();
    m_alias = QPersistentModelIndex(m_aliases->index(row, 0));
    endResetModel();
}

int TargetsModel::aliasRow() const
{
    return m_alias.isValid() ? m_alias.row() : -1;
}

QList<TargetConfig> TargetsModel::targets() const
{
    return m_alias.isValid() ? m_aliases->aliases().at(m_alias.row()).targets : QList<TargetConfig>();
}

void TargetsModel::insertTarget(int row, const TargetConfig &target)
{
    if (aliasRow() >= 0)
        insertUndoable(row, target, tr("Add target %1/%2").arg(target.provider, target.model));
}

void TargetsModel::removeTarget(int row)
{
    if (aliasRow() >= 0 && row >= 0 && row < rowCount())
        removeUndoable(row, tr("Remove target %1").arg(targetName(row)));
}

bool TargetsModel::moveTarget(int from, int to)
{
    if (aliasRow() < 0)
        return false;
    return moveUndoable(from, to, to < from ? tr("Move target %1 up").arg(targetName(from)) : tr("Move target %1 down").arg(targetName(from)));
}

QString TargetsModel::editText(const TargetConfig &target, const QString &what) const
{
    return tr("Edit target %1/%2: %3").arg(target.provider, target.model, what);
}

RouteEditCommand::Step TargetsModel::change(Change kind, int row, int other, const TargetConfig &value)
{
    return [this, alias = aliasRow(), kind, row, other, value] { applyNow(alias, kind, row, other, value); };
}

bool TargetsModel::assign(TargetConfig &target, int column, const QVariant &value)
{
    switch (column) {
    case ProviderColumn:
        target.provider = value.toString().trimmed();
        return true;
    case ModelColumn:
        target.model = value.toString().trimmed();
        return true;
    case WeightColumn: {
        bool ok = false;
        const double weight = value.toString().trimmed().isEmpty() ? 0 : value.toDouble(&ok);
        if (!ok && !value.toString().trimmed().isEmpty())
            return false;
        target.weight = weight > 0 ? std::optional<double>(weight) : std::nullopt; // empty or 0 clears it
        return true;
    }
    default:
        return false;
    }
}

int TargetsModel::columnForField(const QString &jsonField)
{
    if (jsonField == QLatin1String("model"))
        return ModelColumn;
    if (jsonField == QLatin1String("weight"))
        return WeightColumn;
    return ProviderColumn;
}

QVariant TargetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    QVariant issue = ConfigIssueParser::cellData(m_issues, ConfigIssue::Table::Targets, aliasRow(), index.row(),
                                                       index.column(), role);
    if (issue.isValid())
        return issue;
    const TargetConfig &t = m_aliases->aliases().at(m_alias.row()).targets.at(index.row());
    if (index.column() == WeightColumn)
        return weightData(t, role);
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != SortRole)
        return QVariant();
    return index.column() == ProviderColumn ? t.provider : t.model;
}

QVariant TargetsModel::weightData(const TargetConfig &target, int role) const
{
    const AliasConfig &alias = m_aliases->aliases().at(m_alias.row());
    const bool weighted = alias.strategy == Strategy::Weighted;
    switch (role) {
    case Qt::DisplayRole: {
        if (!target.weight)
            return QStringLiteral("—");
        double total = 0;
        for (const TargetConfig &t : alias.targets)
            total += t.weight.value_or(0);
        const QString weight = QString::number(*target.weight, 'g', 4);
        return weighted && total > 0 ? tr("%1  (%2%)").arg(weight).arg(qRound(100 * *target.weight / total)) : weight;
    }
    case Qt::EditRole:
    case SortRole:
        return target.weight.value_or(0.0);
    case Qt::ForegroundRole:
        return weighted ? QVariant() : QVariant(SemanticColours::colour(SemanticColours::Tone::Muted));
    case Qt::ToolTipRole:
        return weighted ? tr("Relative share of the calls this target gets first.")
                        : tr("Weights only count when the alias's strategy is \"weighted\".");
    default:
        return QVariant();
    }
}

QVariant TargetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1; // the fallback order
    return RouteRowsModel::headerData(section, orientation, role);
}

QString TargetsModel::columnTitle(int column) const
{
    switch (column) {
    case ProviderColumn: return tr("Provider");
    case ModelColumn: return tr("Model");
    case WeightColumn: return tr("Weight");
    default: return QString();
    }
}

Qt::ItemFlags TargetsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_alias.isValid() ? Qt::ItemIsDropEnabled : Qt::NoItemFlags; // drops land between rows
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable | Qt::ItemIsDragEnabled;
}

bool TargetsModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                            int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1)
        return false;
    return moveTarget(sourceRow, destinationChild > sourceRow ? destinationChild - 1 : destinationChild);
}

Qt::DropActions TargetsModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList TargetsModel::mimeTypes() const
{
    return {QString(MimeType)};
}

QMimeData *TargetsModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty() || !m_alias.isValid())
        return nullptr;
    auto *dragged = new QMimeData;
    dragged->setData(QString(MimeType), QByteArray::number(aliasRow()) + ':' + QByteArray::number(indexes.first().row()));
    return dragged;
}

int TargetsModel::draggedRow(const QMimeData *data) const
{
    const QList<QByteArray> parts = data ? data->data(QString(MimeType)).split(':') : QList<QByteArray>();
    bool rowOk = false;
    const int row = parts.size() == 2 ? parts.at(1).toInt(&rowOk) : -1;
    return rowOk && parts.at(0).toInt() == aliasRow() && row >= 0 && row < rowCount() ? row : -1;
}

bool TargetsModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int, const QModelIndex &) const
{
    return action == Qt::MoveAction && draggedRow(data) >= 0;
}

bool TargetsModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int, const QModelIndex &parent)
{
    const int from = draggedRow(data);
    if (action != Qt::MoveAction || from < 0)
        return false;
    const int before = row >= 0 ? row : parent.isValid() ? parent.row() : rowCount();
    const int to = qMin(before > from ? before - 1 : before, rowCount() - 1);
    // The view would then remove the dragged row; this model has no removeRows, so nothing is lost.
    return to == from || moveTarget(from, to);
}

QString TargetsModel::targetName(int row) const
{
    return targets().value(row).provider + QLatin1Char('/') + targets().value(row).model;
}

void TargetsModel::applyNow(int alias, Change change, int row, int other, const TargetConfig &target)
{
    applyChange(change, row, other, target, m_aliases->aliases().at(alias).targets,
                [this, alias](const QList<TargetConfig> &list) { m_aliases->replaceTargets(alias, list); }, alias == aliasRow());
    Q_EMIT aliasTouched(alias);
}

} // namespace Switchyard
