// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonWriter.h"
#include <algorithm>

namespace Switchyard {

void JsonWriter::separate()
{
    if (m_needComma)
        m_out += ',';
}

void JsonWriter::open(char c)
{
    separate();
    m_out += c;
    m_needComma = false;
}

void JsonWriter::close(char c)
{
    m_out += c;
    m_needComma = true;
}

void JsonWriter::key(QByteArrayView name)
{
    separate();
    appendString(m_out, name);
    m_out += ':';
    m_needComma = false;
}

void JsonWriter::string(QByteArrayView utf8)
{
    separate();
    appendString(m_out, utf8);
    m_needComma = true;
}

void JsonWriter::number(qint64 value)
{
    separate();
    m_out += QByteArray::number(value);
    m_needComma = true;
}

void JsonWriter::number(double value)
{
    separate();
    m_out += QByteArray::number(value, 'g', 17);
    m_needComma = true;
}

void JsonWriter::boolean(bool value)
{
    separate();
    m_out += value ? "true" : "false";
    m_needComma = true;
}

void JsonWriter::null()
{
    separate();
    m_out += "null";
    m_needComma = true;
}

void JsonWriter::appendString(QByteArray &out, QByteArrayView text)
{
    const bool ascii = std::all_of(text.cbegin(), text.cend(), [](char c) { return uchar(c) < 0x80; });
    const QByteArray utf8 = ascii ? QByteArray() : QString::fromUtf8(text).toUtf8();
    const QByteArrayView bytes = ascii ? text : QByteArrayView(utf8);
    out += '"';
    const char *run = bytes.data();
    const char *const end = run + bytes.size();
    for (const char *p = run; p < end; ++p) {
        const uchar c = uchar(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run); // the characters that need no escape, in one go
        run = p + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, sizeof escaped);
        }
        }
    }
    out.append(run, end - run);
    out += '"';
}

} // namespace Switchyard
