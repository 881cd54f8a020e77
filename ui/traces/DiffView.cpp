// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/DiffView.h"
#include "ui/SemanticColours.h"
#include <QEvent>
#include <QFontDatabase>
#include <QTextBlock>

namespace Switchyard {

DiffView::DiffView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("diffView"));
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void DiffView::setBodies(const QByteArray &before, const QByteArray &after)
{
    m_lines = LineDiff::diffBodies(before, after);
    m_removed = 0;
    m_added = 0;
    QStringList text;
    for (const LineDiff::Line &line : std::as_const(m_lines)) {
        switch (line.kind) {
        case LineDiff::Line::Kind::Same: text << QStringLiteral("  ") + line.text; break;
        case LineDiff::Line::Kind::Removed: text << QStringLiteral("- ") + line.text; ++m_removed; break;
        case LineDiff::Line::Kind::Added: text << QStringLiteral("+ ") + line.text; ++m_added; break;
        }
    }
    setPlainText(text.join(QLatin1Char('\n')));
    paintMarks();
}

void DiffView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        paintMarks(); // the tints follow the theme
}

void DiffView::paintMarks()
{
    using SemanticColours::Tone;
    QColor removed = SemanticColours::colour(Tone::Error);
    QColor added = SemanticColours::colour(Tone::Ok);
    removed.setAlpha(50);
    added.setAlpha(50);
    QList<QTextEdit::ExtraSelection> marks;
    QTextBlock block = document()->firstBlock();
    for (const LineDiff::Line &line : std::as_const(m_lines)) {
        if (!block.isValid())
            break;
        if (line.kind != LineDiff::Line::Kind::Same) {
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(block);
            mark.format.setBackground(line.kind == LineDiff::Line::Kind::Removed ? removed : added);
            mark.format.setProperty(QTextFormat::FullWidthSelection, true);
            marks.append(mark);
        }
        block = block.next();
    }
    setExtraSelections(marks);
}

} // namespace Switchyard
