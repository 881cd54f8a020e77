// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"

namespace Switchyard {

// Joins the fragments llhttp delivers header names and values in, one field at a time;
// both the request and the response parser use it.
class HeaderCollector final
{
public:
    // A name fragment. A name after a value starts the next field, so the finished one
    // goes into `out` first; returns true when that happened.
    bool addName(QByteArrayView fragment, HttpHeaders &out)
    {
        const bool finishedOne = m_inValue;
        if (finishedOne)
            flush(out);
        m_name += fragment;
        return finishedOne;
    }

    void addValue(QByteArrayView fragment)
    {
        m_inValue = true;
        m_value += fragment;
    }

    // The field being collected, if any, goes into `out`.
    void flush(HttpHeaders &out)
    {
        if (!m_name.isEmpty())
            out.add(m_name, m_value);
        clear();
    }

    void clear()
    {
        m_name.clear();
        m_value.clear();
        m_inValue = false;
    }

private:
    QByteArray m_name;
    QByteArray m_value;
    bool m_inValue = false;
};

} // namespace Switchyard
