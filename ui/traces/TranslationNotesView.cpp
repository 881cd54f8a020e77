// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TranslationNotesView.h"
#include <QHeaderView>

namespace Switchyard {

TranslationNotesView::TranslationNotesView(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("translationNotes"));
    setHeaderLabels({tr("Field"), tr("Action"), tr("Why")});
    setRootIsDecorated(true);
    setAlternatingRowColors(true);
    setWordWrap(true);
    header()->resizeSection(0, 220);
    header()->resizeSection(1, 80);
}

void TranslationNotesView::setCall(const CallRecord &record)
{
    clear();
    m_count = 0;
    for (int i = 0; i < record.attempts.size(); ++i) {
        const Attempt &a = record.attempts.at(i);
        if (a.translationNotes.isEmpty())
            continue;
        auto *group = new QTreeWidgetItem(this, {tr("Attempt %1: %2/%3 (%n note(s))", nullptr, int(a.translationNotes.size()))
                                                     .arg(i + 1)
                                                     .arg(a.provider, a.model)});
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setFirstColumnSpanned(true);
        for (const TranslationNote &note : a.translationNotes) {
            auto *row = new QTreeWidgetItem(group, {note.field,
                                                    note.action == TranslationNote::Action::Mapped ? tr("mapped") : tr("dropped"),
                                                    note.detail});
            row->setToolTip(2, note.detail);
        }
        group->setExpanded(true);
        m_count += int(a.translationNotes.size());
    }
    if (m_count == 0) {
        auto *none = new QTreeWidgetItem(this, {record.attempts.isEmpty()
                                                    ? tr("No attempt was made.")
                                                    : tr("Nothing was translated or dropped: the request went upstream as the client sent it.")});
        none->setFirstColumnSpanned(true);
        none->setFlags(Qt::ItemIsEnabled);
    }
}

} // namespace Switchyard
