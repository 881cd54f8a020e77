// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/RouteRowsModel.h"

namespace Switchyard {

// The aliases of the config being edited: name, strategy and how many targets. It holds
// each alias's targets too; TargetsModel shows and edits those of one alias. Edits through
// setData, insertAlias and removeAlias go onto the undo stack.
class AliasesModel final : public RouteRowsModel<AliasConfig>
{
    Q_OBJECT
public:
    enum Column { NameColumn, StrategyColumn, TargetsColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit AliasesModel(QObject *parent = nullptr);

    void setAliases(const QList<AliasConfig> &aliases) { setRows(aliases); } // a reset, not undoable
    const QList<AliasConfig> &aliases() const { return localRows(); }

    void insertAlias(int row, const AliasConfig &alias);
    void removeAlias(int row);
    // For TargetsModel, which wraps this in its own undoable edits.
    void replaceTargets(int row, const QList<TargetConfig> &targets);

    // Applies an edited cell value to an alias; false when the column is read-only.
    static bool assign(AliasConfig &alias, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);
    static QStringList strategyNames();

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString columnTitle(int column) const override;
    bool isEditable(int column) const override { return column != TargetsColumn; } // TargetsModel edits those
    bool assignCell(AliasConfig &alias, int column, const QVariant &value) const override { return assign(alias, column, value); }
    QString editText(const AliasConfig &alias, const QString &what) const override;

private:
    QVariant targetsData(int row, int role) const;
};

} // namespace Switchyard
