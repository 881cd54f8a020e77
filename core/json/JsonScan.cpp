// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonScan.h"

namespace Switchyard::JsonScan {

qsizetype skipString(const QByteArray &s, qsizetype i)
{
    for (++i; i < s.size(); ++i) {
        if (s.at(i) == '\\')
            ++i;
        else if (s.at(i) == '"')
            return i + 1;
    }
    return Incomplete;
}

qsizetype skipValue(const QByteArray &s, qsizetype i)
{
    if (i >= s.size())
        return Incomplete;
    const char c = s.at(i);
    if (c == '"')
        return skipString(s, i);
    if (c == '{' || c == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char d = s.at(i);
            if (d == '"') {
                const qsizetype end = skipString(s, i);
                if (end == Incomplete)
                    return Incomplete;
                i = end - 1;
            } else if (d == '{' || d == '[') {
                ++depth;
            } else if (d == '}' || d == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return Incomplete;
    }
    const qsizetype start = i;
    while (i < s.size() && !isSpace(s.at(i)) && s.at(i) != ',' && s.at(i) != '}' && s.at(i) != ']')
        ++i;
    return i == start || i == s.size() ? Incomplete : i;
}

} // namespace Switchyard::JsonScan
