// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include <QHostAddress>

namespace Switchyard {

// One parsed inbound request, head and whole body.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as sent: path and query
    QByteArray path;
    QByteArray query;
    HttpHeaders headers;
    QByteArray body;
    int httpMinor = 1;
    bool keepAlive = true;
    quint64 connectionId = 0;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    quint16 localPort = 0;
};

} // namespace Switchyard
