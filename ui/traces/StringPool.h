// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QSet>

namespace Switchyard {

// One shared copy of the strings that repeat from call to call (endpoint, alias, provider,
// model, client, project), so that a table of a hundred thousand calls holds one "gpt-4o"
// rather than a hundred thousand.
class StringPool final
{
public:
    static constexpr qsizetype MaxStrings = 20000; // beyond that, start again rather than grow

    void share(QString &s);
    // Shares the repeating fields of a call and of its attempts.
    void share(CallRecord &record);
    qsizetype size() const { return m_strings.size(); }

private:
    QSet<QString> m_strings;
};

} // namespace Switchyard
