// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <QString>

namespace Switchyard {

// What a dialect translation did with one field of the client's request that did not cross
// unchanged: mapped to an equivalent, or dropped because it changes nothing the model answers.
// Refusals are errors, not notes. Kept per attempt, shown in Traces and summarised in the
// x-switchyard-translation response header.
struct TranslationNote
{
    enum class Action { Mapped, Dropped };
    Action action = Action::Dropped;
    QString field;   // as the client wrote it: "context_management", "tools[10].defer_loading"
    QString detail;  // what happened and why, for a person: "→ reasoning_effort \"high\""

    friend bool operator==(const TranslationNote &, const TranslationNote &) = default;
};

using TranslationNotes = QList<TranslationNote>;

} // namespace Switchyard
