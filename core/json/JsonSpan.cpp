// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonSpan.h"
#include "core/json/JsonScan.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace Switchyard {

namespace {

using JsonScan::skipSpace;

// The span's own reading of a truncated text: what is cut off runs to the end.
qsizetype orEnd(const QByteArray &s, qsizetype end)
{
    return end == JsonScan::Incomplete ? s.size() : end;
}

qsizetype skipString(const QByteArray &s, qsizetype i)
{
    return orEnd(s, JsonScan::skipString(s, i));
}

qsizetype skipValue(const QByteArray &s, qsizetype i)
{
    return orEnd(s, JsonScan::skipValue(s, i));
}

} // namespace

std::optional<JsonSpan> JsonSpan::find(const QByteArray &json, QByteArrayView key)
{
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json.at(i) != '{')
        return std::nullopt;
    i = skipSpace(json, i + 1);
    std::optional<JsonSpan> found; // a repeated key counts with its last value, as parsers read it
    while (i < json.size() && json.at(i) == '"') {
        const qsizetype keyEnd = skipString(json, i);
        const QByteArrayView rawKey = QByteArrayView(json).sliced(i + 1, keyEnd - i - 2);
        // Keys with escapes are compared after decoding; plain keys byte for byte.
        const bool matches = rawKey.contains('\\')
                                 ? QJsonDocument::fromJson("[" + json.mid(i, keyEnd - i) + "]").array().at(0).toString().toUtf8() == key
                                 : rawKey == key;
        i = skipSpace(json, keyEnd);
        if (i >= json.size() || json.at(i) != ':')
            return std::nullopt;
        i = skipSpace(json, i + 1);
        const qsizetype valueEnd = skipValue(json, i);
        if (matches)
            found = JsonSpan{i, valueEnd - i};
        i = skipSpace(json, valueEnd);
        if (i < json.size() && json.at(i) == ',')
            i = skipSpace(json, i + 1);
    }
    return found;
}

QByteArray JsonSpan::replaced(const QByteArray &json, const JsonSpan &span, const QByteArray &value)
{
    QByteArray out;
    out.reserve(json.size() - span.length + value.size());
    out.append(QByteArrayView(json).first(span.offset));
    out.append(value);
    out.append(QByteArrayView(json).sliced(span.offset + span.length));
    return out;
}

QByteArray JsonSpan::withMember(const QByteArray &json, QByteArrayView key, const QByteArray &value)
{
    const qsizetype brace = skipSpace(json, 0);
    if (brace >= json.size() || json.at(brace) != '{')
        return json; // not an object: a '{' further on belongs to a nested value or a string
    const qsizetype next = skipSpace(json, brace + 1);
    const bool empty = next < json.size() && json.at(next) == '}';
    QByteArray member = '"' + key.toByteArray() + "\":" + value;
    if (!empty)
        member += ',';
    QByteArray out;
    out.reserve(json.size() + member.size());
    out.append(QByteArrayView(json).first(brace + 1));
    out.append(member);
    out.append(QByteArrayView(json).sliced(brace + 1));
    return out;
}

} // namespace Switchyard
