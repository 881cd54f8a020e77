// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/UndoRedoActions.h"
#include <QAction>
#include <QCoreApplication>
#include <QUndoStack>

namespace Switchyard {

UndoRedoActions UndoRedoActions::create(QUndoStack *stack, QObject *parent)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("UndoRedoActions", text); };
    auto *undo = new QAction(tr("Undo"), parent);
    undo->setShortcuts(QKeySequence::Undo);
    auto *redo = new QAction(tr("Redo"), parent);
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.append(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)); // a key twice would be ambiguous
    redo->setShortcuts(redoKeys);
    undo->setEnabled(stack->canUndo());
    redo->setEnabled(stack->canRedo());
    QObject::connect(undo, &QAction::triggered, stack, &QUndoStack::undo);
    QObject::connect(redo, &QAction::triggered, stack, &QUndoStack::redo);
    QObject::connect(stack, &QUndoStack::canUndoChanged, undo, &QAction::setEnabled);
    QObject::connect(stack, &QUndoStack::canRedoChanged, redo, &QAction::setEnabled);
    QObject::connect(stack, &QUndoStack::undoTextChanged, undo,
                     [undo, tr](const QString &text) { undo->setToolTip(tr("Undo %1").arg(text)); });
    QObject::connect(stack, &QUndoStack::redoTextChanged, redo,
                     [redo, tr](const QString &text) { redo->setToolTip(tr("Redo %1").arg(text)); });
    return {undo, redo};
}

} // namespace Switchyard
