// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace Switchyard {

class AdminBackend;
class HttpExchange;
class LogReader;

// /api/evaluations: POST {"baseline", "alias": {...}, "concurrency"} starts one (202, with its
// id and estimate); POST /api/evaluations/estimate with the same body only estimates; GET lists
// them; GET /api/evaluations/{id} shows one with its results (?results=false: without);
// DELETE /api/evaluations/{id} cancels it. Running and recent ones come from the engine,
// older ones from the log.
class EvaluationsApi final
{
public:
    EvaluationsApi(AdminBackend *backend, LogReader *reader);
    // False when the path is not /api/evaluations or below.
    bool handle(HttpExchange *exchange);

private:
    void start(HttpExchange *exchange, bool estimateOnly);
    void list(HttpExchange *exchange);
    void show(HttpExchange *exchange, const QString &id);
    void cancel(HttpExchange *exchange, const QString &id);

    AdminBackend *m_backend;
    LogReader *m_reader;
};

} // namespace Switchyard
