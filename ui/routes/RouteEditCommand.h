// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QUndoCommand>
#include <functional>

class QUndoStack;

namespace Switchyard {

// One undoable edit of the routes: a pair of steps that do and undo it. The route models
// build these from value copies (the row before and after), so undo restores exactly.
class RouteEditCommand final : public QUndoCommand
{
public:
    using Step = std::function<void()>;

    RouteEditCommand(const QString &text, Step redo, Step undo);

    void redo() override;
    void undo() override;

    // Pushes the edit onto `stack` (which runs it), or just runs it when there is no stack.
    static void run(QUndoStack *stack, const QString &text, Step redo, Step undo);

private:
    Step m_redo;
    Step m_undo;
};

} // namespace Switchyard
