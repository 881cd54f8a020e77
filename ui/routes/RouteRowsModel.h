// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/routes/ConfigIssueParser.h"
#include "ui/routes/RouteEditCommand.h"
#include <QAbstractTableModel>

namespace Switchyard {

// What the three route tables share, over their row type: the header, the flags, an
// undoable setData, insert, remove and move, and the problems of the loader. A model only
// declares its columns (title, editable, how a cell value goes into a row) and its undo
// texts; where the rows live is its own choice (here by default, or elsewhere through
// change(), as the targets do in their alias).
template <typename Row>
class RouteRowsModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;
    enum class Change { Replace, Insert, Remove, Move };

    void setUndoStack(QUndoStack *stack) { m_undo = stack; }
    void setIssues(const QList<ConfigIssue> &issues)
    {
        m_issues = issues;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::BackgroundRole, Qt::ToolTipRole});
    }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override { return parent.isValid() ? 0 : int(rows().size()); }
    int columnCount(const QModelIndex &parent = QModelIndex()) const override { return parent.isValid() ? 0 : columns(); }
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
            return columnTitle(section);
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    Qt::ItemFlags flags(const QModelIndex &index) const override
    {
        if (!index.isValid())
            return Qt::NoItemFlags;
        return QAbstractTableModel::flags(index) | (isEditable(index.column()) ? Qt::ItemIsEditable : Qt::NoItemFlags);
    }
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override
    {
        if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
            return false;
        const Row before = rows().at(index.row());
        Row after = before;
        if (!assignCell(after, index.column(), value))
            return false;
        if (!(after == before))
            RouteEditCommand::run(m_undo, editText(before, columnTitle(index.column()).toLower()),
                                  change(Change::Replace, index.row(), 0, after), change(Change::Replace, index.row(), 0, before));
        return true;
    }

protected:
    virtual int columns() const = 0;
    virtual QString columnTitle(int column) const = 0;
    virtual bool isEditable(int column) const = 0;
    virtual bool assignCell(Row &row, int column, const QVariant &value) const = 0;
    virtual QString editText(const Row &row, const QString &what) const = 0; // "Edit provider openai: base url"
    // The rows shown, and the step that makes a change to them (with the model's signals).
    virtual QList<Row> rows() const { return m_rows; }
    virtual RouteEditCommand::Step change(Change kind, int row, int other, const Row &value)
    {
        return [this, kind, row, other, value] { changeHere(kind, row, other, value); };
    }

    void setRows(const QList<Row> &rows) // a reset, not undoable
    {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }
    void insertUndoable(int row, const Row &value, const QString &text)
    {
        row = qBound(0, row, rowCount());
        RouteEditCommand::run(m_undo, text, change(Change::Insert, row, 0, value), change(Change::Remove, row, 0, value));
    }
    void removeUndoable(int row, const QString &text)
    {
        if (row >= 0 && row < rowCount())
            RouteEditCommand::run(m_undo, text, change(Change::Remove, row, 0, Row()), change(Change::Insert, row, 0, rows().at(row)));
    }
    bool moveUndoable(int from, int to, const QString &text)
    {
        if (from < 0 || to < 0 || from >= rowCount() || to >= rowCount() || from == to)
            return false;
        RouteEditCommand::run(m_undo, text, change(Change::Move, from, to, Row()), change(Change::Move, to, from, Row()));
        return true;
    }
    // Applies a change to `list` and hands it to `store`, between the model signals it needs
    // when the rows are the ones shown (`shown`).
    template <typename Store>
    void applyChange(Change kind, int row, int other, const Row &value, QList<Row> list, Store store, bool shown = true)
    {
        if (shown && kind == Change::Insert)
            beginInsertRows(QModelIndex(), row, row);
        else if (shown && kind == Change::Remove)
            beginRemoveRows(QModelIndex(), row, row);
        else if (shown && kind == Change::Move)
            beginMoveRows(QModelIndex(), row, row, QModelIndex(), other > row ? other + 1 : other);
        switch (kind) {
        case Change::Replace: list[row] = value; break;
        case Change::Insert: list.insert(row, value); break;
        case Change::Remove: list.removeAt(row); break;
        case Change::Move: list.move(row, other); break;
        }
        store(list);
        if (shown && kind == Change::Insert)
            endInsertRows();
        else if (shown && kind == Change::Remove)
            endRemoveRows();
        else if (shown && kind == Change::Move)
            endMoveRows();
        else if (shown)
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }
    // The rows kept here (when change() is not overridden).
    const QList<Row> &localRows() const { return m_rows; }
    QList<Row> &localRows() { return m_rows; }

    QList<ConfigIssue> m_issues;
    QUndoStack *m_undo = nullptr;

private:
    void changeHere(Change kind, int row, int other, const Row &value)
    {
        applyChange(kind, row, other, value, m_rows, [this](const QList<Row> &list) { m_rows = list; });
    }

    QList<Row> m_rows;
};

} // namespace Switchyard
