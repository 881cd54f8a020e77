// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QTreeWidget>

namespace Switchyard {

// What each attempt's dialect translation did with the fields of the client's request that did
// not cross unchanged: one group per translated attempt, a row per field (mapped or dropped,
// and why). A call that passed through untranslated says so.
class TranslationNotesView final : public QTreeWidget
{
    Q_OBJECT
public:
    explicit TranslationNotesView(QWidget *parent = nullptr);

    void setCall(const CallRecord &record);
    // How many notes the shown call has, over all its attempts.
    int noteCount() const { return m_count; }

private:
    int m_count = 0;
};

} // namespace Switchyard
