// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace Switchyard {

class HttpExchange;
class LogReader;

// /api/baselines: GET lists them; POST {"name", "request_ids": [...]} or {"name", "filter":
// {"alias", "session", "since", "until", "limit"}} (and "append": true to add to one that
// exists) creates one; GET /api/baselines/{name} shows one with its requests; DELETE removes
// it. Reads and writes run on the log reader's thread.
class BaselinesApi final
{
public:
    explicit BaselinesApi(LogReader *reader);
    // False when the path is not /api/baselines or below.
    bool handle(HttpExchange *exchange);

private:
    void list(HttpExchange *exchange);
    void create(HttpExchange *exchange);
    void show(HttpExchange *exchange, const QString &name);
    void remove(HttpExchange *exchange, const QString &name);

    LogReader *m_reader;
};

} // namespace Switchyard
