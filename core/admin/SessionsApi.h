// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace Switchyard {

class AdminBackend;
class HttpExchange;
class LogReader;

// GET /api/sessions?since=&client=&project=&limit= and GET /api/sessions/{id}. The queries,
// body reads and cache diagnoses run on the log reader's thread; answers come back on the
// engine thread.
class SessionsApi final
{
public:
    SessionsApi(AdminBackend *backend, LogReader *reader);
    // False when the path is not /api/sessions or below.
    bool handle(HttpExchange *exchange);

private:
    void list(HttpExchange *exchange);
    void show(HttpExchange *exchange, const QString &id);

    AdminBackend *m_backend;
    LogReader *m_reader;
};

} // namespace Switchyard
