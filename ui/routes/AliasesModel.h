// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/ConfigIssueParser.h"
#include <QAbstractTableModel>

class QUndoStack;

namespace Switchyard {

// The aliases of the config being edited: name, strategy and how many targets. It holds
// each alias's targets too; TargetsModel shows and edits those of one alias. Edits through
// setData, insertAlias and removeAlias go onto the undo stack.
class AliasesModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, StrategyColumn, TargetsColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit AliasesModel(QObject *parent = nullptr);

    void setUndoStack(QUndoStack *stack);
    void setAliases(const QList<AliasConfig> &aliases); // a reset, not undoable
    const QList<AliasConfig> &aliases() const { return m_aliases; }
    void setIssues(const QList<ConfigIssue> &issues);

    void insertAlias(int row, const AliasConfig &alias);
    void removeAlias(int row);
    // For TargetsModel, which wraps this in its own undoable edits.
    void replaceTargets(int row, const QList<TargetConfig> &targets);

    // Applies an edited cell value to an alias; false when the column is read-only.
    static bool assign(AliasConfig &alias, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);
    static QStringList strategyNames();

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

private:
    QVariant targetsData(int row, int role) const;
    void replaceRow(int row, const AliasConfig &alias);
    void insertRowNow(int row, const AliasConfig &alias);
    void removeRowNow(int row);

    QList<AliasConfig> m_aliases;
    QList<ConfigIssue> m_issues;
    QUndoStack *m_undo = nullptr;
};

} // namespace Switchyard
