// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/RouteRowsModel.h"
#include <QPersistentModelIndex>

namespace Switchyard {

class AliasesModel;

// The targets of one alias, in the order a fallback tries them: provider, model, weight.
// The targets live in the AliasesModel; this model shows and edits those of the alias set
// with setAliasRow. Edits, adds, removes and moves (also by drag and drop) go onto the
// undo stack; an undo that touches another alias's targets reports it with aliasTouched.
class TargetsModel final : public RouteRowsModel<TargetConfig>
{
    Q_OBJECT
public:
    enum Column { ProviderColumn, ModelColumn, WeightColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };
    static constexpr QLatin1StringView MimeType{"application/x-switchyard-target-row"};

    explicit TargetsModel(AliasesModel *aliases, QObject *parent = nullptr);

    void setAliasRow(int row); // -1: none
    int aliasRow() const;
    QList<TargetConfig> targets() const;

    void insertTarget(int row, const TargetConfig &target);
    void removeTarget(int row);
    bool moveTarget(int from, int to); // `to` is the target's index after the move

    // Applies an edited cell value to a target; false when the value does not fit the column.
    static bool assign(TargetConfig &target, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
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

protected:
    int columns() const override { return ColumnCount; }
    QString columnTitle(int column) const override;
    bool isEditable(int) const override { return true; }
    bool assignCell(TargetConfig &target, int column, const QVariant &value) const override { return assign(target, column, value); }
    QString editText(const TargetConfig &target, const QString &what) const override;
    QList<TargetConfig> rows() const override { return targets(); }
    // The targets live in their alias: a change is made there, whichever alias shows by then.
    RouteEditCommand::Step change(Change kind, int row, int other, const TargetConfig &value) override;

private:
    QVariant weightData(const TargetConfig &target, int role) const;
    QString targetName(int row) const;
    int draggedRow(const QMimeData *data) const;
    void applyNow(int alias, Change change, int row, int other, const TargetConfig &target);

    AliasesModel *m_aliases;
    QPersistentModelIndex m_alias;
    bool m_resetPending = false;
};

} // namespace Switchyard
