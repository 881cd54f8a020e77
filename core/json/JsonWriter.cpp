// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonWriter.h"
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <limits>

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
    appendEscaped(out, ascii ? text : QByteArrayView(QString::fromUtf8(text).toUtf8()));
}

void JsonWriter::appendEscaped(QByteArray &out, QByteArrayView bytes)
{
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
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
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

void JsonWriter::value(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        boolean(v.toBool());
        break;
    case QJsonValue::Double: {
        // A whole number as an integer, as toJson() writes it; others in their shortest
        // round-trip form; what JSON cannot hold (NaN, infinities) as null, as toJson() does.
        constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
        const double d = v.toDouble();
        if (const qint64 whole = v.toInteger(notWhole); whole != notWhole)
            number(whole);
        else if (std::isfinite(d))
            raw(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
        else
            null();
        break;
    }
    case QJsonValue::String:
        separate();
        appendEscaped(m_out, QByteArrayView(v.toString().toUtf8())); // toUtf8 writes valid UTF-8
        m_needComma = true;
        break;
    case QJsonValue::Array:
        beginArray();
        for (const QJsonValue &element : v.toArray())
            value(element);
        endArray();
        break;
    case QJsonValue::Object:
        object(v.toObject());
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        null();
        break;
    }
}

void JsonWriter::object(const QJsonObject &o)
{
    beginObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        separate();
        appendEscaped(m_out, QByteArrayView(it.key().toUtf8()));
        m_out += ':';
        m_needComma = false;
        value(it.value());
    }
    endObject();
}

void JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out += json;
    m_needComma = true;
}

QByteArray JsonWriter::compact(const QJsonObject &o)
{
    JsonWriter writer;
    writer.m_out.reserve(4096);
    writer.object(o);
    return writer.take();
}

} // namespace Switchyard
