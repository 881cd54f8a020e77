// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>

namespace Switchyard {

// One server-sent event: its field values and the exact bytes it arrived as.
struct SseEvent
{
    QByteArray event; // the "event:" field, empty when absent
    QByteArray data;  // "data:" lines joined by '\n'
    QByteArray raw;   // the event's bytes including the blank line that ended it
};

// Incremental text/event-stream parser (WHATWG rules: LF, CRLF or CR line ends, comments,
// multi-line data). Bytes in, whole events out, each as soon as its blank line arrives.
class SseParser final
{
public:
    QList<SseEvent> feed(const QByteArray &bytes);
    // Bytes of an event that has started but not ended.
    const QByteArray &pending() const { return m_buffer; }

private:
    QByteArray m_buffer;
    qsizetype m_scanned = 0;   // bytes of m_buffer already searched for the end of an event
    bool m_atLineStart = true; // no character since the last line end (or the event start)
    bool m_lastWasCr = false;  // a CR ended the last line: a following LF belongs to it
};

} // namespace Switchyard
