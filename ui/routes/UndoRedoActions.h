// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>

class QAction;
class QUndoStack;

namespace Switchyard {

// Undo and Redo for an undo stack, with short labels (what they would undo shows in their
// tooltips), the platform's shortcuts plus Ctrl+Shift+Z for Redo, enabled as the stack allows.
struct UndoRedoActions
{
    QAction *undo;
    QAction *redo;

    static UndoRedoActions create(QUndoStack *stack, QObject *parent);
};

} // namespace Switchyard
