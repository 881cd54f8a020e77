// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteEditCommand.h"
#include <QUndoStack>

namespace Switchyard {

RouteEditCommand::RouteEditCommand(const QString &text, Step redo, Step undo)
    : QUndoCommand(text)
    , m_redo(std::move(redo))
    , m_undo(std::move(undo))
{
}

void RouteEditCommand::redo()
{
    m_redo();
}

void RouteEditCommand::undo()
{
    m_undo();
}

void RouteEditCommand::run(QUndoStack *stack, const QString &text, Step redo, Step undo)
{
    if (stack)
        stack->push(new RouteEditCommand(text, std::move(redo), std::move(undo)));
    else
        redo();
}

} // namespace Switchyard
