// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/stream/SseParser.h"
#include <QString>

namespace Switchyard {

// Reads an upstream's event stream for a proxy: whole events a client can parse (JSON data,
// "[DONE]" or none), in order, and the reason to stop reading when an event is not JSON or
// grows past the size limit. Events before a broken one are still delivered.
class SseEventReader final
{
public:
    struct Batch
    {
        QList<SseEvent> events;
        QString error; // non-empty: the stream cannot be passed on beyond `events`
    };

    explicit SseEventReader(qint64 maxEventBytes = 32LL * 1024 * 1024)
        : m_maxEventBytes(maxEventBytes)
    {
    }

    Batch feed(const QByteArray &bytes);
    // The stream ended: an unterminated last event, if any.
    Batch finish();

    // Whether a client's JSON parser accepts the event's data.
    static bool isJsonEvent(const SseEvent &event);

private:
    Batch checked(QList<SseEvent> events) const;

    SseParser m_parser;
    qint64 m_maxEventBytes;
};

} // namespace Switchyard
