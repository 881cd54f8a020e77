// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QHash>
#include <QPointer>
#include <QStyledItemDelegate>

namespace Switchyard {

// The editors of the routes tables, chosen by column: a combo box of fixed choices (a
// provider's kind, an alias's strategy), a combo box of the values of another model's
// column (a target's provider, from the current providers), a spin box for numbers (a
// weight), and a line edit elsewhere. Combo boxes commit at once; line edits and spin
// boxes report every keystroke through valueEdited, so the page can validate as one types.
class RouteDelegates final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit RouteDelegates(QObject *parent = nullptr);

    void setChoices(int column, const QStringList &choices);
    void setChoicesFrom(int column, const QAbstractItemModel *source, int sourceColumn);
    // 0 stands for "none" and shows as `zeroText`.
    void setNumber(int column, double maximum, int decimals, const QString &zeroText);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    // Arrow keys on a closed combo step through the choices without ending the edit.
    bool eventFilter(QObject *object, QEvent *event) override;

Q_SIGNALS:
    // What the cell at `index` would hold if the edit ended now.
    void valueEdited(const QModelIndex &index, const QVariant &value);

private:
    struct ColumnEditor
    {
        QStringList choices;
        QPointer<const QAbstractItemModel> source;
        int sourceColumn = 0;
        bool number = false;
        double maximum = 0;
        int decimals = 0;
        QString zeroText;
    };

    QStringList choicesFor(const ColumnEditor &editor) const;
    void reportEdit(QWidget *editor, const QPersistentModelIndex &index, const QVariant &value);

    QHash<int, ColumnEditor> m_columns;
};

} // namespace Switchyard
