// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/ConfigIssueParser.h"
#include <QAbstractTableModel>
#include <QPersistentModelIndex>

class QUndoStack;

namespace Switchyard {

class AliasesModel;

// The targets of one alias, in the order a fallback tries them: provider, model, weight.
// The targets live in the AliasesModel; this model shows and edits those of the alias set
// with setAliasRow. Edits, adds, removes and moves (also by drag and drop) go onto the
// undo stack; an undo that touches another alias's targets reports it with aliasTouched.
class TargetsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ProviderColumn, ModelColumn, WeightColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };
    static constexpr QLatin1StringView MimeType{"application/x-switchyard-target-row"};

    explicit TargetsModel(AliasesModel *aliases, QObject *parent = nullptr);

    void setUndoStack(QUndoStack *stack);
    void setAliasRow(int row); // -1: none
    int aliasRow() const;
    QList<TargetConfig> targets() const;
    void setIssues(const QList<ConfigIssue> &issues);

    void insertTarget(int row, const TargetConfig &target);
    void removeTarget(int row);
    bool moveTarget(int from, int to); // `to` is the target's index after the move

    // Applies an edited cell value to a target; false when the value does not fit the column.
    static bool assign(TargetConfig &target, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                  int destinationChild) override;

    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;

Q_SIGNALS:
    void aliasTouched(int aliasRow);

private:
    QVariant weightData(const TargetConfig &target, int role) const;
    QString targetName(int row) const;
    int draggedRow(const QMimeData *data) const;
    enum class Change { Replace, Insert, Remove, Move };
    // Changes the targets of alias `alias` (row, or from row to other), with model signals when shown.
    void applyNow(int alias, Change change, int row, int other = 0, const TargetConfig &target = TargetConfig());

    AliasesModel *m_aliases;
    QPersistentModelIndex m_alias;
    QList<ConfigIssue> m_issues;
    QUndoStack *m_undo = nullptr;
    bool m_resetPending = false;
};

} // namespace Switchyard
