// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace Switchyard {

class AdminBackend;
class HttpExchange;

// /api/config (GET the config in force, keys masked; PUT a new one) and its history:
// GET /api/config/history, GET /api/config/history/{n} (the version and its diff to the one
// before), POST /api/config/history/{n}/restore (made the config in force again, keys kept).
class ConfigApi final
{
public:
    explicit ConfigApi(AdminBackend *backend);

    // False when the path is not one of ours.
    bool handle(HttpExchange *exchange);

private:
    void put(HttpExchange *exchange);
    void list(HttpExchange *exchange);
    void show(HttpExchange *exchange, int number);
    void restore(HttpExchange *exchange, int number);

    AdminBackend *m_backend;
};

} // namespace Switchyard
