// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/SseEventReader.h"
#include <QJsonDocument>

namespace Switchyard {

bool SseEventReader::isJsonEvent(const SseEvent &event)
{
    const QByteArray data = event.data.trimmed();
    QJsonParseError error{};
    if (!data.isEmpty() && data != "[DONE]")
        QJsonDocument::fromJson(data, &error);
    return error.error == QJsonParseError::NoError;
}

SseEventReader::Batch SseEventReader::checked(QList<SseEvent> events) const
{
    Batch batch;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (!isJsonEvent(events.at(i))) { // passed on or translated, it would break the client's parser
            batch.error = QStringLiteral("the upstream sent an event that is not JSON: %1").arg(QString::fromUtf8(events.at(i).data.left(120)));
            events.resize(i);
            break;
        }
    }
    batch.events = std::move(events);
    return batch;
}

SseEventReader::Batch SseEventReader::feed(const QByteArray &bytes)
{
    Batch batch = checked(m_parser.feed(bytes));
    if (batch.error.isEmpty() && m_parser.pending().size() > m_maxEventBytes)
        batch.error = QStringLiteral("the upstream sent an event larger than limits.max_body_bytes (%1 bytes)").arg(m_maxEventBytes);
    return batch;
}

SseEventReader::Batch SseEventReader::finish()
{
    if (m_parser.pending().trimmed().isEmpty())
        return {};
    return checked(m_parser.feed(m_parser.pending().endsWith('\n') ? QByteArray("\n") : QByteArray("\n\n")));
}

} // namespace Switchyard
