// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace Switchyard {

class HttpExchange;

// Answers requests that HttpServer has parsed. Called on the server's thread; the
// exchange may be answered later (it stays alive until answered or the client is gone).
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual void handle(HttpExchange *exchange) = 0;
};

} // namespace Switchyard
