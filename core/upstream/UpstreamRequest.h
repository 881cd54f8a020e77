// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/http/HttpHeaders.h"
#include <QUrl>

namespace Switchyard {

// What to send upstream. Host, Content-Length and Connection are added by the client.
struct UpstreamRequest
{
    QUrl url;
    QByteArray method = QByteArrayLiteral("POST");
    HttpHeaders headers;
    QByteArray body;
    Timeouts timeouts;
};

} // namespace Switchyard
