// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/SseParser.h"

namespace Switchyard {

namespace {

void applyLine(SseEvent &event, bool &hasData, QByteArrayView line)
{
    if (line.isEmpty() || line.front() == ':')
        return; // comment
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView name = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (!value.isEmpty() && value.front() == ' ')
        value = value.sliced(1);
    if (name == "data") {
        if (hasData)
            event.data += '\n';
        event.data += value;
        hasData = true;
    } else if (name == "event") {
        event.event = value.toByteArray();
    }
}

SseEvent parseEvent(const QByteArray &raw)
{
    SseEvent event;
    event.raw = raw;
    bool hasData = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c != '\n' && c != '\r')
            continue;
        applyLine(event, hasData, QByteArrayView(raw).sliced(start, i - start));
        if (c == '\r' && i + 1 < raw.size() && raw.at(i + 1) == '\n')
            ++i;
        start = i + 1;
    }
    return event;
}

} // namespace

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> events;
    m_buffer += bytes;
    qsizetype eventStart = 0;
    for (qsizetype i = m_scanned; i < m_buffer.size(); ++i) {
        const char c = m_buffer.at(i);
        if (c == '\n' && m_lastWasCr) {
            m_lastWasCr = false; // the LF of a CRLF: that line end was already counted
            continue;
        }
        m_lastWasCr = (c == '\r');
        if (c != '\n' && c != '\r') {
            m_atLineStart = false;
            continue;
        }
        if (!m_atLineStart) {
            m_atLineStart = true;
            continue;
        }
        // An empty line: the event ends here (with the LF of a CRLF when it has arrived).
        qsizetype end = i + 1;
        if (c == '\r' && end < m_buffer.size() && m_buffer.at(end) == '\n') {
            ++end;
            m_lastWasCr = false;
        }
        events.append(parseEvent(m_buffer.mid(eventStart, end - eventStart)));
        eventStart = end;
        i = end - 1;
    }
    m_buffer.remove(0, eventStart);
    m_scanned = m_buffer.size();
    return events;
}

} // namespace Switchyard
