// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/record/CallRecord.h"
#include <QJsonArray>

namespace Switchyard {

// How record fields are stored in the log's columns.
namespace LogCodec {
QByteArray headersToJson(const HttpHeaders &headers); // [["name","value"],...]
HttpHeaders headersFromJson(const QByteArray &json);
// The tool a call came from, for grouping: its process name, else the user-agent's product.
QString clientName(const CallRecord &record);
// Translation notes as [{"action","field","detail"}] (null when there are none), and back.
QByteArray notesToJson(const TranslationNotes &notes);
TranslationNotes notesFromJson(const QByteArray &json);
// The same notes as the admin API shows them.
QJsonArray notesJson(const TranslationNotes &notes);
} // namespace LogCodec

} // namespace Switchyard
