// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/StringPool.h"

namespace Switchyard {

void StringPool::share(QString &s)
{
    if (s.isEmpty())
        return;
    const auto it = m_strings.constFind(s);
    if (it != m_strings.cend()) {
        s = *it;
        return;
    }
    if (m_strings.size() >= MaxStrings)
        m_strings.clear();
    m_strings.insert(s);
}

void StringPool::share(CallRecord &r)
{
    for (QString *s : {&r.endpoint, &r.requestedModel, &r.alias, &r.provider, &r.model, &r.client, &r.clientProcess, &r.project})
        share(*s);
    for (Attempt &a : r.attempts) {
        share(a.provider);
        share(a.model);
    }
}

} // namespace Switchyard
