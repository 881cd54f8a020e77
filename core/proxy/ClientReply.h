// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include <QPointer>

namespace Switchyard {

class HttpExchange;

// The client's side of a call: its exchange (gone when the client hung up, or absent for a
// replay), the routing headers every answer carries, and the answer as it is logged (up to
// a cap). Whatever the call sends its client goes through here.
class ClientReply final
{
public:
    // Which target answered, for x-switchyard-provider/-model/-attempts/-translation.
    struct Routing
    {
        QString provider;
        QString model;
        int attempts = 0;
        QByteArray translation;
    };

    ClientReply(HttpExchange *exchange, qint64 maxLoggedBytes);

    HttpExchange *exchange() const; // out of line: QPointer needs the complete type
    bool streamStarted() const { return m_streamStarted; }

    void respond(int status, const HttpHeaders &headers, const QByteArray &body, const Routing &routing);
    void startStream(int status, const HttpHeaders &headers, const Routing &routing);
    void writeEvent(const QByteArray &event);
    void endStream();

    const QByteArray &logged() const { return m_logged; }
    bool loggedTruncated() const { return m_truncated; }

private:
    void addRoutingHeaders(const Routing &routing);
    void log(const QByteArray &data);

    QPointer<HttpExchange> m_exchange;
    qint64 m_maxLoggedBytes;
    QByteArray m_logged;
    bool m_truncated = false;
    bool m_streamStarted = false;
};

} // namespace Switchyard
