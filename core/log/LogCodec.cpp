// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogCodec.h"
#include "core/json/JsonWriter.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace Switchyard::LogCodec {

// Written by hand (JsonWriter): building a QJsonArray and serialising it took a sixth of the
// log writer's time.
QByteArray headersToJson(const HttpHeaders &headers)
{
    QByteArray out;
    out.reserve(64 * 8);
    out += '[';
    for (const auto &[name, value] : headers) {
        if (out.size() > 1)
            out += ',';
        out += '[';
        JsonWriter::appendString(out, name);
        out += ',';
        JsonWriter::appendString(out, value);
        out += ']';
    }
    out += ']';
    return out;
}

HttpHeaders headersFromJson(const QByteArray &json)
{
    HttpHeaders headers;
    const QJsonArray list = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &field : list) {
        const QJsonArray pair = field.toArray();
        headers.add(pair.at(0).toString().toLatin1(), pair.at(1).toString().toUtf8());
    }
    return headers;
}

QString clientName(const CallRecord &record)
{
    if (!record.clientProcess.isEmpty())
        return record.clientProcess;
    // "OpenAI/Python 1.40.0" → "OpenAI/Python"; "curl/8.1" → "curl"
    const QString ua = record.client.section(QLatin1Char(' '), 0, 0);
    return ua.count(QLatin1Char('/')) >= 2 || ua.startsWith(QLatin1String("OpenAI/")) ? ua.section(QLatin1Char('/'), 0, 1)
                                                                                      : ua.section(QLatin1Char('/'), 0, 0);
}

QJsonArray notesJson(const TranslationNotes &notes)
{
    QJsonArray out;
    for (const TranslationNote &n : notes)
        out.append(QJsonObject{{QStringLiteral("action"),
                                n.action == TranslationNote::Action::Mapped ? QStringLiteral("mapped") : QStringLiteral("dropped")},
                               {QStringLiteral("field"), n.field},
                               {QStringLiteral("detail"), n.detail}});
    return out;
}

QByteArray notesToJson(const TranslationNotes &notes)
{
    if (notes.isEmpty())
        return QByteArray();
    return QJsonDocument(notesJson(notes)).toJson(QJsonDocument::Compact);
}

TranslationNotes notesFromJson(const QByteArray &json)
{
    TranslationNotes notes;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array()) {
        const QJsonObject o = v.toObject();
        notes.append({o.value(QLatin1String("action")).toString() == QLatin1String("mapped") ? TranslationNote::Action::Mapped
                                                                                            : TranslationNote::Action::Dropped,
                      o.value(QLatin1String("field")).toString(), o.value(QLatin1String("detail")).toString()});
    }
    return notes;
}

} // namespace Switchyard::LogCodec
