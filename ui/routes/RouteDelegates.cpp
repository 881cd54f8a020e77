// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteDelegates.h"
#include <QComboBox>
#include <QKeyEvent>
#include <QDoubleSpinBox>
#include <QLineEdit>

namespace Switchyard {

namespace {
constexpr char UserEdited[] = "switchyardUserEdited";
constexpr char KeyStepping[] = "switchyardKeyStepping"; // the last key pressed on a closed combo steps through it
}

RouteDelegates::RouteDelegates(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void RouteDelegates::setChoices(int column, const QStringList &choices)
{
    m_columns[column] = ColumnEditor{choices, nullptr, 0, false, 0, 0, QString()};
}

void RouteDelegates::setChoicesFrom(int column, const QAbstractItemModel *source, int sourceColumn)
{
    m_columns[column] = ColumnEditor{QStringList(), source, sourceColumn, false, 0, 0, QString()};
}

void RouteDelegates::setNumber(int column, double maximum, int decimals, const QString &zeroText)
{
    m_columns[column] = ColumnEditor{QStringList(), nullptr, 0, true, maximum, decimals, zeroText};
}

QStringList RouteDelegates::choicesFor(const ColumnEditor &editor) const
{
    if (!editor.source)
        return editor.choices;
    QStringList choices;
    for (int row = 0; row < editor.source->rowCount(); ++row) {
        const QString value = editor.source->index(row, editor.sourceColumn).data(Qt::EditRole).toString();
        if (!value.isEmpty() && !choices.contains(value))
            choices.append(value);
    }
    return choices;
}

void RouteDelegates::reportEdit(QWidget *editor, const QPersistentModelIndex &index, const QVariant &value)
{
    editor->setProperty(UserEdited, true);
    if (index.isValid())
        Q_EMIT valueEdited(index, value);
}

QWidget *RouteDelegates::createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // Editors report to this delegate, which the view owns and which outlives them.
    auto *self = const_cast<RouteDelegates *>(this);
    const QPersistentModelIndex persistent(index);
    const auto it = m_columns.constFind(index.column());
    if (it != m_columns.cend() && it->number) {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setFrame(false);
        spin->setRange(0, it->maximum);
        spin->setDecimals(it->decimals);
        spin->setSpecialValueText(it->zeroText);
        spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        connect(spin, &QDoubleSpinBox::valueChanged, self,
                [self, spin, persistent](double value) { self->reportEdit(spin, persistent, value); });
        return spin;
    }
    if (it != m_columns.cend()) {
        auto *combo = new QComboBox(parent);
        combo->setFrame(false);
        combo->addItems(choicesFor(*it));
        // Choosing is the whole edit: commit it and close, as a checkbox would.
        // Not for a step of the arrow keys on the closed combo: the edit goes on until Enter, Tab or a click away.
        connect(combo, &QComboBox::activated, self, [self, combo, persistent] {
            if (combo->property(KeyStepping).toBool()) {
                combo->setProperty(KeyStepping, false);
                self->reportEdit(combo, persistent, combo->currentText());
                return;
            }
            Q_EMIT self->commitData(combo);
            Q_EMIT self->closeEditor(combo);
        });
        return combo;
    }
    QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        connect(line, &QLineEdit::textEdited, self,
                [self, line, persistent](const QString &text) { self->reportEdit(line, persistent, text); });
    return editor;
}

bool RouteDelegates::eventFilter(QObject *object, QEvent *event)
{
    if (auto *combo = qobject_cast<QComboBox *>(object); combo && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        const bool step = key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown
                          || key == Qt::Key_Home || key == Qt::Key_End || !static_cast<QKeyEvent *>(event)->text().trimmed().isEmpty();
        combo->setProperty(KeyStepping, step);
    }
    return QStyledItemDelegate::eventFilter(object, event);
}

void RouteDelegates::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    // The view refreshes open editors whenever a cell changes, here also when only its
    // problem marks do: what the user has typed so far stays.
    if (editor->property(UserEdited).toBool())
        return;
    const QVariant value = index.data(Qt::EditRole);
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        const QSignalBlocker quiet(spin);
        spin->setValue(value.toDouble());
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        // A value that is not among the choices (a provider since removed) is still shown.
        if (combo->findText(value.toString()) < 0)
            combo->addItem(value.toString());
        combo->setCurrentIndex(combo->findText(value.toString()));
    } else {
        QStyledItemDelegate::setEditorData(editor, index);
    }
}

void RouteDelegates::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        spin->interpretText();
        model->setData(index, spin->value(), Qt::EditRole);
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        model->setData(index, combo->currentText(), Qt::EditRole);
    } else {
        QStyledItemDelegate::setModelData(editor, model, index);
    }
}

} // namespace Switchyard
